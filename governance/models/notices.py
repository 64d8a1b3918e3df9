"""Notices (通知公告) of a community, including the disclosures of C-09, and who read them."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.search import SegmentedSearchMixin


class NoticePageForm(WagtailAdminPageForm):
    """Refusals in the editor: a disclosure names its C-09 category, a building notice names buildings of its own
    community, an emergency notice has an expiry (it stays pinned until then)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        community = self.parent_page
        if "buildings" in self.fields and community is not None:
            from home.models import Building

            self.fields["buildings"].queryset = Building.objects.filter(community_id=community.pk)

    def clean(self):
        cleaned = super().clean()
        notice_type = cleaned.get("notice_type")
        if notice_type == NoticePage.Type.DISCLOSURE and not cleaned.get("disclosure_category"):
            self.add_error("disclosure_category", _("A disclosure names what C-09 obliges the committee to publish."))
        if notice_type != NoticePage.Type.DISCLOSURE and cleaned.get("disclosure_category"):
            self.add_error("disclosure_category", _("Only a disclosure has a disclosure category."))
        buildings = cleaned.get("buildings")
        if cleaned.get("audience") == NoticePage.Audience.BUILDINGS and not buildings:
            self.add_error("buildings", _("Choose at least one building, or address the whole community."))
        if cleaned.get("audience") == NoticePage.Audience.COMMUNITY and buildings:
            self.add_error("buildings", _("A notice for the whole community names no buildings."))
        if notice_type == NoticePage.Type.EMERGENCY and not cleaned.get("expire_at"):
            self.add_error("expire_at", _("An emergency notice stays pinned until it expires: give its expiry time."))
        return cleaned


class NoticePage(SegmentedSearchMixin, Page):
    """Publish and expiry times are Wagtail's own `go_live_at` and `expire_at` (the page's 设置 tab)."""

    class Type(models.TextChoices):
        GENERAL = "general", _("general notice")
        EMERGENCY = "emergency", _("emergency notice (water, power, gas cut…)")
        DISCLOSURE = "disclosure", _("disclosure")
        MEETING = "meeting", _("meeting notice")

    class DisclosureCategory(models.TextChoices):
        """What C-09 obliges the committee to publish."""

        COVENANT_RULES = "covenant_rules", _("covenant and rules of procedure")
        DECISIONS = "decisions", _("decisions of the assembly and the committee")
        SERVICE_CONTRACT = "service_contract", _("property service contract")
        MAINTENANCE_FUND = "maintenance_fund", _("raising and use of the maintenance fund")
        COMMON_INCOME = "common_income", _("use of and income from common parts")
        PARKING = "parking", _("disposal of parking spaces on common land")
        WORKING_FUNDS = "working_funds", _("income and spending of working funds")
        FEES = "fees", _("property fees, cost-sharing and donations")
        OTHER = "other", _("other matters to disclose")

    class Audience(models.TextChoices):
        COMMUNITY = "community", _("the whole community")
        BUILDINGS = "buildings", _("chosen buildings")

    notice_type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.GENERAL)
    disclosure_category = models.CharField(
        _("disclosure category"), max_length=30, choices=DisclosureCategory.choices, blank=True
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.COMMUNITY)
    buildings = ParentalManyToManyField(
        "home.Building", blank=True, related_name="notices", verbose_name=_("buildings")
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public notices can be read by anyone; others only by the community's verified residents."),
    )
    issuer = models.CharField(_("issued by"), max_length=100, blank=True, help_text=_("e.g. 向阳新村业主委员会"))
    body = RichTextField(_("text"))

    search_fields = [*Page.search_fields, index.SearchField("body"), *SegmentedSearchMixin.segmented_search_fields]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("notice_type"),
                FieldPanel("disclosure_category"),
                FieldPanel("issuer"),
                FieldPanel("is_public"),
                FieldPanel("audience"),
                FieldPanel("buildings"),
            ],
            heading=_("type and audience"),
        ),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("attachments"), label=_("attachment")),
    ]
    parent_page_types = ["home.CommunityPage"]
    subpage_types: list[str] = []

    template = "governance/notice_page.html"
    base_form_class = NoticePageForm

    class Meta:
        verbose_name = _("notice page")

    def search_text_parts(self) -> list[str]:
        from django.utils.html import strip_tags

        return [self.issuer, strip_tags(self.body)]

    def serve(self, request, *args, **kwargs):
        """Only readers the notice is meant for; the first opening by each user is recorded."""
        from governance.permissions import community_of
        from governance.services import notices as notice_services

        community = community_of(self)
        if not getattr(request, "is_preview", False):
            access = notice_services.notice_access_for(request.user, self, community)
            if access == notice_services.Access.GONE:
                raise Http404
            if access == notice_services.Access.LOGIN:
                return redirect_to_login(request.get_full_path())
            if access == notice_services.Access.FORBIDDEN:
                context = {"page": self, "community": community}
                return TemplateResponse(request, "governance/notices/forbidden.html", context, status=403)
            notice_services.notice_read_record(user=request.user, notice=self, community=community)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from django.urls import reverse

        from governance.permissions import community_of
        from governance.services import notices as notice_services

        context = super().get_context(request, *args, **kwargs)
        community = community_of(self)
        context["community"] = community
        context["buildings"] = list(self.buildings.all()) if self.audience == self.Audience.BUILDINGS else []
        context["attachment_list"] = list(self.attachments.select_related("document"))
        context["notices_url"] = reverse("governance:community_notices", args=[community.pk])
        if notice_services.can_see_read_counts(request.user, community):
            context["reads_url"] = reverse("governance:notice_reads", args=[self.pk])
        return context


class NoticeAttachment(Orderable):
    notice = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")


class NoticeRead(models.Model):
    """The first time a user opened a notice, with the building they live in then (read counts per building)."""

    notice = models.ForeignKey(NoticePage, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    building = models.ForeignKey("home.Building", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="one_read_per_user_and_notice")]
        indexes = [models.Index(fields=["notice", "building"], name="notice_reads_by_building")]
        verbose_name = _("notice read")
        verbose_name_plural = _("notice reads")

    def __str__(self):
        return f"{self.notice_id} · {self.user_id}"
