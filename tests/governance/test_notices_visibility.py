"""Who may open a notice, and the read records (issue 3 Notices; V-15)."""

import pytest
from django.urls import reverse

from governance.models import NoticePage, NoticeRead
from home.models import CommunityRole
from tests.factories import BuildingFactory, CommunityPageFactory, member
from tests.governance.notice_helpers import in_days, notice_add, outsider, resident_of

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


@pytest.fixture
def community():
    return CommunityPageFactory()


def test_public_notice_is_readable_by_anonymous(client, community):
    notice = notice_add(community, is_public=True)
    response = client.get(notice.url)
    assert response.status_code == 200
    assert "停水通知" in response.content.decode()


def test_members_only_notice_sends_anonymous_to_login(client, community):
    notice = notice_add(community, is_public=False)
    response = client.get(notice.url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_resident_of_b_cannot_open_a_members_only_notice_of_a(client, community):
    notice = notice_add(community, is_public=False)
    other = CommunityPageFactory()
    client.force_login(resident_of(BuildingFactory(community=other)))
    assert client.get(notice.url).status_code == 403


def test_logged_in_outsider_gets_403_for_members_only_notice(client, community):
    notice = notice_add(community, is_public=False)
    client.force_login(outsider())
    assert client.get(notice.url).status_code == 403


def test_building_targeted_notice_hidden_from_residents_of_other_buildings(client, community):
    first, second = BuildingFactory(community=community), BuildingFactory(community=community)
    notice = notice_add(community, buildings=[first])
    client.force_login(resident_of(second))
    assert client.get(notice.url).status_code == 403
    client.force_login(resident_of(first))
    response = client.get(notice.url)
    assert response.status_code == 200
    assert notice.title in response.content.decode()


def test_public_building_targeted_notice_still_hidden_from_other_buildings(client, community):
    first, second = BuildingFactory(community=community), BuildingFactory(community=community)
    notice = notice_add(community, buildings=[first], is_public=True)
    client.force_login(resident_of(second))
    assert client.get(notice.url).status_code == 403


@pytest.mark.parametrize("role", [Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF])
def test_committee_and_staff_see_building_targeted_notices(client, community, role):
    notice = notice_add(community, buildings=[BuildingFactory(community=community)])
    client.force_login(member(community, role))
    response = client.get(notice.url)
    assert response.status_code == 200
    assert notice.title in response.content.decode()


def test_expired_notice_is_gone(client, community):
    notice = notice_add(community, is_public=True, expire_at=in_days(1))
    NoticePage.objects.filter(pk=notice.pk).update(expire_at=in_days(-1))
    assert client.get(notice.url).status_code == 404


def test_opening_a_notice_twice_records_one_read_with_the_readers_building(client, community):
    building = BuildingFactory(community=community)
    notice = notice_add(community)
    user = resident_of(building)
    client.force_login(user)
    client.get(notice.url)
    client.get(notice.url)
    read = NoticeRead.objects.get(notice=notice)
    assert (read.user, read.building) == (user, building)


def test_anonymous_reading_a_public_notice_records_nothing(client, community):
    notice = notice_add(community, is_public=True)
    client.get(notice.url)
    assert not NoticeRead.objects.exists()
