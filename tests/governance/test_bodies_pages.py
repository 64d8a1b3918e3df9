"""Body pages, the community page's bodies section, the profile's seats and the members page (G1)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import BodyPage, Membership
from governance.services import bodies as services
from home.models import CommunityRole
from tests.factories import (
    BuildingFactory,
    CommunityPageFactory,
    EntranceFactory,
    OwnershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
Kind = BodyPage.Kind
START, END = date(2026, 3, 1), date(2031, 3, 1)


def owner_in(community, room="101", **person_kwargs):
    entrance = EntranceFactory(building=BuildingFactory(community=community))
    person = PersonFactory(**person_kwargs)
    OwnershipFactory(unit=UnitFactory(entrance=entrance, room=room), person=person)
    return person


def body_with_members(community, kind=Kind.OWNERS_COMMITTEE, seats=5, members=3):
    body = services.body_create(
        actor=None, community=community, kind=kind, term_start=START, term_end=END, seat_count=seats
    )
    people = [owner_in(community, full_name=f"委员{i}", phone=f"+861390000{i:04d}") for i in range(members)]
    for person in people:
        services.membership_add(actor=None, body=body, person=person)
    return body, people


@pytest.fixture
def community():
    return CommunityPageFactory()


def members_url(community, body):
    return reverse("governance:body_members", args=[community.pk, body.pk])


def test_body_page_names_members_with_terms_never_phones(client, community):
    body, people = body_with_members(community)
    html = client.get(body.url).content.decode()
    assert "委员0" in html and "委员2" in html
    assert people[0].phone not in html and people[0].phone[-4:] not in html
    assert "3" in html and "5" in html


def test_c10_body_page_warns_when_fewer_than_half_seats_are_filled(client, community):
    body, _people = body_with_members(community, seats=7, members=3)
    response = client.get(body.url)
    assert response.context["status"]["reelection_due"] is True
    assert "需要换届选举" in response.content.decode()
    body2, _people = body_with_members(CommunityPageFactory(), seats=7, members=4)
    assert client.get(body2.url).context["status"]["reelection_due"] is False


def test_c11_body_page_warns_three_months_before_the_term_ends(client, community, monkeypatch):
    body, _people = body_with_members(community)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2030, 12, 1))
    assert client.get(body.url).context["status"]["term_ending_soon"] is True


def test_g03_party_branch_members_are_hidden_from_the_public(client, community):
    body = services.body_create(actor=None, community=community, kind=Kind.PARTY_BRANCH, term_start=START)
    services.membership_add(actor=None, body=body, person=PersonFactory(full_name="党员甲"))
    assert "党员甲" not in client.get(body.url).content.decode()
    client.force_login(member(community, Role.PARTY_BRANCH))
    assert "党员甲" in client.get(body.url).content.decode()


def test_community_page_lists_bodies_with_member_counts(client, community):
    body, _people = body_with_members(community)
    response = client.get(community.url)
    html = response.content.decode()
    assert body.title in html and body.url in html


def test_community_page_queries_stay_flat_with_more_bodies_and_members(client):
    def queries(community):
        client.get(community.url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(community.url).status_code == 200
        return len(captured)

    small = CommunityPageFactory()
    body_with_members(small, members=1)
    large = CommunityPageFactory()
    body_with_members(large, members=5)
    services.body_create(actor=None, community=large, kind=Kind.PARTY_BRANCH)
    services.body_create(actor=None, community=large, kind=Kind.DELIBERATION_COUNCIL)
    assert queries(large) == queries(small)


def test_profile_lists_the_users_current_seats(client, community):
    user = UserFactory()
    body, _people = body_with_members(community)
    services.membership_add(actor=None, body=body, person=owner_in(community, user=user), position="chair")
    client.force_login(user)
    html = client.get(reverse("profile")).content.decode()
    assert "我的组织职务" in html and body.title in html and community.title in html


def test_members_page_needs_login(client, community):
    body, _people = body_with_members(community)
    response = client.get(members_url(community, body))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_of_community_a_may_not_manage_the_body_of_b(client, community):
    other = CommunityPageFactory()
    body_b, _people = body_with_members(other)
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    assert client.get(members_url(other, body_b)).status_code == 403
    person = owner_in(other)
    assert client.post(members_url(other, body_b), {"person": person.pk, "position": "member"}).status_code == 403
    assert not Membership.objects.filter(person=person).exists()


def test_body_of_b_under_the_address_of_a_is_not_found(client, community):
    other = CommunityPageFactory()
    body_b, _people = body_with_members(other)
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    assert client.get(members_url(community, body_b)).status_code == 404


def test_committee_member_may_not_manage_members(client, community):
    body, _people = body_with_members(community)
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    assert client.get(members_url(community, body)).status_code == 403


def test_staff_finds_an_owner_by_room_and_seats_them(client, community):
    body, _people = body_with_members(community)
    person = owner_in(community, room="502", full_name="王新")
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    response = client.get(members_url(community, body), {"q": "502"})
    assert response.status_code == 200 and "王新" in response.content.decode()
    response = client.post(members_url(community, body), {"person": person.pk, "position": "vice_chair", "q": "502"})
    assert response.status_code == 302
    assert Membership.objects.get(person=person).position == "vice_chair"


def test_c01_twelfth_member_refused_on_the_page_with_nothing_changed(client, community):
    body, _people = body_with_members(community, seats=11, members=11)
    person = owner_in(community)
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    response = client.post(members_url(community, body), {"person": person.pk, "position": "member"})
    assert response.status_code == 400
    assert "11 个名额已满" in response.content.decode()
    assert Membership.objects.filter(body=body).count() == 11


def test_c01_non_owner_cannot_be_chosen_for_the_owners_committee(client, community):
    body, _people = body_with_members(community)
    stranger = PersonFactory(full_name="外人")
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    assert client.get(members_url(community, body), {"q": "外人"}).context["candidates"] == []
    response = client.post(members_url(community, body), {"person": stranger.pk, "position": "member"})
    assert response.status_code == 400
    assert not Membership.objects.filter(person=stranger).exists()


def test_staff_ends_a_membership_with_a_reason(client, community):
    body, people = body_with_members(community)
    seat = Membership.objects.get(person=people[0])
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    url = reverse("governance:body_membership_end", args=[community.pk, body.pk, seat.pk])
    prefix = f"end{seat.pk}"
    response = client.post(url, {f"{prefix}-reason": "resigned", f"{prefix}-on": "2027-01-05"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.ended_on, seat.end_reason) == (date(2027, 1, 5), "resigned")


def test_ending_a_membership_before_it_started_is_refused(client, community):
    body, people = body_with_members(community)
    seat = Membership.objects.get(person=people[0])
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    url = reverse("governance:body_membership_end", args=[community.pk, body.pk, seat.pk])
    prefix = f"end{seat.pk}"
    assert client.post(url, {f"{prefix}-reason": "resigned", f"{prefix}-on": "2020-01-05"}).status_code == 400
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_current_members_are_not_offered_again(client, community):
    body, _people = body_with_members(community)
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    candidates = client.get(members_url(community, body), {"q": "委员"}).context["candidates"]
    assert candidates == []


def test_owners_assembly_is_all_owners(client, community):
    body = services.body_create(actor=None, community=community, kind=Kind.OWNERS_ASSEMBLY)
    assert "由本小区全体业主组成" in client.get(body.url).content.decode()


def manage_url(community):
    return reverse("governance:community_bodies_manage", args=[community.pk])


def test_staff_sets_up_a_body_through_the_page(client, community):
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    response = client.post(
        manage_url(community),
        {"kind": "owners_committee", "seat_count": "7", "term_start": "2026-03-01", "term_end": "2031-03-01"},
    )
    assert response.status_code == 302
    body = BodyPage.objects.child_of(community).get()
    assert (body.seat_count, body.live) == (7, True)


def test_c01_even_committee_refused_on_the_page_with_nothing_created(client, community):
    client.force_login(member(community, Role.COMMUNITY_STAFF))
    response = client.post(manage_url(community), {"kind": "owners_committee", "seat_count": "6"})
    assert response.status_code == 400
    assert "单数" in response.content.decode()
    assert not BodyPage.objects.child_of(community).exists()


def test_body_setup_page_is_scoped_to_the_community(client, community):
    assert client.get(manage_url(community)).status_code == 302
    client.force_login(member(CommunityPageFactory(), Role.COMMUNITY_STAFF))
    assert client.get(manage_url(community)).status_code == 403
    assert client.post(manage_url(community), {"kind": "party_branch"}).status_code == 403
    assert not BodyPage.objects.child_of(community).exists()
