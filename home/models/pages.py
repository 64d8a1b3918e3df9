from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.search import SegmentedSearchMixin


class HomePage(Page):
    """The city portal: communities, latest guidance, city-wide figures."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.CommunityIndexPage", "governance.PolicyIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("city portal home page")

    def get_context(self, request, *args, **kwargs):
        from home import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_page_context(self))
        return context


class CommunityIndexPage(Page):
    """All renovated communities of the city, searchable, filterable by district and sub-district."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.CommunityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("community index page")

    def get_context(self, request, *args, **kwargs):
        from home import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.community_index_context(self, request.GET))
        return context


class CommunityPage(SegmentedSearchMixin, Page):
    """One 小区: the root of its registry, its roles and every record scoped to it."""

    class ManagementMode(models.TextChoices):
        MARKET_COMPANY = "market_company", _("market property company")
        BUNDLED = "bundled", _("bundled community-guaranteed management (连片打包)")
        SELF_MANAGED = "self_managed", _("owners' self-management")
        NONE = "none", _("no property management yet")

    class RenovationStatus(models.TextChoices):
        NOT_PLANNED = "not_planned", _("not yet planned")
        APPLYING = "applying", _("applying")
        IN_PLAN = "in_plan", _("in the annual plan")
        UNDER_WAY = "under_way", _("under construction")
        COMPLETED = "completed", _("completed")

    sub_district = models.ForeignKey(
        "home.SubDistrict", on_delete=models.PROTECT, related_name="communities", verbose_name=_("sub-district")
    )
    address = models.CharField(_("address"), max_length=200)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    management_mode = models.CharField(
        _("management mode"), max_length=20, choices=ManagementMode.choices, default=ManagementMode.NONE
    )
    renovation_status = models.CharField(
        _("renovation status"), max_length=20, choices=RenovationStatus.choices, default=RenovationStatus.NOT_PLANNED
    )
    is_sgyy_compound = models.BooleanField(
        _("三供一业 staff family compound"),
        default=False,
        help_text=_("A former state-enterprise staff compound handed over under the 三供一业 programme."),
    )
    former_property_unit = models.CharField(_("former owning work unit"), max_length=100, blank=True)
    intro = RichTextField(_("introduction"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("address"),
        index.AutocompleteField("title"),
        index.FilterField("sub_district"),
        *SegmentedSearchMixin.segmented_search_fields,
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("sub_district"),
                FieldPanel("address"),
                FieldPanel("year_built"),
                FieldPanel("management_mode"),
                FieldPanel("renovation_status"),
                FieldPanel("is_sgyy_compound"),
                FieldPanel("former_property_unit"),
            ],
            heading=_("community facts"),
        ),
        FieldPanel("intro"),
    ]
    parent_page_types = ["home.CommunityIndexPage"]
    subpage_types = ["governance.BodyPage", "governance.NoticePage"]

    class Meta:
        verbose_name = _("community page")

    def search_text_parts(self) -> list[str]:
        from django.utils.html import strip_tags

        return [self.address, strip_tags(self.intro)]

    def get_context(self, request, *args, **kwargs):
        from home import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.community_page_context(self, request.user))
        return context
