"""Owners' joint decisions (业主共同决定, Civil Code art. 278) and the records a vote leaves behind.

The rules live in governance.domain.decisions (the art. 278 test) and home.domain.owners (who counts as how many
owners, V-16 … V-21); every change of state is written by governance.services.decisions. Ballots, proxies'
checks and objections are append-only: a changed ballot is a new revision, never an edit.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(models.Model):
    """A record of evidence: written once by a service, never edited or deleted. The one later step some records
    take (a proxy checked, an objection answered) is a conditional queryset update in the service."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("表决记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("表决记录只能追加，不能删除。")


class ProcedureRules(models.Model):
    """What a community's rules of procedure (议事规则) say about voting, set by its committee before any vote
    opens. V-20 has no default: `include_special_spaces_in_area` stays unset until the community decides."""

    community = models.OneToOneField("home.CommunityPage", on_delete=models.CASCADE, related_name="procedure_rules")
    include_special_spaces_in_area = models.BooleanField(
        _("parking spaces and similar special spaces count toward voting area"), null=True, blank=True
    )
    ballots_changeable = models.BooleanField(_("owners may change their ballot until the vote closes"), default=False)
    objection_days = models.PositiveSmallIntegerField(_("objection period (days)"), default=7)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rules of procedure for votes")
        verbose_name_plural = _("rules of procedure for votes")

    def __str__(self):
        return str(self.community_id)


class OwnersDecision(models.Model):
    """One owners' vote: a matter of art. 278(1) (or art. 279, or a lift), its questions, its frozen electorate.

    Status moves only forward: draft → announced (question locked, electorate and totals frozen, notice
    published) → preliminary (closed, preliminary result published, objections open) → final; or cancelled.
    Whether ballots are accepted right now follows from the status and the opening and closing times.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ANNOUNCED = "announced", _("announced")
        PRELIMINARY = "preliminary", _("preliminary result published")
        FINAL = "final", _("final result published")
        CANCELLED = "cancelled", _("cancelled")

    class Matter(models.TextChoices):
        RULES_OF_PROCEDURE = "1", _("1. making or amending the rules of procedure of the owners' assembly")
        COVENANT = "2", _("2. making or amending the management covenant")
        COMMITTEE = "3", _("3. electing the owners' committee or replacing its members")
        MANAGER = "4", _("4. hiring or dismissing the property service company or other manager")
        FUND_USE = "5", _("5. using the building maintenance fund")
        FUND_RAISING = "6", _("6. raising the building maintenance fund")
        REBUILDING = "7", _("7. rebuilding or reconstructing buildings and their facilities")
        COMMON_PARTS = "8", _("8. changing the use of common parts or using them for business")
        OTHER = "9", _("9. other major matters of common ownership and joint management")
        HOME_TO_BUSINESS = "home_to_business", _("turning a home into business premises (unanimity, art. 279)")
        LIFT = "lift", _("adding a lift (art. 278 item 7 and Henan art. 59)")

    class Scope(models.TextChoices):
        COMMUNITY = "community", _("whole community")
        BUILDING = "building", _("one building")
        ENTRANCE = "entrance", _("one entrance")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="owners_decisions")
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    matter = models.CharField(_("matter"), max_length=20, choices=Matter.choices, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.COMMUNITY)
    scope_building = models.ForeignKey(
        "home.Building", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("building")
    )
    scope_entrance = models.ForeignKey(
        "home.Entrance", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("entrance")
    )
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    is_secret = models.BooleanField(
        _("secret ballot"), default=False, help_text=_("Everyone sees who took part, nobody sees who chose what.")
    )

    # Frozen when the vote is announced (V-04 denominators, V-20 choice, the change setting of the rules).
    total_area = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    total_owners = models.PositiveIntegerField(null=True, blank=True)
    include_special_spaces_in_area = models.BooleanField(null=True, blank=True)
    ballots_changeable = models.BooleanField(default=False)
    announced_at = models.DateTimeField(null=True, blank=True)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    announcement = models.ForeignKey(
        "governance.NoticePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    counted_at = models.DateTimeField(null=True, blank=True)
    objection_deadline = models.DateTimeField(null=True, blank=True)
    preliminary_notice = models.ForeignKey(
        "governance.NoticePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalized_at = models.DateTimeField(null=True, blank=True)
    final_notice = models.ForeignKey(
        "governance.NoticePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.ForeignKey(
        "governance.Resolution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owners_decisions",
        verbose_name=_("meeting resolution"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="decision_community_status")]
        verbose_name = _("owners' decision")
        verbose_name_plural = _("owners' decisions")

    def __str__(self):
        return self.title

    def is_open_at(self, now) -> bool:
        return (
            self.status == self.Status.ANNOUNCED and self.opens_at is not None and self.opens_at <= now < self.closes_at
        )


class DecisionQuestion(models.Model):
    """One question of a vote. Every question is answered 同意 / 反对 / 弃权: art. 278 counts the approving
    owners, so choosing between two companies is two questions. Results are frozen on the row at close."""

    decision = models.ForeignKey(OwnersDecision, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("question"), max_length=300)

    participating_area = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    participating_owners = models.PositiveIntegerField(null=True, blank=True)
    approving_area = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    approving_owners = models.PositiveIntegerField(null=True, blank=True)
    rejecting_area = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    rejecting_owners = models.PositiveIntegerField(null=True, blank=True)
    abstaining_area = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    abstaining_owners = models.PositiveIntegerField(null=True, blank=True)
    quorate = models.BooleanField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["decision_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "position"], name="uniq_question_position")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class Elector(AppendOnly):
    """One owner of the frozen electorate (V-18, V-19): the person, the co-owners of a part, the buyer of several
    parts, or the developer for all its unsold and undelivered parts. `voter` is who votes for it online."""

    decision = models.ForeignKey(OwnersDecision, on_delete=models.CASCADE, related_name="electors")
    owner_key = models.CharField(max_length=80)
    label = models.CharField(max_length=200, help_text=_("the units, e.g. 3号楼2单元201室"))
    area = models.DecimalField(max_digits=12, decimal_places=2)
    unit_count = models.PositiveIntegerField(default=1)
    voter = models.ForeignKey(
        "home.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("voter")
    )
    is_developer = models.BooleanField(default=False)

    class Meta:
        ordering = ["decision_id", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "owner_key"], name="uniq_elector_owner")]
        verbose_name = _("elector")
        verbose_name_plural = _("electorate")

    def __str__(self):
        return self.label


class ElectorUnit(AppendOnly):
    """Which exclusive parts an elector holds in the vote's scope, with the area each counted (V-16, V-20)."""

    elector = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, related_name="+")
    area = models.DecimalField(max_digits=10, decimal_places=2)
    area_source = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["elector_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["elector", "unit"], name="uniq_elector_unit")]

    def __str__(self):
        return f"{self.elector_id}/{self.unit_id}"


def decision_evidence_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"decisions/{instance.decision_id}/{instance.token}.{suffix}"


class Proxy(AppendOnly):
    """A written proxy (书面委托, V-22), uploaded and checked before the proxy votes. A tenant votes only so."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the check")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    decision = models.ForeignKey(OwnersDecision, on_delete=models.CASCADE, related_name="proxies")
    elector = models.ForeignKey(Elector, on_delete=models.PROTECT, related_name="proxies")
    proxy_name = models.CharField(_("proxy's name"), max_length=100)
    proxy_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=32, unique=True)
    document = models.FileField(_("signed letter of proxy"), upload_to=decision_evidence_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    check_note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["decision_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["elector"], condition=Q(status="accepted"), name="one_accepted_proxy_per_elector"
            )
        ]
        verbose_name = _("written proxy")
        verbose_name_plural = _("written proxies")

    def __str__(self):
        return self.proxy_name


class Ballot(AppendOnly):
    """One owner's answer to one question. Never edited: where the rules let an owner change his mind, the change
    is the next revision and the highest revision counts. The unique constraint makes a second first ballot of
    the same owner, however concurrent, fail in the database."""

    class Choice(models.TextChoices):
        APPROVE = "approve", _("agree")
        REJECT = "reject", _("disagree")
        ABSTAIN = "abstain", _("abstain")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper ballot")
        ASSISTED = "assisted", _("entered for the owner by staff")

    decision = models.ForeignKey(OwnersDecision, on_delete=models.PROTECT, related_name="ballots")
    question = models.ForeignKey(DecisionQuestion, on_delete=models.PROTECT, related_name="ballots")
    elector = models.ForeignKey(Elector, on_delete=models.PROTECT, related_name="ballots")
    revision = models.PositiveSmallIntegerField(default=1)
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices)
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    proxy = models.ForeignKey(Proxy, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(default=timezone.now)
    token = models.CharField(max_length=32, blank=True)
    scan = models.FileField(_("scan of the signed ballot"), upload_to=decision_evidence_path, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["decision_id", "question_id", "elector_id", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["question", "elector", "revision"], name="one_ballot_per_revision"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="ballot_revision_positive"),
        ]
        indexes = [models.Index(fields=["decision", "cast_at"], name="ballot_decision_cast")]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return f"{self.question_id}/{self.elector_id}#{self.revision}"


class Objection(AppendOnly):
    """An owner's objection to the preliminary result (询异), filed in the objection period; the committee's
    answer is recorded once on the same row (the only update an objection takes)."""

    decision = models.ForeignKey(OwnersDecision, on_delete=models.CASCADE, related_name="objections")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("objection"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["decision_id", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return self.text[:40]
