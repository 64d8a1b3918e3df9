"""Who may do what, per community. Views and consumers ask; services ask again before writing.

A person's roles in one community give nothing in another (PRODUCT.md "Who uses it").
"""

from django.conf import settings

from home.models import CommunityRole

Role = CommunityRole.Role


def _roles_cache(user) -> dict[int, set[str]]:
    """{community_id: {role, …}} for the user, fetched once per request-scoped user object."""
    cache = getattr(user, "_community_roles_cache", None)
    if cache is None:
        cache = {}
        for community_id, role in CommunityRole.objects.filter(group__user=user).values_list("community_id", "role"):
            cache.setdefault(community_id, set()).add(role)
        user._community_roles_cache = cache
    return cache


def forget_roles(user) -> None:
    """Drop the per-object cache after a service changed the user's roles."""
    if hasattr(user, "_community_roles_cache"):
        del user._community_roles_cache


def roles_in(user, community) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return _roles_cache(user).get(community.pk if hasattr(community, "pk") else community, set())


def has_role(user, community, *roles: str) -> bool:
    return bool(roles_in(user, community) & set(roles))


def is_bureau_staff(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_is_bureau_cache", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=settings.PORTAL_BUREAU_GROUP).exists()
        user._is_bureau_cache = cached
    return cached


def is_verified_resident(user, community) -> bool:
    """Residents and owners are verified members of a household of this community."""
    return has_role(user, community, Role.RESIDENT, Role.OWNER)


def can_view_community_content(user, community) -> bool:
    return bool(roles_in(user, community)) or is_bureau_staff(user)


def can_verify_claims(user, community) -> bool:
    return has_role(user, community, Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF)


def can_manage_register(user, community) -> bool:
    """Import and export the unit register: it is personal data restricted to committee roles (D-12)."""
    return has_role(user, community, Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF)


def can_view_audit_log(user, community) -> bool:
    return has_role(user, community, Role.OWNERS_COMMITTEE) or is_bureau_staff(user)


def can_manage_any_register(user) -> bool:
    """Records that belong to no single community (a person) may be written by whoever manages a register."""
    if user is None or not user.is_authenticated:
        return False
    return any(roles & {Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF} for roles in _roles_cache(user).values())
