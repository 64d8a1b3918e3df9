"""Renovation projects (issue 8): the application, its five-level review, items, funding, milestones, progress,
and the 三供一业 records the duplicate-subsidy check reads (S-04). Written only by property.services.renovation.

Review steps, funding receipts and progress reports are append-only: a wrong one is corrected by a later one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from property.domain import renovation as rules

from .base import AppendOnly


class AnnualPlan(models.Model):
    """The city's renovation plan of one year (R-09 step 2) and the deadline by which its projects must be done
    for the county reward (seed §三)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    completion_deadline = models.DateField(_("completion deadline"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual renovation plan")
        verbose_name_plural = _("annual renovation plans")

    def __str__(self):
        return f"{self.year}年度改造计划"


class RenovationOfficer(models.Model):
    """A reviewer above the community: a sub-district office, a county/district government or the city's joint
    review. Community recommendations are signed by the community's own staff (the community-staff role)."""

    class Level(models.TextChoices):
        SUB_DISTRICT = rules.SUB_DISTRICT, _("sub-district office review")
        DISTRICT = rules.DISTRICT, _("county/district government evaluation")
        CITY = rules.CITY, _("city departments' joint review")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="renovation_officer")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    organisation = models.CharField(_("organisation"), max_length=100, help_text=_("e.g. 卫滨区人民政府"))
    position = models.CharField(_("position"), max_length=60)
    district = models.ForeignKey(
        "home.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    sub_district = models.ForeignKey(
        "home.SubDistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-district"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="renovation_officer_area_matches_level",
                condition=(
                    Q(level="city", district__isnull=True, sub_district__isnull=True)
                    | Q(level="district", district__isnull=False, sub_district__isnull=True)
                    | Q(level="sub_district", district__isnull=True, sub_district__isnull=False)
                ),
            )
        ]
        verbose_name = _("renovation reviewer")
        verbose_name_plural = _("renovation reviewers")

    def __str__(self):
        return f"{self.organisation} {self.position}"


class RenovationProject(models.Model):
    """One community's renovation, from the residents' application to the residents' evaluation."""

    class Stage(models.TextChoices):
        DRAFT = "draft", _("application being prepared")
        IN_REVIEW = "in_review", _("under review")
        RETURNED = "returned", _("returned for revision")
        REJECTED = "rejected", _("not approved")
        APPROVED = "approved", _("approved, waiting for the annual plan")
        PLANNED = "planned", _("in the annual plan")
        UNDER_WAY = "under_way", _("under construction")
        COMPLETED = "completed", _("completed")
        ACCEPTED = "accepted", _("accepted on completion")
        EVALUATED = "evaluated", _("evaluated by the residents")

    class AppliedAs(models.TextChoices):
        COMMITTEE = "committee", _("the owners' committee")
        RESIDENTS = "residents", _("ten or more residents (no owners' committee)")

    class ExcludedKind(models.TextChoices):
        NONE = rules.NOT_EXCLUDED, _("none of these")
        SELF_BUILT = rules.SELF_BUILT, _("mainly self-built houses")
        SHANTY = rules.SHANTY_DEMOLITION, _("shanty area to be demolished and rebuilt")
        URBAN_VILLAGE = rules.URBAN_VILLAGE, _("urban village")
        EXPROPRIATION = rules.EXPROPRIATION, _("scheduled for expropriation")

    class Verdict(models.TextChoices):
        CORE = rules.CORE, _("eligible for the annual plan")
        RESERVE = rules.RESERVE, _("project reserve only (built 2001–2005)")
        INELIGIBLE = rules.INELIGIBLE, _("not eligible")

    class Level(models.TextChoices):
        COMMUNITY = rules.COMMUNITY, _("community recommendation")
        SUB_DISTRICT = rules.SUB_DISTRICT, _("sub-district office review")
        DISTRICT = rules.DISTRICT, _("county/district government evaluation")
        CITY = rules.CITY, _("city departments' joint review")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="renovation_projects")
    title = models.CharField(_("title"), max_length=120)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)

    # The application.
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_as = models.CharField(_("applied by"), max_length=20, choices=AppliedAs.choices)
    year_completed = models.PositiveSmallIntegerField(_("year completed"))
    buildings_count = models.PositiveSmallIntegerField(_("buildings"))
    households = models.PositiveIntegerField(_("households"))
    problems = models.TextField(_("problems the residents want solved"))
    structure_safe = models.BooleanField(_("the structure is safe"), default=False)
    structure_statement = models.TextField(_("structure safety statement"), blank=True)
    excluded_kind = models.CharField(
        _("excluded kind of area"), max_length=20, choices=ExcludedKind.choices, blank=True, default=""
    )
    demolition_support_households = models.PositiveIntegerField(
        _("households supporting removal of illegal structures"), null=True, blank=True
    )
    contributions_pledged = models.BooleanField(_("residents pledge money, materials or labour"), default=False)
    contributions_note = models.CharField(_("pledged contributions"), max_length=300, blank=True)
    willingness_evidence = models.TextField(_("evidence of the residents' willingness"), blank=True)
    verdict = models.CharField(_("eligibility"), max_length=20, choices=Verdict.choices, blank=True)

    # The review chain: the level whose queue the project is in, and since when.
    review_level = models.CharField(_("review level"), max_length=20, choices=Level.choices, blank=True)
    level_entered_on = models.DateField(null=True, blank=True)
    level_due_on = models.DateField(_("due by"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # The plan and its consent gate.
    survey = models.ForeignKey(
        "governance.WillingnessSurvey",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renovation_projects",
        verbose_name=_("willingness survey"),
    )
    plan = models.ForeignKey(
        AnnualPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("annual plan"),
    )
    planned_at = models.DateTimeField(null=True, blank=True)
    cost_share_plan = models.ForeignKey(
        "property.CostSharePlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("residents' cost-sharing plan"),
    )
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="renovation_percent_at_most_100"),
            models.CheckConstraint(
                condition=Q(stage="in_review", review_level__gt="") | ~Q(stage="in_review"),
                name="renovation_in_review_has_level",
            ),
        ]
        indexes = [models.Index(fields=["stage", "review_level"], name="renovation_stage_level")]
        verbose_name = _("renovation project")
        verbose_name_plural = _("renovation projects")

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        """Approved projects are public (publicity, 公示); applications are read by the community and reviewers."""
        return self.stage not in (self.Stage.DRAFT, self.Stage.IN_REVIEW, self.Stage.RETURNED, self.Stage.REJECTED)


class ApplicationSigner(models.Model):
    """A verified resident who signs an application made by residents where there is no owners' committee."""

    project = models.ForeignKey(RenovationProject, on_delete=models.CASCADE, related_name="signers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="uniq_application_signer")]

    def __str__(self):
        return f"{self.project_id}:{self.user_id}"


class ReviewStep(AppendOnly):
    """One dated, signed act in the chain: a submission by the applicant, or a level's opinion and decision."""

    class Decision(models.TextChoices):
        SUBMIT = "submit", _("submitted")
        PASS = rules.PASS, _("passed")
        RETURN = rules.RETURN, _("returned for revision")
        REJECT = rules.REJECT, _("rejected")

    project = models.ForeignKey(RenovationProject, on_delete=models.PROTECT, related_name="steps")
    level = models.CharField(max_length=20, choices=RenovationProject.Level.choices, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_as = models.CharField(_("signed as"), max_length=200)
    decided_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(null=True, blank=True)
    overdue = models.BooleanField(default=False)

    class Meta:
        ordering = ["decided_at", "id"]


class RenovationItem(models.Model):
    """One piece of work (R-04 category), its quantity and estimated cost."""

    class Category(models.TextChoices):
        BASIC = rules.BASIC, _("basic")
        IMPROVEMENT = rules.IMPROVEMENT, _("improvement")
        ENHANCEMENT = rules.ENHANCEMENT, _("enhancement")

    project = models.ForeignKey(RenovationProject, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("renovation item"), max_length=30, choices=[(k.code, k.label) for k in rules.ITEM_KINDS])
    category = models.CharField(_("renovation category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    quantity_unit = models.CharField(_("unit of quantity"), max_length=20)
    estimated_cost = models.DecimalField(_("estimated cost (yuan)"), max_digits=14, decimal_places=2)
    # S-04: a claim on a facility already renovated under 三供一业 only with the city's reason and a document.
    override_reason = models.CharField(_("reason for the exception"), max_length=300, blank=True)
    override_document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "category", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="renovation_item_quantity_positive"),
            models.CheckConstraint(condition=Q(estimated_cost__gt=0), name="renovation_item_cost_positive"),
        ]

    def __str__(self):
        return self.get_kind_display()


class FundingSource(models.TextChoices):
    """R-06 and seed §三: where the money comes from."""

    CENTRAL = "central", _("central subsidy")
    PROVINCIAL = "provincial", _("provincial subsidy")
    MUNICIPAL = "municipal", _("municipal funds")
    DISTRICT = "district", _("county/district self-funding")
    INSTITUTIONS = "institutions", _("professional institutions' discounts")
    UTILITIES = "utilities", _("pipeline units")
    FORMER_EMPLOYER = "former_employer", _("former owning work unit")
    RESIDENTS = "residents", _("residents' share")
    MAINTENANCE_FUND = "maintenance_fund", _("maintenance fund")
    PUBLIC_INCOME = "public_income", _("community public income")
    PROVIDENT_FUND = "provident_fund", _("housing provident fund")
    DONATIONS = "donations", _("donations")
    SOCIAL_CAPITAL = "social_capital", _("social capital")


class FundingLine(models.Model):
    """The planned amount from one source. The lines of a project add up to its items' estimated cost."""

    project = models.ForeignKey(RenovationProject, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("planned amount (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="uniq_funding_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.amount}"


class FundingReceipt(AppendOnly):
    """Money actually received from a source. The residents' share is read from the fees ledger instead."""

    project = models.ForeignKey(RenovationProject, on_delete=models.PROTECT, related_name="receipts")
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=100, help_text=_("e.g. the allocation document number"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="funding_receipt_not_zero")]


class Milestone(models.Model):
    """A step of R-09 reached on a date, with the publicity notice (公示) posted for it."""

    class Kind(models.TextChoices):
        DESIGN = rules.DESIGN, _("design settled")
        TENDER = rules.TENDER, _("tender awarded")
        START = rules.START, _("work started")
        COMPLETION = rules.COMPLETION, _("work completed")
        ACCEPTANCE = rules.ACCEPTANCE, _("joint completion acceptance")
        EVALUATION = rules.EVALUATION, _("residents' evaluation")

    project = models.ForeignKey(RenovationProject, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=20, choices=Kind.choices)
    reached_on = models.DateField(_("reached on"))
    note = models.TextField(_("what was done"))
    notice = models.ForeignKey(
        "governance.NoticePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reached_on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="uniq_project_milestone")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reached_on}"


class ProgressReport(AppendOnly):
    """Percent complete with a note and an optional site photo."""

    project = models.ForeignKey(RenovationProject, on_delete=models.PROTECT, related_name="progress_reports")
    percent = models.PositiveSmallIntegerField(_("percent complete"))
    note = models.CharField(_("note"), max_length=300)
    photo = models.ForeignKey("wagtailimages.Image", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_at_most_100")]


class SgyyRetrofit(models.Model):
    """A 三供一业 facility of a compound, renovated or scheduled under that programme (S-04, S-06)."""

    class Facility(models.TextChoices):
        WATER = rules.WATER, _("water supply")
        POWER = rules.POWER, _("power supply")
        HEATING_GAS = rules.HEATING_GAS, _("heating (gas)")
        PROPERTY_MGMT = rules.PROPERTY_MGMT, _("property management")

    class Status(models.TextChoices):
        NONE = "none", _("no retrofit")
        SCHEDULED = "scheduled", _("retrofit scheduled")
        DONE = "done", _("retrofit done")

    class HandoverStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("not yet handed over")
        AGREED = "agreed", _("handover agreement signed")
        TRANSFERRED = "transferred", _("handed over")

    class Order(models.TextChoices):
        RETROFIT_FIRST = "retrofit_first", _("retrofit first, then hand over")
        HANDOVER_FIRST = "handover_first", _("hand over first, then retrofit")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="sgyy_retrofits")
    facility = models.CharField(_("facility"), max_length=20, choices=Facility.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    receiving_unit = models.CharField(_("receiving unit"), max_length=100, blank=True)
    scope = models.CharField(_("what was renovated"), max_length=300, blank=True)
    central_subsidy = models.BooleanField(_("paid with a central subsidy"), default=True)
    # S-06, P-11: the handover of this facility to the receiving utility or company.
    handover_status = models.CharField(
        _("handover"), max_length=20, choices=HandoverStatus.choices, default=HandoverStatus.NOT_STARTED
    )
    order = models.CharField(_("order"), max_length=20, choices=Order.choices, blank=True)
    agreement_on = models.DateField(_("handover agreement signed on"), null=True, blank=True)
    transferred_on = models.DateField(_("assets transferred on"), null=True, blank=True)
    metered_per_household = models.BooleanField(_("metered and controlled per household"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "facility"], name="uniq_sgyy_facility")]
        verbose_name = _("三供一业 retrofit")
        verbose_name_plural = _("三供一业 retrofits")

    def __str__(self):
        return f"{self.get_facility_display()}：{self.get_status_display()}"


class SgyyConstructionList(models.Model):
    """The former owning unit's list of what its 三供一业 retrofit did. Without it the compound cannot enter the
    plan (seed §二)."""

    community = models.OneToOneField("home.CommunityPage", on_delete=models.PROTECT, related_name="sgyy_list")
    received_on = models.DateField(_("received on"))
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.community_id} {self.received_on}"
