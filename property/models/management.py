"""Property management after renovation (issue 9): companies and their staff, management modes with their history,
service contracts and notices, handovers with their checklists and sign-offs, repair requests.

Rules live in property.domain.management; writers in property.services.management.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from property.domain import management as rules

from .base import AppendOnly
from .ledger import UNIT_KINDS, FeeSchedule
from .renovation import SgyyRetrofit


class PropertyCompany(models.Model):
    """A property service company in the city's registry."""

    name = models.CharField(_("company name"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        help_text=_("The 18-character code on the business licence (统一社会信用代码)."),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=200, blank=True)
    licence_valid_until = models.DateField(_("business licence valid until"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    service_phone = models.CharField(
        _("24-hour service phone"), max_length=30, blank=True, help_text=_("Shown to residents for repairs.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("property company")
        verbose_name_plural = _("property companies")

    def __str__(self):
        return self.name


class CompanyStaff(models.Model):
    """A company's staff account. It reaches exactly the communities the company serves now (through the
    property-staff role of each, kept in step by the management services)."""

    company = models.ForeignKey(PropertyCompany, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_posts")
    title = models.CharField(_("position"), max_length=50, blank=True)
    is_manager = models.BooleanField(
        _("company manager"), default=False, help_text=_("Signs contracts and handovers for the company.")
    )
    active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["company_id", "-is_manager", "id"]
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="uniq_company_staff")]
        verbose_name = _("company staff member")
        verbose_name_plural = _("company staff")

    def __str__(self):
        return f"{self.company} {self.user}"


class ManagementBundle(models.Model):
    """连片打包: one operator serving a named group of small, scattered communities, guaranteed by the community
    (社区兜底, seed §四)."""

    name = models.CharField(_("name of the group"), max_length=100)
    sub_district = models.ForeignKey(
        "home.SubDistrict", on_delete=models.PROTECT, related_name="management_bundles", verbose_name=_("sub-district")
    )
    operator = models.ForeignKey(
        PropertyCompany,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bundles",
        verbose_name=_("operating company"),
    )
    operator_name = models.CharField(
        _("operator, where not a company"), max_length=100, blank=True, help_text=_("e.g. 社区物业服务站")
    )
    guarantor = models.CharField(_("guaranteed by"), max_length=100, help_text=_("e.g. 胜利社区居民委员会"))
    started_on = models.DateField(_("started on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["sub_district_id", "name"]
        verbose_name = _("bundled management group")
        verbose_name_plural = _("bundled management groups")

    def __str__(self):
        return self.name

    @property
    def operator_label(self) -> str:
        return self.operator.name if self.operator_id else self.operator_name


class ServiceContract(models.Model):
    """A written property service contract (P-01, Civil Code art. 938), approved by an owners' vote on matter 4 of
    art. 278(1) — required."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        ENDED = "ended", _("ended")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="service_contracts")
    company = models.ForeignKey(PropertyCompany, on_delete=models.PROTECT, related_name="contracts")
    approving_question = models.ForeignKey(
        "governance.DecisionQuestion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approving owners' vote"),
    )
    scope = models.TextField(_("services"))
    standards = models.TextField(_("service standards"))
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    signed_on = models.DateField(_("signed on"))
    dismissal_notice_days = models.PositiveSmallIntegerField(
        _("agreed notice for dismissal (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty where the contract agrees none: 60 days apply (Civil Code art. 946)."),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filed_with = models.CharField(_("filed with"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    renews = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals", verbose_name=_("renews")
    )
    renewal_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="contract_community_status")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="contract_term_ordered")
        ]
        verbose_name = _("property service contract")
        verbose_name_plural = _("property service contracts")

    def __str__(self):
        return f"{self.company} {self.starts_on:%Y}–{self.ends_on:%Y}"

    @property
    def filing_due(self):
        return rules.filing_due(self.signed_on)

    @property
    def renewal_decision_deadline(self):
        return rules.renewal_decision_deadline(self.ends_on)


class ContractFeeRate(models.Model):
    """A fee the contract sets; signing the contract writes it into the fees schedules (F-03, F-04)."""

    contract = models.ForeignKey(ServiceContract, on_delete=models.CASCADE, related_name="fee_rates")
    unit_kind = models.CharField(_("kind of unit"), max_length=20, choices=UNIT_KINDS)
    basis = models.CharField(_("basis"), max_length=10, choices=FeeSchedule.Basis.choices)
    rate = models.DecimalField(_("rate (yuan)"), max_digits=10, decimal_places=4)
    schedule = models.OneToOneField(
        FeeSchedule, on_delete=models.PROTECT, null=True, blank=True, related_name="contract_rate"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="contract_rate_positive"),
            models.UniqueConstraint(fields=["contract", "unit_kind"], name="uniq_contract_rate_kind"),
        ]

    def __str__(self):
        return f"{self.get_unit_kind_display()} {self.rate}"


class ContractNotice(AppendOnly):
    """A written notice ending a contract (P-02): dismissal by the owners, non-renewal by the company, or the end
    of an indefinite term. Checked against the applicable period before it is written."""

    class Kind(models.TextChoices):
        OWNERS_DISMISS = rules.OWNERS_DISMISS, _("owners dismiss the company")
        COMPANY_NON_RENEWAL = rules.COMPANY_NON_RENEWAL, _("the company will not renew")
        INDEFINITE_END = rules.INDEFINITE_END, _("ending an indefinite-term contract")

    contract = models.ForeignKey(ServiceContract, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind of notice"), max_length=30, choices=Kind.choices)
    given_on = models.DateField(_("notice given on"))
    effective_on = models.DateField(_("takes effect on"))
    reason = models.TextField(_("reason"), blank=True)
    approving_question = models.ForeignKey(
        "governance.DecisionQuestion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owners' vote to dismiss"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("termination notice")
        verbose_name_plural = _("termination notices")

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_on}"


class ManagementPeriod(models.Model):
    """One stretch of a community's management mode (V-13, seed §四). The open period is the current mode; the
    community page's ``management_mode`` mirrors it, written only by the service that opens a period."""

    class Mode(models.TextChoices):
        MARKET_COMPANY = rules.MARKET_COMPANY, _("market property company")
        BUNDLED = rules.BUNDLED, _("bundled community-guaranteed management (连片打包)")
        SELF_MANAGED = rules.SELF_MANAGED, _("owners' self-management")
        NONE = rules.NONE, _("no property management yet")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="management_periods")
    mode = models.CharField(_("management mode"), max_length=20, choices=Mode.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    contract = models.ForeignKey(
        ServiceContract, on_delete=models.PROTECT, null=True, blank=True, related_name="periods"
    )
    bundle = models.ForeignKey(
        ManagementBundle, on_delete=models.PROTECT, null=True, blank=True, related_name="periods"
    )
    # P-10: self-management sets out its executing body, scope, standards, fees and term.
    executing_body = models.CharField(_("executing body"), max_length=100, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    standards = models.TextField(_("standards"), blank=True)
    fees = models.TextField(_("fees"), blank=True)
    term_ends_on = models.DateField(_("term ends"), null=True, blank=True)
    professionals = models.TextField(
        _("professional firms used"), blank=True, help_text=_("e.g. lift maintenance by a qualified firm (P-10)")
    )
    approving_question = models.ForeignKey(
        "governance.DecisionQuestion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owners' vote"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["community_id", "-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"], condition=Q(ends_on__isnull=True), name="one_open_management_period"
            ),
            models.CheckConstraint(
                condition=~Q(mode=rules.MARKET_COMPANY) | Q(contract__isnull=False),
                name="market_period_has_contract",
            ),
            models.CheckConstraint(
                condition=~Q(mode=rules.BUNDLED) | Q(bundle__isnull=False), name="bundled_period_has_bundle"
            ),
        ]
        verbose_name = _("management period")
        verbose_name_plural = _("management history")

    def __str__(self):
        return f"{self.get_mode_display()} {self.starts_on}"

    @property
    def operator_label(self) -> str:
        if self.mode == rules.MARKET_COMPANY and self.contract_id:
            return self.contract.company.name
        if self.mode == rules.BUNDLED and self.bundle_id:
            return self.bundle.operator_label
        if self.mode == rules.SELF_MANAGED:
            return self.executing_body
        return ""


class Handover(models.Model):
    """A handover of a community's property (承接查验 / 物业移交, P-03…P-06) or of one 三供一业 facility (S-06,
    P-11), with its checklist and the four sign-offs."""

    class Kind(models.TextChoices):
        DEVELOPER_TO_COMPANY = rules.DEVELOPER_TO_COMPANY, _("developer to property company (acceptance inspection)")
        COMPANY_TO_SUCCESSOR = rules.COMPANY_TO_SUCCESSOR, _("outgoing company to its successor")
        SGYY_PROPERTY = rules.SGYY_PROPERTY, _("三供一业: property management")
        SGYY_UTILITY = rules.SGYY_UTILITY, _("三供一业: a utility facility")

    class PartyKind(models.TextChoices):
        DEVELOPER = "developer", _("developer")
        FORMER_UNIT = "former_unit", _("former owning work unit")
        COMPANY = "company", _("property company")
        OWNERS = "owners", _("the owners (owners' committee)")
        UTILITY = "utility", _("utility company")

    class Status(models.TextChoices):
        OPEN = "open", _("being inspected")
        SIGNED = "signed", _("signed off")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="handovers")
    kind = models.CharField(_("kind of handover"), max_length=30, choices=Kind.choices)
    facility = models.CharField(
        _("三供一业 facility"), max_length=20, blank=True, choices=SgyyRetrofit.Facility.choices
    )
    outgoing_kind = models.CharField(_("outgoing party"), max_length=20, choices=PartyKind.choices)
    outgoing_name = models.CharField(_("outgoing party's name"), max_length=100)
    outgoing_company = models.ForeignKey(
        PropertyCompany, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers_out"
    )
    incoming_kind = models.CharField(_("incoming party"), max_length=20, choices=PartyKind.choices)
    incoming_name = models.CharField(_("incoming party's name"), max_length=100)
    incoming_company = models.ForeignKey(
        PropertyCompany, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers_in"
    )
    contract = models.ForeignKey(
        ServiceContract, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers"
    )
    inspected_on = models.DateField(_("inspection date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    signed_at = models.DateTimeField(null=True, blank=True)
    filed_on = models.DateField(_("filed with the housing authority on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.outgoing_name} → {self.incoming_name}"


class HandoverItem(models.Model):
    """One line of a handover's checklist (P-04, P-06): present, missing with the promised date, defective, or not
    applicable. A missing or defective item stays open — and visible on the community page — until closed."""

    class State(models.TextChoices):
        PENDING = rules.PENDING, _("not yet checked")
        PRESENT = rules.PRESENT, _("present")
        MISSING = rules.MISSING, _("missing")
        DEFECTIVE = rules.DEFECTIVE, _("defective")
        NOT_APPLICABLE = rules.NOT_APPLICABLE, _("not applicable")

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=40, blank=True)
    label = models.CharField(_("item"), max_length=200)
    rule = models.CharField(max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    promised_on = models.DateField(_("promised by"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.CharField(_("how it was settled"), max_length=500, blank=True)

    class Meta:
        ordering = ["handover_id", "position", "id"]
        indexes = [models.Index(fields=["state", "closed_at"], name="handover_item_open")]
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")

    def __str__(self):
        return self.label

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN_STATES and self.closed_at is None

    def facts(self) -> rules.ItemFacts:
        return rules.ItemFacts(
            label=self.label,
            state=self.state,
            promised_on=self.promised_on,
            note=self.note,
            acknowledged=self.acknowledged_at is not None,
            closed=self.closed_at is not None,
        )


class HandoverAttachment(AppendOnly):
    """A photo or document proving an item's state."""

    item = models.ForeignKey(HandoverItem, on_delete=models.PROTECT, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False) | Q(image__isnull=False), name="handover_attachment_has_file"
            )
        ]


class HandoverSignature(AppendOnly):
    """One party's sign-off (outgoing, incoming, owners' committee, sub-district). Written once."""

    class Party(models.TextChoices):
        OUTGOING = rules.OUTGOING, _("outgoing party")
        INCOMING = rules.INCOMING, _("incoming party")
        COMMITTEE = rules.COMMITTEE, _("owners' committee")
        SUB_DISTRICT = rules.SUB_DISTRICT, _("sub-district office")

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    signer_name = models.CharField(_("signed by"), max_length=50)
    signer_title = models.CharField(_("position"), max_length=100, blank=True)
    scan = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The signed paper page, where the party has no account here."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["handover_id", "recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["handover", "party"], name="uniq_handover_party")]

    def __str__(self):
        return f"{self.get_party_display()} {self.signer_name}"


class RepairRequest(models.Model):
    """A resident's repair request: filed, assigned by the company, repaired, and confirmed and rated by the
    resident who filed it — by nobody else."""

    class Where(models.TextChoices):
        COMMON = "common", _("common parts")
        OWN_UNIT = "own_unit", _("my own home")

    class Category(models.TextChoices):
        WATER = "water", _("water and drains")
        ELECTRIC = "electric", _("electricity and lighting")
        GAS_HEATING = "gas_heating", _("gas and heating")
        LIFT = "lift", _("lift")
        LEAK = "leak", _("roof and wall leaks")
        DOORS = "doors", _("doors, windows and entrance doors")
        GROUNDS = "grounds", _("roads, greenery and bicycle sheds")
        FIRE = "fire", _("fire safety facilities")
        OTHER = "other", _("other")

    class Urgency(models.TextChoices):
        NORMAL = rules.NORMAL, _("ordinary (within 3 days)")
        URGENT = rules.URGENT, _("urgent (within 24 hours)")

    class Status(models.TextChoices):
        SUBMITTED = rules.SUBMITTED, _("submitted")
        ASSIGNED = rules.ASSIGNED, _("assigned")
        IN_PROGRESS = rules.IN_PROGRESS, _("being repaired")
        DONE = rules.DONE, _("repaired, waiting for the resident")
        CLOSED = rules.CLOSED, _("confirmed by the resident")
        CANCELLED = rules.CANCELLED, _("cancelled")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="repair_requests")
    company = models.ForeignKey(
        PropertyCompany, on_delete=models.PROTECT, null=True, blank=True, related_name="repair_requests"
    )
    where = models.CharField(_("where"), max_length=10, choices=Where.choices)
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location = models.CharField(_("place"), max_length=100, help_text=_("e.g. 3号楼2单元四楼楼道"))
    category = models.CharField(_("kind of repair"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("what is wrong"), max_length=1000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="repair_requests")
    filed_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "due_at"], name="repair_queue"),
            models.Index(fields=["company", "status"], name="repair_company"),
            models.Index(fields=["filed_by", "filed_at"], name="repair_filer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="repair_rating_1_to_5"
            )
        ]
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")

    def __str__(self):
        return f"报修{self.pk}：{self.location}"

    def is_overdue(self, now) -> bool:
        return rules.repair_overdue(status=self.status, due_at=self.due_at, done_at=self.done_at, now=now)


class RepairEvent(AppendOnly):
    """Every step of a repair request, in order: the request's history, never edited."""

    request = models.ForeignKey(RepairRequest, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request_id", "at", "id"]


class RepairPhoto(AppendOnly):
    class Stage(models.TextChoices):
        REPORTED = "reported", _("as reported")
        REPAIRED = "repaired", _("after repair")

    request = models.ForeignKey(RepairRequest, on_delete=models.PROTECT, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.REPORTED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request_id", "id"]


class CompanyQuestion(models.Model):
    """A policy question a company asked the bureau (issue 9, through the policy Q&A): the answer reaches every
    manager of the company, not only the staff member who asked."""

    company = models.ForeignKey(PropertyCompany, on_delete=models.PROTECT, related_name="questions")
    question = models.OneToOneField(
        "governance.PolicyQuestion", on_delete=models.PROTECT, related_name="company_question"
    )

    class Meta:
        ordering = ["-question_id"]

    def __str__(self):
        return f"{self.company} {self.question_id}"
