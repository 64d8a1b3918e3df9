"""Per-community groups and the Wagtail page permissions that go with them."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from home.models import CommunityIndexPage, CommunityPage, CommunityRole

Role = CommunityRole.Role

# Which roles edit pages under their own community, and with which Wagtail page permissions.
PAGE_PERMISSIONS = {
    Role.OWNERS_COMMITTEE: ("add_page", "change_page", "publish_page"),
    Role.PARTY_BRANCH: ("add_page", "change_page", "publish_page"),
    Role.DELIBERATION_COUNCIL: ("add_page", "change_page"),
    Role.COMMUNITY_STAFF: ("add_page", "change_page", "publish_page"),  # publishes where no committee is (C-15)
}


def group_name(community: CommunityPage, role: str) -> str:
    return f"{community.title}（#{community.pk}）· {Role(role).label}"


@transaction.atomic
def community_roles_ensure(community: CommunityPage) -> dict[str, Group]:
    """Create the community's role groups and their page permissions on its subtree only. Idempotent."""
    existing = {r.role: r.group for r in CommunityRole.objects.filter(community=community).select_related("group")}
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for role in Role:
        group = existing.get(role.value)
        if group is None:
            group, _ = Group.objects.get_or_create(name=group_name(community, role))
            CommunityRole.objects.create(community=community, role=role, group=group)
        groups[role.value] = group
        codenames = PAGE_PERMISSIONS.get(role, ())
        if codenames:
            group.permissions.add(admin_access)
            for codename in codenames:
                permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                GroupPagePermission.objects.get_or_create(group=group, page=community, permission=permission)
    return groups


BUREAU_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
BUREAU_MODEL_PERMISSIONS = (
    ("home", "add_district"),
    ("home", "change_district"),
    ("home", "add_subdistrict"),
    ("home", "change_subdistrict"),
)


def bureau_group() -> Group:
    """City-wide bureau staff: the admin, and the districts and sub-districts communities hang from."""
    group, _ = Group.objects.get_or_create(name=settings.PORTAL_BUREAU_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for app_label, codename in BUREAU_MODEL_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    index = CommunityIndexPage.objects.first()
    if index is not None:
        # The bureau may post to any community (issue 3: notices); its notices need no committee approval.
        for codename in BUREAU_PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    return group


def role_grant(user, community: CommunityPage, role: str) -> None:
    """Put a user in a community role. Callers are services that already checked permission."""
    CommunityRole.objects.get(community=community, role=role).group.user_set.add(user)


def role_revoke(user, community: CommunityPage, role: str) -> None:
    CommunityRole.objects.get(community=community, role=role).group.user_set.remove(user)
