"""Reads for accounts, claims, notifications and the audit log, with their joins, so that query counts stay
flat however many units, claims, notifications or audit entries there are."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q

from home import permissions
from home.domain.identity import normalise_mobile
from home.models import (
    AuditEntry,
    Building,
    CommunityIndexPage,
    CommunityPage,
    CommunityRole,
    Entrance,
    Notification,
    Ownership,
    Residency,
    Unit,
    UnitClaim,
)


def unread_notification_count(user) -> int:
    """How many of the user's notifications are unread; 0 for visitors. One query, cached on the user."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return 0
    cached = getattr(user, "_unread_notification_count", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._unread_notification_count = cached
    return cached


def notifications_for(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


# --- claims ---------------------------------------------------------------------------------------------


def claim_buildings(community: CommunityPage):
    """The community's buildings with their counts of homes and of parking spaces, for step 1 of the claim form."""
    return (
        Building.objects.filter(community=community)
        .annotate(
            home_count=Count("entrances__units", filter=Q(entrances__units__kind=Unit.Kind.RESIDENCE)),
            space_count=Count("entrances__units", filter=Q(entrances__units__kind=Unit.Kind.SPECIAL_SPACE)),
        )
        .order_by("sort_order", "name")
    )


def claim_unit_choices(building: Building) -> list[tuple[str, list[tuple[int, str]]]]:
    """[(entrance name, [(unit id, "201室"), …]), …] for a <select> with one <optgroup> per entrance."""
    entrances = Entrance.objects.filter(building=building).prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("room"))
    )
    groups = []
    for entrance in entrances:
        options = [(unit.pk, _room_label(unit)) for unit in entrance.units.all()]
        if options:
            groups.append((entrance.name, options))
    return groups


def _room_label(unit: Unit) -> str:
    if unit.kind == Unit.Kind.SPECIAL_SPACE:
        return f"{unit.room}（{unit.get_kind_display()}）"
    return f"{unit.room}室"


def pending_claims(community: CommunityPage):
    """Pending claims of one community, oldest first, with the unit's registered owners for comparison."""
    owners = Ownership.objects.filter(ended_on__isnull=True).select_related("person")
    return (
        UnitClaim.objects.filter(status=UnitClaim.Status.PENDING, unit__entrance__building__community=community)
        .select_related("user", "unit__entrance__building")
        .prefetch_related(Prefetch("unit__ownerships", queryset=owners, to_attr="current_ownerships"))
        .order_by("created_at", "id")
    )


def phone_matches_owner(phone: str, ownerships) -> bool:
    """Whether the claimant's phone is one of the unit's registered owners' phones (a hint for the committee)."""
    phone = normalise_mobile(phone or "")
    return phone is not None and any(normalise_mobile(o.person.phone) == phone for o in ownerships)


def recent_claim_decisions(community: CommunityPage, limit: int = 10):
    return list(
        UnitClaim.objects.filter(
            unit__entrance__building__community=community,
            status__in=[UnitClaim.Status.VERIFIED, UnitClaim.Status.REJECTED],
        )
        .select_related("unit__entrance__building", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


# --- profile --------------------------------------------------------------------------------------------


def profile_context(user) -> dict:
    residencies = list(
        Residency.objects.filter(person__user=user, ended_on__isnull=True)
        .select_related("unit__entrance__building__community")
        .order_by("unit__entrance__building__community__title", "unit__entrance__building__name", "unit__room")
    )
    claims = list(
        UnitClaim.objects.filter(user=user)
        .select_related("unit__entrance__building__community")
        .order_by("-created_at", "-id")
    )
    roles = list(
        CommunityRole.objects.filter(group__user=user).select_related("community").order_by("community__title", "role")
    )
    communities: dict[int, dict] = {}
    for community_role in roles:
        community = community_role.community
        entry = communities.setdefault(
            community.pk,
            {
                "community": community,
                "roles": [],
                "can_verify_claims": permissions.can_verify_claims(user, community),
                "can_view_audit_log": permissions.can_view_audit_log(user, community),
            },
        )
        entry["roles"].append(community_role)
    index = CommunityIndexPage.objects.live().first()
    return {
        "residencies": residencies,
        "claims": claims,
        "community_roles": list(communities.values()),
        "unread_count": unread_notification_count(user),
        "community_index_url": index.url if index else "/",
    }


# --- audit log ------------------------------------------------------------------------------------------


def audit_entries(community: CommunityPage, action: str = ""):
    entries = AuditEntry.objects.filter(community=community).select_related("actor")
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-created_at", "-id")


def audit_actions(community: CommunityPage) -> list[str]:
    return list(
        AuditEntry.objects.filter(community=community).order_by("action").values_list("action", flat=True).distinct()
    )
