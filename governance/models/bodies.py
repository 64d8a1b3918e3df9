"""Governance bodies of a community and their members (DOMAIN-RULES §2.3, §7)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from governance.forms import BodyPageForm


class BodyPage(Page):
    """One body of a community: its public page, its members and terms, its meetings below it."""

    class Kind(models.TextChoices):
        PARTY_BRANCH = "party_branch", _("party branch")
        DELIBERATION_COUNCIL = "deliberation_council", _("deliberation council")
        OWNERS_COMMITTEE = "owners_committee", _("owners' committee")
        PROPERTY_MGMT_COMMITTEE = "property_mgmt_committee", _("interim property management committee")
        RESIDENTS_COMMITTEE_SELF_MGMT = (
            "residents_committee_self_mgmt",
            _("self-management through the residents' committee"),
        )
        OWNERS_ASSEMBLY = "owners_assembly", _("owners' assembly")

    kind = models.CharField(_("kind of body"), max_length=40, choices=Kind.choices)
    term_start = models.DateField(_("current term starts"), null=True, blank=True)
    term_end = models.DateField(_("current term ends"), null=True, blank=True)
    seat_count = models.PositiveSmallIntegerField(
        _("number of seats"),
        null=True,
        blank=True,
        help_text=_("The full complement elected for this term (C-01, C-06); quorum and decisions count against it."),
    )
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("term_start"), FieldPanel("term_end"), FieldPanel("seat_count")],
            heading=_("body and term"),
        ),
        FieldPanel("intro"),
    ]
    parent_page_types = ["home.CommunityPage"]
    subpage_types = ["governance.MeetingPage"]
    base_form_class = BodyPageForm

    class Meta:
        verbose_name = _("body page")

    def get_context(self, request, *args, **kwargs):
        from governance.views.bodies import body_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(body_page_context(self, request.user))
        return context


class Membership(models.Model):
    """A person's seat on a body for a term. Ended seats stay as history; they are never deleted."""

    class Position(models.TextChoices):
        SECRETARY = "secretary", _("secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice-chair")
        MEMBER = "member", _("member")
        CONVENOR = "convenor", _("convenor")

    class EndReason(models.TextChoices):
        TERM_EXPIRED = "term_expired", _("term expired")
        CEASED_OWNER = "ceased_owner", _("no longer an owner")
        RESIGNED = "resigned", _("resigned in writing")
        REMOVED = "removed", _("removed by the assembly")
        INCAPACITY = "incapacity", _("lost civil capacity")
        OTHER = "other", _("other")

    body = models.ForeignKey(BodyPage, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey("home.Person", on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, default=Position.MEMBER)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body_id", "ended_on", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person"], condition=Q(ended_on__isnull=True), name="one_current_seat_per_person"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.person} · {self.get_position_display()}"
