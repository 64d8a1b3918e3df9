"""Services of bodies and seats: C-01, C-02, C-10, C-11, C-15, roles that follow seats, who may manage."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.domain import committee
from governance.models import BodyPage, Membership
from governance.services import bodies as services
from home import permissions
from home.models import AuditEntry, CommunityRole, Notification
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


def owner_in(community, **person_kwargs):
    entrance = EntranceFactory(building=BuildingFactory(community=community))
    person = PersonFactory(**person_kwargs)
    OwnershipFactory(unit=UnitFactory(entrance=entrance), person=person)
    return person


def committee_of(community, seats=5, kind=Kind.OWNERS_COMMITTEE):
    return services.body_create(
        actor=None, community=community, kind=kind, term_start=START, term_end=END, seat_count=seats
    )


@pytest.fixture
def community():
    return CommunityPageFactory()


def test_c01_even_seat_count_is_refused(community):
    with pytest.raises(ValidationError) as error:
        committee_of(community, seats=6)
    assert "seat_count" in error.value.message_dict


def test_c01_twelve_seats_are_refused(community):
    with pytest.raises(ValidationError):
        committee_of(community, seats=13)


def test_c15_interim_committee_needs_seven_seats(community):
    with pytest.raises(ValidationError):
        committee_of(community, seats=5, kind=Kind.PROPERTY_MGMT_COMMITTEE)
    assert committee_of(community, seats=7, kind=Kind.PROPERTY_MGMT_COMMITTEE).seat_count == 7


def test_c15_second_committee_kind_in_one_community_is_refused(community):
    committee_of(community)
    with pytest.raises(ValidationError):
        committee_of(community, seats=7, kind=Kind.PROPERTY_MGMT_COMMITTEE)


def test_c02_body_term_longer_than_five_years_is_refused(community):
    with pytest.raises(ValidationError) as error:
        services.body_create(
            actor=None,
            community=community,
            kind=Kind.OWNERS_COMMITTEE,
            term_start=START,
            term_end=date(2031, 3, 2),
            seat_count=5,
        )
    assert "2031-03-01" in str(error.value)


def test_body_create_publishes_under_the_community_and_audits(community):
    body = committee_of(community)
    assert body.live and body.get_parent().specific == community
    assert AuditEntry.objects.filter(action="body.create", community=community).exists()


def test_resident_may_not_create_a_body(community):
    user = member(community, Role.OWNERS_COMMITTEE)
    with pytest.raises(PermissionDenied):
        services.body_create(actor=user, community=community, kind=Kind.PARTY_BRANCH)


def test_owner_seated_on_committee_gets_the_committee_role(community):
    body = committee_of(community)
    user = UserFactory()
    person = owner_in(community, user=user)
    staff = member(community, Role.COMMUNITY_STAFF)
    membership = services.membership_add(actor=staff, body=body, person=person, position="chair")
    assert membership.term_end == END
    assert permissions.has_role(user, community, Role.OWNERS_COMMITTEE)
    services.membership_end(actor=staff, membership=membership, reason="resigned", on=date(2027, 1, 1))
    assert not permissions.has_role(user, community, Role.OWNERS_COMMITTEE)
    assert list(AuditEntry.objects.filter(community=community).values_list("action", flat=True)[:2]) == [
        "membership.end",
        "membership.add",
    ]


def test_c01_twelfth_committee_member_is_refused(community):
    body = committee_of(community, seats=11)
    for _i in range(11):
        services.membership_add(actor=None, body=body, person=owner_in(community))
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=None, body=body, person=owner_in(community))
    assert "person" in error.value.message_dict
    assert Membership.objects.filter(body=body).count() == 11


def test_c01_more_members_than_seats_is_refused(community):
    body = committee_of(community, seats=5)
    for _i in range(5):
        services.membership_add(actor=None, body=body, person=owner_in(community))
    with pytest.raises(ValidationError):
        services.membership_add(actor=None, body=body, person=owner_in(community))


def test_c01_non_owner_is_refused_on_the_owners_committee(community):
    body = committee_of(community)
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=None, body=body, person=PersonFactory())
    assert "C-01" in str(error.value)


def test_c01_owner_of_another_community_is_refused(community):
    body = committee_of(community)
    with pytest.raises(ValidationError):
        services.membership_add(actor=None, body=body, person=owner_in(CommunityPageFactory()))


def test_c01_ended_ownership_does_not_count(community):
    person = owner_in(community)
    person.ownerships.update(ended_on=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.membership_add(actor=None, body=committee_of(community), person=person)


def test_c02_member_term_over_five_years_is_refused(community):
    body = services.body_create(actor=None, community=community, kind=Kind.DELIBERATION_COUNCIL)
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=None, body=body, person=PersonFactory(), term_start=START, term_end=date(2031, 3, 2)
        )
    assert services.membership_add(actor=None, body=body, person=PersonFactory(), term_start=START, term_end=END)


def test_same_person_twice_is_refused(community):
    body = committee_of(community)
    person = owner_in(community)
    services.membership_add(actor=None, body=body, person=person)
    with pytest.raises(ValidationError):
        services.membership_add(actor=None, body=body, person=person)


def test_second_chair_is_refused(community):
    body = committee_of(community)
    services.membership_add(actor=None, body=body, person=owner_in(community), position="chair")
    with pytest.raises(ValidationError):
        services.membership_add(actor=None, body=body, person=owner_in(community), position="chair")


def test_c01_eligibility_hook_refuses_when_a_check_says_so(community, monkeypatch):
    monkeypatch.setattr(committee, "ELIGIBILITY_CHECKS", [lambda person: "欠缴物业费"])
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=None, body=committee_of(community), person=owner_in(community))
    assert "欠缴物业费" in str(error.value)


def test_c15_interim_committee_keeps_half_of_its_seats_for_owners(community):
    body = committee_of(community, seats=7, kind=Kind.PROPERTY_MGMT_COMMITTEE)
    for _i in range(3):
        services.membership_add(actor=None, body=body, person=PersonFactory())
    with pytest.raises(ValidationError):
        services.membership_add(actor=None, body=body, person=PersonFactory())
    services.membership_add(actor=None, body=body, person=owner_in(community))


def test_committee_member_may_not_seat_anybody(community):
    body = committee_of(community)
    user = member(community, Role.OWNERS_COMMITTEE)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=user, body=body, person=owner_in(community, user=user))


def test_staff_of_community_a_may_not_manage_the_body_of_b(community):
    staff_a = member(community, Role.COMMUNITY_STAFF)
    other = CommunityPageFactory()
    body_b = committee_of(other)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=staff_a, body=body_b, person=owner_in(other))


def test_bureau_staff_may_manage_any_body(community):
    from home.services.roles import bureau_group

    officer = UserFactory()
    officer.groups.add(bureau_group())
    body = committee_of(community)
    assert services.membership_add(actor=officer, body=body, person=owner_in(community))


def test_party_branch_seat_gives_the_party_role(community):
    body = services.body_create(actor=None, community=community, kind=Kind.PARTY_BRANCH, term_start=START)
    user = UserFactory()
    services.membership_add(actor=None, body=body, person=PersonFactory(user=user), position="secretary")
    assert permissions.has_role(user, community, Role.PARTY_BRANCH)


def test_c10_expired_terms_and_former_owners_drop_out(community):
    body = committee_of(community)
    people = [owner_in(community, user=UserFactory()) for _i in range(5)]
    for person in people:
        services.membership_add(actor=None, body=body, person=person)
    people[0].ownerships.update(ended_on=date(2027, 5, 1))
    Notification.objects.all().delete()

    ended = services.memberships_expire(date(2027, 6, 1))

    assert [m.person for m in ended] == [people[0]]
    seat = Membership.objects.get(person=people[0])
    assert (seat.ended_on, seat.end_reason) == (date(2027, 6, 1), "ceased_owner")
    assert not permissions.has_role(people[0].user, community, Role.OWNERS_COMMITTEE)
    assert Notification.objects.filter(recipient=people[1].user).count() == 1

    ended = services.memberships_expire(date(2031, 3, 2))
    assert len(ended) == 4
    assert set(Membership.objects.values_list("ended_on", flat=True)) == {date(2027, 6, 1), END}
    assert services.memberships_expire(date(2031, 3, 2)) == []


def test_c10_notice_says_reelection_is_due_below_half(community):
    body = committee_of(community)
    people = [owner_in(community, user=UserFactory()) for _i in range(3)]
    for person in people:
        services.membership_add(actor=None, body=body, person=person)
    people[0].ownerships.update(ended_on=date(2027, 5, 1))
    services.memberships_expire(date(2027, 6, 1))
    note = Notification.objects.filter(recipient=people[1].user).latest("id")
    assert note.body.count("C-10") == 2  # seats ended, and re-election due


def test_c11_term_reminder_goes_once_three_months_ahead(community):
    body = committee_of(community)
    person = owner_in(community, user=UserFactory())
    services.membership_add(actor=None, body=body, person=person)
    staff = member(community, Role.COMMUNITY_STAFF)

    assert services.term_reminders_send(date(2030, 11, 30)) == []
    assert [b.pk for b in services.term_reminders_send(date(2030, 12, 1))] == [body.pk]
    assert services.term_reminders_send(date(2030, 12, 2)) == []
    assert Notification.objects.filter(recipient=person.user).count() == 1
    assert Notification.objects.filter(recipient=staff).count() == 1


def test_governance_terms_command_ends_seats_and_reminds(community):
    from io import StringIO

    from django.core.management import call_command

    body = committee_of(community)
    services.membership_add(actor=None, body=body, person=owner_in(community, user=UserFactory()))
    out = StringIO()
    call_command("governance_terms", "--date", "2031-03-02", stdout=out)
    assert "1 seat(s) ended" in out.getvalue()
    call_command("governance_terms", "--date", "2030-12-01", stdout=out)
    assert "1 term reminder(s) sent" in out.getvalue()


def test_roles_follow_seats_once_the_person_gets_an_account(community):
    body = committee_of(community)
    person = owner_in(community)
    services.membership_add(actor=None, body=body, person=person)
    user = UserFactory()
    person.user = user
    person.save()
    services.person_roles_sync(person)
    assert permissions.has_role(user, community, Role.OWNERS_COMMITTEE)


def test_c02_committee_seat_without_an_end_date_is_refused(community):
    body = services.body_create(actor=None, community=community, kind=Kind.OWNERS_COMMITTEE, seat_count=5)
    with pytest.raises(ValidationError) as error:
        services.membership_add(actor=None, body=body, person=owner_in(community), term_start=START)
    assert "term_end" in error.value.message_dict
