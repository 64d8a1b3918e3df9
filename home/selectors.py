"""Reads shared by pages and views, written once with their joins so query counts stay flat.

Every function here issues a fixed number of queries whatever the size of the city: figures are
aggregated in the database, lists are fetched with their joins, and per-row numbers are annotations.
"""

from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.models import Page

from home import permissions
from home.domain.areas import CENT
from home.domain.masking import mask_phone
from home.models import Building, CommunityPage, CommunityRole, District, SubDistrict, Unit

Role = CommunityRole.Role

COMMUNITIES_PER_PAGE = 20
NEWEST_COMMUNITIES_ON_HOME = 6
SEARCH_MAX_LENGTH = 50

# V-16: the effective area is the register's area, else the surveyed one, else the contract's.
EFFECTIVE_AREA = Coalesce("registered_area", "surveyed_area", "contract_area")
AREA_FIELD = DecimalField(max_digits=14, decimal_places=2)


class HeaderCommunity(NamedTuple):
    id: int
    title: str
    url: str


# --- small helpers ---------------------------------------------------------------------------


def _quantize_area(value) -> Decimal:
    """V-17: a total of effective areas, 0.00 when there is none, to the hundredth of a m²."""
    return Decimal(value or 0).quantize(CENT)


def _households():
    """Per-community annotation: residence units (户), special spaces such as parking excluded.

    A correlated subquery rather than a join and GROUP BY: the database counts units only for the rows
    it returns, and the paginator's COUNT(*) drops the annotation altogether.
    """
    units = (
        Unit.objects.filter(entrance__building__community=OuterRef("pk"), kind=Unit.Kind.RESIDENCE)
        .order_by()
        .values("entrance__building__community")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(units, output_field=IntegerField()), 0)


def _community_cards():
    """Live communities with everything a card shows, in one query whatever the page size."""
    return (
        CommunityPage.objects.live()
        .select_related("sub_district__district")
        .annotate(households=_households())
        .only(
            "id",
            "title",
            "url_path",
            "address",
            "year_built",
            "management_mode",
            "renovation_status",
            "is_sgyy_compound",
            "sub_district__name",
            "sub_district__district__name",
        )
    )


def _positive_int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


# --- header --------------------------------------------------------------------------------


def header_communities_for(user, request=None) -> list[HeaderCommunity]:
    """The live communities in which `user` holds any role, for the site header's switcher.

    One query, then cached on the user object, which lives as long as the request.
    """
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_header_communities_cache", None)
    if cached is not None:
        return cached
    communities = (
        CommunityPage.objects.live()
        .filter(roles__group__user=user)
        .distinct()
        .only("id", "title", "url_path")
        .order_by("title", "id")
    )
    result = [HeaderCommunity(c.id, c.title, c.get_url(request=request) or "") for c in communities]
    user._header_communities_cache = result
    return result


# --- home page -----------------------------------------------------------------------------


def _choice_counts(choices, totals: dict) -> list[dict]:
    return [{"value": value, "label": label, "count": totals[value]} for value, label in choices]


def city_figures() -> dict:
    """City-wide figures (V-16/V-17 for the area), three aggregate queries whatever the city's size."""
    live = CommunityPage.objects.live()
    aggregates = {"communities": Count("id")}
    for value in CommunityPage.RenovationStatus.values:
        aggregates[f"renovation_{value}"] = Count("id", filter=Q(renovation_status=value))
    for value in CommunityPage.ManagementMode.values:
        aggregates[f"management_{value}"] = Count("id", filter=Q(management_mode=value))
    counts = live.aggregate(**aggregates)

    buildings = Building.objects.filter(community__in=live.values("id")).count()
    units = Unit.objects.filter(entrance__building__community__in=live.values("id")).aggregate(
        units=Count("id"),
        households=Count("id", filter=Q(kind=Unit.Kind.RESIDENCE)),
        total_area=Sum(EFFECTIVE_AREA, output_field=AREA_FIELD),
    )
    return {
        "communities": counts["communities"],
        "buildings": buildings,
        "units": units["units"],
        "households": units["households"],
        "total_area": _quantize_area(units["total_area"]),
        "by_renovation_status": _choice_counts(
            CommunityPage.RenovationStatus.choices,
            {v: counts[f"renovation_{v}"] for v in CommunityPage.RenovationStatus.values},
        ),
        "by_management_mode": _choice_counts(
            CommunityPage.ManagementMode.choices,
            {v: counts[f"management_{v}"] for v in CommunityPage.ManagementMode.values},
        ),
    }


def _section_pages(home) -> dict:
    """The community index and the policy index among the home page's children, in one query.

    home/ must not import governance/, so the policy index is recognised by its content type.
    """
    found = {"community_index": None, "policy_index": None}
    children = (
        Page.objects.child_of(home)
        .live()
        .select_related("content_type")
        .only("id", "title", "url_path", "content_type__app_label", "content_type__model")
    )
    for child in children:
        key = (child.content_type.app_label, child.content_type.model)
        if key == ("home", "communityindexpage") and found["community_index"] is None:
            found["community_index"] = child
        elif key == ("governance", "policyindexpage") and found["policy_index"] is None:
            found["policy_index"] = child
    return found


def home_page_context(page) -> dict:
    return {
        "figures": city_figures(),
        "newest_communities": list(
            _community_cards().order_by("-first_published_at", "-id")[:NEWEST_COMMUNITIES_ON_HOME]
        ),
        **_section_pages(page),
    }


# --- community index -----------------------------------------------------------------------


def _index_filters(params) -> dict:
    """District, sub-district and search text from the query string; anything invalid is dropped."""
    query = (params.get("q") or "").strip()[:SEARCH_MAX_LENGTH]
    return {
        "district": _positive_int(params.get("district")),
        "sub_district": _positive_int(params.get("sub_district")),
        "q": query,
    }


def _filtered_communities(filters: dict):
    communities = _community_cards()
    if filters["district"]:
        communities = communities.filter(sub_district__district_id=filters["district"])
    if filters["sub_district"]:
        communities = communities.filter(sub_district_id=filters["sub_district"])
    if filters["q"]:
        communities = communities.filter(Q(title__icontains=filters["q"]) | Q(address__icontains=filters["q"]))
    return communities.order_by("sub_district__district__name", "sub_district__name", "title", "id")


def community_index_context(page, params) -> dict:
    """Communities filtered by district, sub-district and name or address; 20 a page.

    The filter form is a plain GET form; every sub-district sits in an optgroup of its district so
    the dropdowns work without JavaScript.
    """
    filters = _index_filters(params)
    districts = list(District.objects.order_by("name"))
    sub_districts = list(SubDistrict.objects.select_related("district").order_by("district__name", "name"))
    known_districts = {d.id for d in districts}
    known_sub_districts = {s.id for s in sub_districts}
    if filters["district"] not in known_districts:
        filters["district"] = None
    if filters["sub_district"] not in known_sub_districts:
        filters["sub_district"] = None

    paginator = Paginator(_filtered_communities(filters), COMMUNITIES_PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    active = {key: value for key, value in filters.items() if value}
    return {
        "filters": filters,
        "is_filtered": bool(active),
        "filter_query": urlencode(active),
        "districts": districts,
        "sub_district_groups": _group_by_district(sub_districts),
        "page_obj": page_obj,
        "communities": page_obj.object_list,
        "result_count": paginator.count,
    }


def _group_by_district(sub_districts) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for sub_district in sub_districts:
        groups.setdefault(sub_district.district.name, []).append(sub_district)
    return list(groups.items())


# --- one community -------------------------------------------------------------------------


def community_counts(community) -> dict:
    """Buildings, households, units and total effective area (V-16/V-17) of one community."""
    units = Unit.objects.filter(entrance__building__community=community).aggregate(
        units=Count("id"),
        households=Count("id", filter=Q(kind=Unit.Kind.RESIDENCE)),
        total_area=Sum(EFFECTIVE_AREA, output_field=AREA_FIELD),
    )
    return {
        "buildings": Building.objects.filter(community=community).count(),
        "units": units["units"],
        "households": units["households"],
        "total_area": _quantize_area(units["total_area"]),
    }


def community_links(community, user) -> dict:
    """The actions this user may take here, each present only when the permission holds.

    Visitors get a login link that comes back to the claim form, the first step to 居民专区.
    """
    claim_url = reverse("home:claim_start", args=[community.pk])
    if user is None or not user.is_authenticated:
        return {"login": f"{reverse('account_login')}?{urlencode({'next': claim_url})}"}
    links = {}
    if not permissions.roles_in(user, community):
        links["claim"] = claim_url
    if permissions.can_view_community_content(user, community):
        links["residents"] = reverse("home:community_residents", args=[community.pk])
    if permissions.can_verify_claims(user, community):
        links["claim_queue"] = reverse("home:claim_queue", args=[community.pk])
    if permissions.can_manage_register(user, community):
        links["register_import"] = reverse("home:register_import", args=[community.pk])
        links["register_export"] = reverse("home:register_export", args=[community.pk])
    if permissions.can_view_audit_log(user, community):
        links["audit_log"] = reverse("home:audit_log", args=[community.pk])
    return links


def community_page_context(page, user) -> dict:
    sub_district = SubDistrict.objects.select_related("district").get(pk=page.sub_district_id)
    return {
        "sub_district": sub_district,
        "district": sub_district.district,
        "counts": community_counts(page),
        "is_verified_resident": permissions.is_verified_resident(user, page),
        "has_role": bool(permissions.roles_in(user, page)),
        "links": community_links(page, user),
    }


# --- 居民专区 ----------------------------------------------------------------------------


def residents_area_context(community) -> dict:
    """Buildings with entrance and household counts, and the owners' committee with masked phones."""
    buildings = list(
        Building.objects.filter(community=community)
        .annotate(
            entrance_count=Count("entrances", distinct=True),
            household_count=Count("entrances__units", filter=Q(entrances__units__kind=Unit.Kind.RESIDENCE)),
        )
        .order_by("sort_order", "name")
    )
    committee = (
        get_user_model()
        .objects.filter(
            groups__community_role__community=community,
            groups__community_role__role=Role.OWNERS_COMMITTEE,
            is_active=True,
        )
        .only("id", "username", "full_name", "phone")
        .order_by("full_name", "id")
        .distinct()
    )
    return {
        "buildings": buildings,
        "committee_members": [{"name": str(user), "phone": mask_phone(user.phone or "")} for user in committee],
        "totals": {
            "buildings": len(buildings),
            "entrances": sum(b.entrance_count for b in buildings),
            "households": sum(b.household_count for b in buildings),
        },
    }
