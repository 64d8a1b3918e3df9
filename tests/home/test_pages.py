"""The public pages render in Chinese, and the community index filters and searches without JavaScript."""

import re

import pytest
from django.urls import reverse

from governance.models import PolicyIndexPage
from home.models import CommunityPage, CommunityRole
from tests.factories import (
    BuildingFactory,
    CommunityPageFactory,
    DistrictFactory,
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


@pytest.fixture
def policy_index():
    page = PolicyIndexPage(title="政策指引", slug="zhengce")
    home_page().add_child(instance=page)
    return page


def text_of(response) -> str:
    return response.content.decode()


def h1_of(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)


# --- home page ----------------------------------------------------------------------------------


def test_home_page_is_chinese_with_one_h1_and_city_figures(client, policy_index):
    community_with_units(title="幸福里小区", buildings=2, entrances=1, units=3)
    html = text_of(client.get("/"))
    assert '<html lang="zh-Hans"' in html
    assert len(h1_of(html)) == 1
    for heading in ("全市概况", "最新小区", "政策指引", "按改造状态", "按管理模式"):
        assert heading in html
    assert "幸福里小区" in html
    assert "查找我的小区" in html


def test_home_page_links_to_the_community_index_and_the_policy_index(client, policy_index):
    index = community_index_page()
    html = text_of(client.get("/"))
    assert f'href="{index.url}"' in html
    assert f'href="{policy_index.url}"' in html


def test_home_page_without_communities_says_so_instead_of_inventing_data(client):
    html = text_of(client.get("/"))
    assert "暂无" in html


# --- community index ----------------------------------------------------------------------------


@pytest.fixture
def two_districts():
    east, west = DistrictFactory(name="红旗区"), DistrictFactory(name="卫滨区")
    east_street = SubDistrictFactory(district=east, name="东街街道")
    west_street = SubDistrictFactory(district=west, name="胜利路街道")
    return {
        "east": east,
        "west": west,
        "east_street": east_street,
        "west_street": west_street,
        "happy": CommunityPageFactory(title="幸福里小区", sub_district=east_street, address="建设路12号"),
        "rail": CommunityPageFactory(title="铁路家属院", sub_district=west_street, address="胜利路3号"),
    }


def index_html(client, **params) -> str:
    response = client.get(community_index_page().url, params)
    assert response.status_code == 200
    return text_of(response)


def test_community_index_filters_by_district(client, two_districts):
    html = index_html(client, district=two_districts["east"].pk)
    assert "幸福里小区" in html
    assert "铁路家属院" not in html


def test_community_index_filters_by_sub_district(client, two_districts):
    html = index_html(client, sub_district=two_districts["west_street"].pk)
    assert "铁路家属院" in html
    assert "幸福里小区" not in html


def test_community_index_searches_name_and_address(client, two_districts):
    assert "幸福里小区" in index_html(client, q="幸福")
    by_address = index_html(client, q="胜利路")
    assert "铁路家属院" in by_address
    assert "幸福里小区" not in by_address


@pytest.mark.parametrize("bad", ["abc", "-3", "0", "99999", "1.5", "' OR 1=1"])
def test_community_index_ignores_an_invalid_filter_value(client, two_districts, bad):
    html = index_html(client, district=bad, sub_district=bad, page=bad)
    assert "幸福里小区" in html
    assert "铁路家属院" in html


def test_community_index_says_when_nothing_matches(client, two_districts):
    html = index_html(client, q="不存在的小区")
    assert "没有符合条件的小区" in html


def test_community_index_filter_form_works_without_javascript(client, two_districts):
    html = index_html(client)
    assert re.search(r'<form method="get"[^>]*class="filter-form"', html)
    assert '<button type="submit" class="button button-primary">' in html
    assert '<label for="filter-district">' in html
    assert '<label for="filter-sub-district">' in html
    assert '<label for="filter-q">' in html
    assert '<optgroup label="红旗区"' in html


def test_community_index_paginates_twenty_a_page_and_keeps_the_filters(client):
    street = SubDistrictFactory(name="分页街道")
    for n in range(23):
        CommunityPageFactory(title=f"分页{n:02d}小区", sub_district=street)
    first = index_html(client, sub_district=street.pk)
    assert first.count('class="card card-link"') == 20
    assert f"sub_district={street.pk}&amp;page=2" in first
    assert 'aria-label="分页"' in first
    second = index_html(client, sub_district=street.pk, page=2)
    assert second.count('class="card card-link"') == 3
    assert 'aria-current="page"' in second


def test_community_card_shows_district_year_households_management_and_renovation(client, two_districts):
    happy = two_districts["happy"]
    happy.year_built = 1988
    happy.management_mode = CommunityPage.ManagementMode.SELF_MANAGED
    happy.renovation_status = CommunityPage.RenovationStatus.UNDER_WAY
    happy.save_revision().publish()
    community_with_units(buildings=1)  # another community's homes must not count on this card
    entrance = EntranceFactory(building=BuildingFactory(community=happy))
    for room in ("101", "102", "201"):
        UnitFactory(entrance=entrance, room=room)
    html = index_html(client, q="幸福里")
    assert "红旗区 · 东街街道" in html
    assert "1988年" in html
    assert "3 户" in html
    assert "业主自治管理" in html
    assert "施工中" in html


# --- community page -----------------------------------------------------------------------------


def test_community_page_shows_facts_counts_and_calm_placeholders(client):
    community = community_with_units(title="幸福里小区", buildings=2, entrances=2, units=3, parking=2)
    html = text_of(client.get(community.url))
    assert len(h1_of(html)) == 1
    assert "幸福里小区" in h1_of(html)[0]
    assert "2 栋" in html
    assert "12 户" in html
    # 12 homes and 2 parking spaces of 75.50 m² each (V-16/V-17).
    assert "1057.00 m²" in html
    for section in ("组织机构", "党支部", "议事会", "业委会", "最新通知", "正在进行的表决", "收支公示", "改造进度"):
        assert section in html
    assert "暂无" in html


def test_visitor_on_a_community_page_is_asked_to_log_in_to_claim(client):
    community = CommunityPageFactory()
    html = text_of(client.get(community.url))
    claim_url = reverse("home:claim_start", args=[community.pk])
    assert f"{reverse('account_login')}?next={claim_url.replace('/', '%2F')}" in html
    assert "登录后申请认证房屋" in html
    assert reverse("home:community_residents", args=[community.pk]) not in html


def test_logged_in_user_without_a_role_is_offered_a_claim(client):
    community = CommunityPageFactory()
    client.force_login(UserFactory())
    html = text_of(client.get(community.url))
    claim_url = reverse("home:claim_start", args=[community.pk])
    assert f'href="{claim_url}"' in html
    assert reverse("home:community_residents", args=[community.pk]) not in html


def test_verified_resident_sees_the_residents_area_link_and_no_claim_button(client):
    community = CommunityPageFactory()
    client.force_login(member(community, Role.RESIDENT))
    html = text_of(client.get(community.url))
    assert reverse("home:community_residents", args=[community.pk]) in html
    assert "已认证居民" in html
    assert reverse("home:claim_start", args=[community.pk]) not in html
    assert reverse("home:claim_queue", args=[community.pk]) not in html


def test_committee_member_sees_the_committee_tools(client):
    community = CommunityPageFactory()
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    html = text_of(client.get(community.url))
    for name in ("home:claim_queue", "home:register_import", "home:register_export", "home:audit_log"):
        assert reverse(name, args=[community.pk]) in html


def test_committee_tools_of_one_community_do_not_show_on_another(client):
    mine, other = CommunityPageFactory(), CommunityPageFactory()
    client.force_login(member(mine, Role.OWNERS_COMMITTEE))
    html = text_of(client.get(other.url))
    assert reverse("home:claim_queue", args=[other.pk]) not in html
    assert reverse("home:community_residents", args=[other.pk]) not in html


def test_community_page_has_a_breadcrumb_of_its_ancestors(client):
    community = CommunityPageFactory(title="幸福里小区")
    html = text_of(client.get(community.url))
    crumb = html.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert ">首页</a>" in crumb
    assert f'href="{community_index_page().url}"' in crumb
    assert '<span aria-current="page">幸福里小区</span>' in crumb


# --- policy index -------------------------------------------------------------------------------


def test_policy_index_is_a_chinese_shell(client, policy_index):
    html = text_of(client.get(policy_index.url))
    assert "政策文件" in html
    assert "政策问答" in html
    assert "暂无" in html
