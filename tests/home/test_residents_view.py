"""居民专区: only the community's verified residents, its role holders and bureau staff get in."""

import pytest
from django.urls import reverse

from home.models import CommunityRole
from home.services.roles import bureau_group
from tests.factories import CommunityPageFactory, UserFactory, community_with_units, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


def residents_url(community) -> str:
    return reverse("home:community_residents", args=[community.pk])


@pytest.fixture
def community():
    return community_with_units(title="幸福里小区", buildings=2, entrances=2, units=3, parking=1)


def test_anonymous_visitor_is_sent_to_the_login_page(client, community):
    response = client.get(residents_url(community))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_logged_in_user_without_a_claim_gets_a_friendly_403_that_explains_claiming(client, community):
    member(community, Role.OWNERS_COMMITTEE, full_name="王秀兰", phone="+8613812345678")
    client.force_login(UserFactory())
    response = client.get(residents_url(community))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="zh-Hans"' in html
    assert "申请认证房屋" in html
    assert reverse("home:claim_start", args=[community.pk]) in html
    assert "王秀兰" not in html
    assert "138****5678" not in html


def test_resident_of_another_community_gets_403(client, community):
    other = CommunityPageFactory()
    client.force_login(member(other, Role.RESIDENT))
    assert client.get(residents_url(community)).status_code == 403


def test_committee_member_of_another_community_gets_403(client, community):
    other = CommunityPageFactory()
    client.force_login(member(other, Role.OWNERS_COMMITTEE))
    assert client.get(residents_url(community)).status_code == 403


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OWNER, Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF])
def test_verified_residents_and_staff_of_this_community_get_in(client, community, role):
    client.force_login(member(community, role))
    response = client.get(residents_url(community))
    assert response.status_code == 200
    assert "居民专区" in response.content.decode()


def test_bureau_staff_get_in(client, community):
    officer = UserFactory()
    officer.groups.add(bureau_group())
    client.force_login(officer)
    response = client.get(residents_url(community))
    assert response.status_code == 200
    assert "居民专区" in response.content.decode()


def test_unknown_community_is_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("home:community_residents", args=[999999])).status_code == 404


def test_residents_area_lists_buildings_with_entrance_and_household_counts(client, community):
    client.force_login(member(community, Role.RESIDENT))
    html = client.get(residents_url(community)).content.decode()
    table = html.split('<table class="table">', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">1号楼</th>' in table
    assert '<th scope="row">2号楼</th>' in table
    # 2 entrances a building, 6 homes a building; the parking space is not a household.
    assert table.count('<td class="num">2</td>') == 2
    assert table.count('<td class="num">6</td>') == 2
    assert '<td class="num">4</td>' in table and '<td class="num">12</td>' in table


def test_residents_area_shows_committee_members_with_masked_phones_only_d01(client, community):
    member(community, Role.OWNERS_COMMITTEE, full_name="王秀兰", phone="+8613812345678")
    client.force_login(member(community, Role.RESIDENT))
    html = client.get(residents_url(community)).content.decode()
    assert "王秀兰" in html
    assert "138****5678" in html
    assert "13812345678" not in html
    assert "+8613812345678" not in html


def test_residents_area_does_not_list_another_communitys_committee(client, community):
    other = CommunityPageFactory()
    member(other, Role.OWNERS_COMMITTEE, full_name="李建国")
    client.force_login(member(community, Role.RESIDENT))
    assert "李建国" not in client.get(residents_url(community)).content.decode()


def test_residents_area_has_placeholders_for_member_notices(client, community):
    client.force_login(member(community, Role.RESIDENT))
    html = client.get(residents_url(community)).content.decode()
    assert "居民内部通知" in html
    assert "暂无" in html


def test_residents_area_breadcrumb_links_back_to_the_community(client, community):
    client.force_login(member(community, Role.RESIDENT))
    html = client.get(residents_url(community)).content.decode()
    crumb = html.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{community.url}"' in crumb
    assert '<span aria-current="page">居民专区</span>' in crumb


def test_residents_area_refuses_post(client, community):
    client.force_login(member(community, Role.RESIDENT))
    assert client.post(residents_url(community)).status_code == 405
