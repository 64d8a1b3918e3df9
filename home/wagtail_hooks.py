from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.models import CommunityPage, District, SubDistrict
from home.services.roles import community_roles_ensure


@hooks.register("after_create_page")
def create_community_roles(request, page):
    """A new community gets its role groups and page permissions on its own subtree only."""
    if isinstance(page.specific, CommunityPage):
        community_roles_ensure(page.specific)


@hooks.register("after_copy_page")
def create_copied_community_roles(request, page, new_page):
    if isinstance(new_page.specific, CommunityPage):
        community_roles_ensure(new_page.specific)


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    menu_label = _("Districts")
    list_display = ["name", "code"]
    search_fields = ["name"]


class SubDistrictViewSet(SnippetViewSet):
    model = SubDistrict
    icon = "site"
    menu_label = _("Sub-districts")
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]


class RegionsGroup(SnippetViewSetGroup):
    """Districts and sub-districts are city-wide: only bureau staff (and superusers) may edit them."""

    items = (DistrictViewSet, SubDistrictViewSet)
    menu_icon = "site"
    menu_label = _("Districts and sub-districts")
    menu_name = "regions"


register_snippet(RegionsGroup)
