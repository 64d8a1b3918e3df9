from wagtail import hooks

from home.models import CommunityPage
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
