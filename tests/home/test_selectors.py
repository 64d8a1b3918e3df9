"""Selectors: the figures are right (V-16/V-17), and each read costs a fixed number of queries."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from home import selectors
from home.domain.areas import effective_area, total_area
from home.models import CommunityPage, CommunityRole, Unit
from home.services.roles import bureau_group, role_grant
from tests.factories import (
    BuildingFactory,
    CommunityPageFactory,
    EntranceFactory,
    SubDistrictFactory,
    UnitFactory,
    UserFactory,
    community_index_page,
    community_with_units,
    home_page,
    member,
)

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


# --- header_communities_for ---------------------------------------------------------------------


def test_header_communities_are_those_where_the_user_holds_a_role():
    mine, also_mine = CommunityPageFactory(title="乙小区"), CommunityPageFactory(title="甲小区")
    CommunityPageFactory(title="别人的小区")
    user = member(mine, Role.RESIDENT)
    role_grant(user, also_mine, Role.OWNERS_COMMITTEE)
    role_grant(user, mine, Role.OWNER)  # two roles in one community: listed once
    communities = selectors.header_communities_for(user)
    assert sorted(c.title for c in communities) == ["乙小区", "甲小区"]
    assert {c.url for c in communities} == {mine.url, also_mine.url}
    assert all(isinstance(c.id, int) for c in communities)


def test_header_communities_cost_one_query_and_are_cached_on_the_user(django_assert_num_queries):
    community = CommunityPageFactory()
    user = member(community, Role.RESIDENT)
    CommunityPage.objects.first().get_url()  # warm Wagtail's site-root cache, shared by every request
    with django_assert_num_queries(1):
        first = selectors.header_communities_for(user)
    with django_assert_num_queries(0):
        assert selectors.header_communities_for(user) is first


def test_header_communities_of_a_visitor_are_empty_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.header_communities_for(AnonymousUser()) == []
        assert selectors.header_communities_for(None) == []


def test_unpublished_community_is_not_in_the_header():
    community = CommunityPageFactory()
    user = member(community, Role.RESIDENT)
    community.unpublish()
    assert selectors.header_communities_for(user) == []


# --- city figures -------------------------------------------------------------------------------


def test_city_figures_total_area_follows_v16_and_sums_like_the_domain_rule_v17():
    community = CommunityPageFactory()
    entrance = EntranceFactory(building=BuildingFactory(community=community))
    areas = [
        (Decimal("80.00"), Decimal("81.00"), Decimal("82.00")),  # register wins
        (None, Decimal("60.25"), Decimal("61.00")),  # surveyed next
        (None, None, Decimal("45.50")),  # contract last
        (None, None, None),  # no area: counts 0
    ]
    for n, (registered, surveyed, contract) in enumerate(areas):
        UnitFactory(
            entrance=entrance,
            room=f"{n + 1}01",
            registered_area=registered,
            surveyed_area=surveyed,
            contract_area=contract,
        )
    UnitFactory(entrance=entrance, room="车位1", kind=Unit.Kind.SPECIAL_SPACE, registered_area=Decimal("12.00"))
    expected = total_area(effective_area(*a)[0] for a in [*areas, (Decimal("12.00"), None, None)])
    figures = selectors.city_figures()
    assert figures["total_area"] == expected == Decimal("197.75")
    assert figures["units"] == 5
    assert figures["households"] == 4
    assert figures["buildings"] == 1
    assert figures["communities"] == 1


def test_city_figures_count_by_renovation_status_and_management_mode_including_zeros():
    CommunityPageFactory(renovation_status="completed", management_mode="self_managed")
    CommunityPageFactory(renovation_status="completed", management_mode="bundled")
    CommunityPageFactory(renovation_status="applying", management_mode="bundled")
    figures = selectors.city_figures()
    by_status = {row["value"]: row["count"] for row in figures["by_renovation_status"]}
    by_mode = {row["value"]: row["count"] for row in figures["by_management_mode"]}
    assert by_status == {"not_planned": 0, "applying": 1, "in_plan": 0, "under_way": 0, "completed": 2}
    assert by_mode == {"market_company": 0, "bundled": 2, "self_managed": 1, "none": 0}
    assert [row["value"] for row in figures["by_renovation_status"]] == CommunityPage.RenovationStatus.values


def test_city_figures_leave_out_unpublished_communities():
    kept = community_with_units(buildings=1, units=2)
    hidden = community_with_units(buildings=1, units=5)
    hidden.unpublish()
    figures = selectors.city_figures()
    assert figures["communities"] == 1
    assert figures["households"] == 2
    assert kept.live


def test_city_figures_of_an_empty_city_are_zero():
    figures = selectors.city_figures()
    assert figures["communities"] == figures["buildings"] == figures["households"] == 0
    assert figures["total_area"] == Decimal("0.00")


def test_home_page_context_finds_the_community_and_policy_indexes_by_type():
    from governance.models import PolicyIndexPage

    index = community_index_page()
    policy = PolicyIndexPage(title="政策指引", slug="zhengce")
    home_page().add_child(instance=policy)
    context = selectors.home_page_context(home_page())
    assert context["community_index"].pk == index.pk
    assert context["policy_index"].pk == policy.pk


def test_home_page_lists_the_newest_communities_first_with_their_households():
    older = community_with_units(title="老小区", buildings=1, units=2)
    newer = community_with_units(title="新小区", buildings=1, units=3)
    cards = selectors.home_page_context(home_page())["newest_communities"]
    assert [c.pk for c in cards[:2]] == [newer.pk, older.pk]
    assert [c.households for c in cards[:2]] == [3, 2]


# --- community index ----------------------------------------------------------------------------


def index(**params):
    query = QueryDict(mutable=True)
    query.update(params)
    return selectors.community_index_context(community_index_page(), query)


def test_index_filters_combine_district_sub_district_and_text():
    street = SubDistrictFactory(name="东街街道")
    a = CommunityPageFactory(title="幸福里小区", sub_district=street)
    CommunityPageFactory(title="幸福家园", sub_district=SubDistrictFactory(name="西街街道"))
    CommunityPageFactory(title="铁路家属院", sub_district=street)
    context = index(district=str(street.district_id), sub_district=str(street.pk), q="幸福")
    assert [c.pk for c in context["communities"]] == [a.pk]
    assert context["is_filtered"]
    assert context["filters"] == {"district": street.district_id, "sub_district": street.pk, "q": "幸福"}


def test_index_search_text_is_trimmed_and_capped():
    context = index(q="  " + "幸" * 80 + "  ")
    assert context["filters"]["q"] == "幸" * selectors.SEARCH_MAX_LENGTH


@pytest.mark.parametrize("bad", ["", "x", "-1", "0", "2.5", "99999999"])
def test_index_drops_filter_values_that_are_not_a_known_positive_id(bad):
    CommunityPageFactory()
    context = index(district=bad, sub_district=bad)
    assert context["filters"]["district"] is None
    assert context["filters"]["sub_district"] is None
    assert context["result_count"] == 1
    assert not context["is_filtered"]


def test_index_groups_sub_districts_by_district_for_optgroups():
    street = SubDistrictFactory(name="东街街道")
    context = index()
    groups = dict(context["sub_district_groups"])
    assert street in groups[street.district.name]


def test_index_keeps_active_filters_in_the_pagination_query():
    street = SubDistrictFactory()
    context = index(sub_district=str(street.pk), q="小区", page="1")
    assert context["filter_query"] == f"sub_district={street.pk}&q=%E5%B0%8F%E5%8C%BA"


# --- one community ------------------------------------------------------------------------------


def test_community_counts_split_households_from_parking_spaces():
    community = community_with_units(buildings=3, entrances=2, units=4, parking=3)
    counts = selectors.community_counts(community)
    assert counts == {
        "buildings": 3,
        "units": 27,
        "households": 24,
        "total_area": Decimal("75.50") * 27,
    }


def test_community_links_for_a_visitor_is_only_the_login_that_returns_to_the_claim():
    community = CommunityPageFactory()
    links = selectors.community_links(community, AnonymousUser())
    assert list(links) == ["login"]
    assert "next=" in links["login"]


def test_community_links_follow_the_permissions_of_each_role():
    community = CommunityPageFactory()
    stranger = UserFactory()
    resident = member(community, Role.RESIDENT)
    secretary = member(community, Role.OWNERS_COMMITTEE)
    staff = member(community, Role.COMMUNITY_STAFF)
    officer = UserFactory()
    officer.groups.add(bureau_group())
    assert set(selectors.community_links(community, stranger)) == {"claim"}
    assert set(selectors.community_links(community, resident)) == {"residents"}
    assert set(selectors.community_links(community, secretary)) == {
        "residents",
        "claim_queue",
        "register_import",
        "register_export",
        "audit_log",
    }
    assert set(selectors.community_links(community, staff)) == {
        "residents",
        "claim_queue",
        "register_import",
        "register_export",
    }
    assert set(selectors.community_links(community, officer)) == {"claim", "residents", "audit_log"}


# --- 居民专区 ----------------------------------------------------------------------------------


def test_residents_area_context_counts_and_masks_d01():
    community = community_with_units(buildings=2, entrances=3, units=2, parking=1)
    member(community, Role.OWNERS_COMMITTEE, full_name="王秀兰", phone="+8613812345678")
    member(community, Role.RESIDENT, full_name="普通居民")
    context = selectors.residents_area_context(community)
    assert [(b.name, b.entrance_count, b.household_count) for b in context["buildings"]] == [
        ("1号楼", 3, 6),
        ("2号楼", 3, 6),
    ]
    assert context["totals"] == {"buildings": 2, "entrances": 6, "households": 12}
    assert context["committee_members"] == [{"name": "王秀兰", "phone": "138****5678"}]


def test_residents_area_context_skips_deactivated_committee_members():
    community = CommunityPageFactory()
    gone = member(community, Role.OWNERS_COMMITTEE, full_name="已离任")
    gone.is_active = False
    gone.save()
    assert selectors.residents_area_context(community)["committee_members"] == []
