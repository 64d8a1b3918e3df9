"""Who may do what with bodies, meetings, minutes and notices. Built on home.permissions: a role in one
community gives nothing in another."""

from home import permissions as home_permissions
from home.models import CommunityPage, CommunityRole

Role = CommunityRole.Role


def community_of(page) -> CommunityPage | None:
    """The community a governance page (body, meeting, notice) sits under."""
    cached = getattr(page, "_community_cache", None)
    if cached is None:
        cached = CommunityPage.objects.ancestor_of(page, inclusive=True).first()
        page._community_cache = cached
    return cached


def can_read_community_records(user, community) -> bool:
    """Published minutes, resolutions and non-public notices: the community's verified residents and role
    holders (V-15), and bureau staff."""
    return home_permissions.can_view_community_content(user, community)
