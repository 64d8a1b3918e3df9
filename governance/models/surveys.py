"""Renovation willingness surveys (改造意愿征询, R-07): one opinion per household on the plan and, separately, on
the property-management model; a door-to-door log per household. Written by governance.services.surveys."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WillingnessSurvey(models.Model):
    """Status moves draft → open (households frozen) → closed (result frozen and published)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="willingness_surveys")
    title = models.CharField(_("title"), max_length=120)
    plan_summary = models.TextField(_("renovation plan"))
    management_model = models.TextField(_("property-management model after renovation"))
    buildings = models.ManyToManyField(
        "home.Building", blank=True, related_name="+", verbose_name=_("buildings (none: the whole community)")
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    raises_maintenance_fund = models.BooleanField(
        _("the plan also raises the maintenance fund"),
        default=False,
        help_text=_("Then an owners' vote on art. 278 item 6 must pass as well."),
    )
    fund_decision = models.ForeignKey(
        "governance.OwnersDecision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owners' vote on raising the fund"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    # Frozen at opening and at closing.
    total_households = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    plan_agree = models.PositiveIntegerField(null=True, blank=True)
    model_agree = models.PositiveIntegerField(null=True, blank=True)
    plan_passed = models.BooleanField(null=True, blank=True)
    model_passed = models.BooleanField(null=True, blank=True)
    result_notice = models.ForeignKey(
        "governance.NoticePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("willingness survey")
        verbose_name_plural = _("willingness surveys")

    def __str__(self):
        return self.title


class SurveyHousehold(models.Model):
    """One household (a residential unit) of the survey's scope, frozen at opening, with its current answers.
    Every change of answer also appends a HouseholdContact, so the row's answers are never the only record."""

    class Answer(models.TextChoices):
        NONE = "", _("no answer yet")
        AGREE = "agree", _("agree")
        DISAGREE = "disagree", _("disagree")

    survey = models.ForeignKey(WillingnessSurvey, on_delete=models.CASCADE, related_name="households")
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("home.Building", on_delete=models.PROTECT, related_name="+")
    plan_answer = models.CharField(max_length=8, choices=Answer.choices, blank=True, default="")
    model_answer = models.CharField(max_length=8, choices=Answer.choices, blank=True, default="")
    last_outcome = models.CharField(max_length=12, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey_id", "building_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="uniq_survey_household")]
        indexes = [models.Index(fields=["survey", "building"], name="survey_household_building")]

    def __str__(self):
        return f"{self.survey_id}/{self.unit_id}"


class HouseholdContact(models.Model):
    """The door-to-door log (入户征询记录): append-only, one row per visit, call, paper form or online answer."""

    class Outcome(models.TextChoices):
        CONTACTED = "contacted", _("contacted, no answer yet")
        AGREED = "agreed", _("answered")
        REFUSED = "refused", _("refused to answer")
        UNREACHABLE = "unreachable", _("unreachable")
        PAPER_FORM = "paper_form", _("paper form received")
        ONLINE = "online", _("answered online")

    household = models.ForeignKey(SurveyHousehold, on_delete=models.CASCADE, related_name="contacts")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    plan_answer = models.CharField(max_length=8, choices=SurveyHousehold.Answer.choices, blank=True, default="")
    model_answer = models.CharField(max_length=8, choices=SurveyHousehold.Answer.choices, blank=True, default="")
    reason = models.CharField(_("reason or note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["household_id", "id"]
        verbose_name = _("household contact")
        verbose_name_plural = _("door-to-door log")

    def __str__(self):
        return f"{self.household_id} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("入户记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("入户记录只能追加，不能删除。")
