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


def can_manage_bodies(user, community) -> bool:
    """Seating and unseating members of a community's bodies (G1): the community staff of that community and
    bureau staff. Committee members do not manage their own body: the assembly elects them, the community
    records the result, so nobody seats or unseats themselves."""
    return home_permissions.has_role(user, community, Role.COMMUNITY_STAFF) or home_permissions.is_bureau_staff(user)


def can_see_party_members(user, community) -> bool:
    """G-03: Party membership is restricted information: the branch itself, the community staff and bureau
    staff see who sits on the branch; nobody else, never on a public page."""
    return home_permissions.has_role(
        user, community, Role.PARTY_BRANCH, Role.COMMUNITY_STAFF
    ) or home_permissions.is_bureau_staff(user)

