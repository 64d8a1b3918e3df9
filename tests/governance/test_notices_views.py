"""The community's notices list, the committee's read counts and the community page's latest notices (issue 3)."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import NoticePage
from governance.services.notices import latest_notices_for
from home.models import CommunityRole
from tests.factories import BuildingFactory, CommunityPageFactory, UserFactory, member
from tests.governance.notice_helpers import in_days, notice_add, outsider, resident_of

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


@pytest.fixture
def community():
    return CommunityPageFactory()


def test_emergency_notice_is_pinned_before_newer_notices(community):
    urgent = notice_add(community, title="停水", notice_type=NoticePage.Type.EMERGENCY, expire_at=in_days(3))
    newer = notice_add(community, title="议事会通知")
    assert latest_notices_for(member(community, Role.RESIDENT), community) == [urgent, newer]


def test_expired_emergency_notice_is_no_longer_listed(community):
    urgent = notice_add(community, notice_type=NoticePage.Type.EMERGENCY, expire_at=in_days(3))
    NoticePage.objects.filter(pk=urgent.pk).update(expire_at=in_days(-1))
    assert latest_notices_for(member(community, Role.RESIDENT), community) == []


def test_latest_notices_are_limited_to_five(community):
    for n in range(7):
        notice_add(community, title=f"通知{n}")
    assert len(latest_notices_for(None, community)) == 0  # members-only by default
    assert len(latest_notices_for(member(community, Role.RESIDENT), community)) == 5


def test_anonymous_sees_only_public_notices_in_the_list(client, community):
    notice_add(community, title="公开通知", is_public=True)
    notice_add(community, title="内部通知")
    html = client.get(reverse("governance:community_notices", args=[community.pk])).content.decode()
    assert "公开通知" in html and "内部通知" not in html


def test_list_hides_building_notice_from_other_buildings(client, community):
    first, second = BuildingFactory(community=community), BuildingFactory(community=community)
    notice_add(community, title="一号楼停电", buildings=[first])
    client.force_login(resident_of(second))
    html = client.get(reverse("governance:community_notices", args=[community.pk])).content.decode()
    assert "一号楼停电" not in html


def test_list_filters_by_type(client, community):
    notice_add(community, title="公示财务", notice_type=NoticePage.Type.DISCLOSURE, is_public=True)
    notice_add(community, title="普通通知", is_public=True)
    url = reverse("governance:community_notices", args=[community.pk])
    html = client.get(url, {"type": "disclosure"}).content.decode()
    assert "公示财务" in html and "普通通知" not in html


def test_list_paginates(client, community):
    for n in range(23):
        notice_add(community, title=f"第{n}号通知", is_public=True)
    url = reverse("governance:community_notices", args=[community.pk])
    assert client.get(url).context["page_obj"].paginator.num_pages == 2
    assert len(client.get(url, {"page": 2}).context["notices"]) == 3


def test_committee_sees_read_counts_per_building(client, community):
    first, second = BuildingFactory(community=community, name="1号楼"), BuildingFactory(community=community)
    notice = notice_add(community)
    for reader in (resident_of(first), resident_of(first), resident_of(second)):
        client.force_login(reader)
        client.get(notice.url)
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    response = client.get(reverse("governance:notice_reads", args=[notice.pk]))
    assert response.status_code == 200
    counts = {row["building"].pk: row["count"] for row in response.context["rows"]}
    assert counts == {first.pk: 2, second.pk: 1}
    assert response.context["total"] == 3


@pytest.mark.parametrize("who", ["resident", "other_committee"])
def test_read_counts_are_refused_to_others(client, community, who):
    notice = notice_add(community)
    user = (
        member(community, Role.RESIDENT) if who == "resident" else member(CommunityPageFactory(), Role.OWNERS_COMMITTEE)
    )
    client.force_login(user)
    assert client.get(reverse("governance:notice_reads", args=[notice.pk])).status_code == 403


def test_read_counts_send_anonymous_to_login(client, community):
    notice = notice_add(community)
    response = client.get(reverse("governance:notice_reads", args=[notice.pk]))
    assert response.status_code == 302


def test_read_counts_query_count_is_flat(client, community, django_assert_max_num_queries):
    notice = notice_add(community)
    buildings = [BuildingFactory(community=community) for _ in range(6)]
    for building in buildings:
        client.force_login(resident_of(building))
        client.get(notice.url)
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    url = reverse("governance:notice_reads", args=[notice.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for building in [BuildingFactory(community=community) for _ in range(10)]:
        client.force_login(resident_of(building))
        client.get(notice.url)
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def community_page_queries(client, community) -> int:
    client.get(community.url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(community.url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer", ["visitor", "resident"])
def test_community_page_lists_notices_with_one_query_budget_for_1_or_50(client, community, viewer):
    """Issue 3: the latest notices cost the same for 1 notice as for 50, pinned ones included."""
    building = BuildingFactory(community=community)
    if viewer == "resident":
        client.force_login(resident_of(building))
    notice_add(community, title="第一条", is_public=True)
    with_one = community_page_queries(client, community)
    for n in range(49):
        kind = NoticePage.Type.EMERGENCY if n % 10 == 0 else NoticePage.Type.GENERAL
        notice_add(
            community,
            title=f"通知{n}",
            is_public=n % 2 == 0,
            notice_type=kind,
            buildings=[building] if n % 3 == 0 else (),
        )
    assert community_page_queries(client, community) == with_one


def test_community_page_shows_pinned_emergency_first(client, community):
    notice_add(
        community, title="旧的紧急停水", notice_type=NoticePage.Type.EMERGENCY, is_public=True, expire_at=in_days(2)
    )
    notice_add(community, title="新的普通通知", is_public=True)
    html = client.get(community.url).content.decode()
    assert html.index("旧的紧急停水") < html.index("新的普通通知")


def test_residents_area_lists_member_only_notices_addressed_to_the_user(client, community):
    first, second = BuildingFactory(community=community), BuildingFactory(community=community)
    notice_add(community, title="公开的通知", is_public=True)
    notice_add(community, title="居民内部通知")
    notice_add(community, title="二号楼专属", buildings=[second])
    client.force_login(resident_of(first))
    html = client.get(reverse("home:community_residents", args=[community.pk])).content.decode()
    assert "居民内部通知" in html
    assert "公开的通知" not in html and "二号楼专属" not in html


def test_bureau_staff_see_building_notices_in_the_list(client, community):
    from home.services.roles import bureau_group

    notice_add(community, title="楼栋通知", buildings=[BuildingFactory(community=community)])
    officer = UserFactory()
    bureau_group().user_set.add(officer)
    client.force_login(officer)
    html = client.get(reverse("governance:community_notices", args=[community.pk])).content.decode()
    assert "楼栋通知" in html


def test_pages_speak_chinese(client, community):
    notice_add(community, title="紧急停水", notice_type=NoticePage.Type.EMERGENCY, is_public=True, expire_at=in_days(2))
    page_html = client.get(community.url).content.decode()
    assert "紧急" in page_html and "全部通知" in page_html
    list_html = client.get(reverse("governance:community_notices", args=[community.pk])).content.decode()
    assert "通知公告" in list_html and "公示" in list_html
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    notice = NoticePage.objects.get()
    assert "阅读情况" in client.get(notice.url).content.decode()
    assert "各楼栋阅读人数" in client.get(reverse("governance:notice_reads", args=[notice.pk])).content.decode()


def test_notice_pages_are_chinese_accessible_and_csp_clean(client, community):
    """One <h1> in Chinese, headings in order, labelled inputs, nothing inline that the CSP forbids."""
    from tests.portal.test_accounts_pages import assert_accessible_chinese_page

    notice = notice_add(community, title="停水通知", notice_type=NoticePage.Type.EMERGENCY, expire_at=in_days(2))
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    urls = [
        notice.url,
        reverse("governance:community_notices", args=[community.pk]),
        reverse("governance:notice_reads", args=[notice.pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert_accessible_chinese_page(html, url)
        levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), f"{url}: {levels}"
    client.force_login(outsider())
    html = client.get(notice.url).content.decode()
    assert_accessible_chinese_page(html, "forbidden")
