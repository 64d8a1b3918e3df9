"""Meetings, their agenda, attendance, minutes with signatures, and resolutions (A-08…A-13, C-05…C-07)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from governance.forms import MeetingPageForm


class MeetingPage(Page):
    """A meeting of one body. Once its notice is published (`notice_published_at`) the agenda is locked (A-09)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular meeting")
        EXTRAORDINARY = "extraordinary", _("extraordinary meeting")

    class Form(models.TextChoices):
        DISCUSSION = "discussion", _("collective discussion")
        WRITTEN = "written", _("written consultation")

    kind = models.CharField(_("kind of meeting"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.DISCUSSION)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorder"),
    )
    notice_published_at = models.DateTimeField(_("notice published at"), null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("form"),
                FieldPanel("starts_at"),
                FieldPanel("place"),
                FieldPanel("online_link"),
                FieldPanel("recorder"),
            ],
            heading=_("time and place"),
        ),
        InlinePanel("agenda_items", heading=_("agenda"), label=_("agenda item")),
    ]
    parent_page_types = ["governance.BodyPage"]
    subpage_types: list[str] = []
    base_form_class = MeetingPageForm
    template = "governance/meeting_page.html"

    class Meta:
        verbose_name = _("meeting page")

    @property
    def agenda_locked(self) -> bool:
        return self.notice_published_at is not None

    def get_context(self, request, *args, **kwargs):
        from governance.services.meetings import meeting_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(meeting_detail(self, request.user))
        return context


class AgendaItem(Orderable):
    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(_("item"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("material"),
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        ON_LEAVE = "on_leave", _("on leave")

    meeting = models.ForeignKey(MeetingPage, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey("governance.Membership", on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="one_attendance_per_member_and_meeting")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.membership} · {self.get_status_display()}"


class Minutes(models.Model):
    """会议纪要 of one meeting: drafted, confirmed by the attending members, published (A-12, C-07)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CONFIRMING = "confirming", _("awaiting members' signatures")
        PUBLISHED = "published", _("published")

    meeting = models.OneToOneField(MeetingPage, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return f"{self.meeting.title} · {self.get_status_display()}"


class MinutesRevision(models.Model):
    """One text of the minutes. Append-only: a correction after publication is a new revision with a reason."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    body = models.TextField(_("text of the minutes"))
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["minutes_id", "number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="uniq_minutes_revision_number")]
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")

    def __str__(self):
        return f"{self.minutes_id} r{self.number}"


class MinutesSignature(models.Model):
    """An attending member confirms (signs) or refuses one revision of the minutes (C-07). Append-only."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("minutes signature", "confirmed")
        REFUSED = "refused", _("refused to sign")

    revision = models.ForeignKey(MinutesRevision, on_delete=models.PROTECT, related_name="signatures")
    membership = models.ForeignKey("governance.Membership", on_delete=models.PROTECT, related_name="signatures")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.CharField(_("reason"), max_length=300, blank=True)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "membership"], name="one_signature_per_member_and_revision")
        ]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self):
        return f"{self.membership} · {self.get_decision_display()}"


class Resolution(models.Model):
    """A decision or outcome of a meeting, citable by later votes, contracts and renovation steps.

    A deliberation council's consultation outcome is not an owners' decision (G-07): `kind` keeps them apart.
    """

    class Kind(models.TextChoices):
        BODY_DECISION = "body_decision", _("decision of the body")
        CONSULTATION_OUTCOME = "consultation_outcome", _("consultation outcome (not binding on owners)")

    meeting = models.ForeignKey(MeetingPage, on_delete=models.PROTECT, related_name="resolutions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="resolutions"
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.BODY_DECISION)
    text = models.TextField(_("resolution"))
    seat_count = models.PositiveSmallIntegerField(_("members in office"))
    present_count = models.PositiveSmallIntegerField(_("members present"))
    votes_for = models.PositiveSmallIntegerField(_("for"))
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstained"), default=0)
    carried = models.BooleanField(_("carried"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self):
        return self.number or self.text[:40]
