"""The electorate of an owners' vote, frozen at announcement (V-16 … V-23): who counts as an owner, with how much
area, who votes for him, and within which scope. Every case builds the register by hand and announces a vote."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.models import Ballot, Elector, ElectorUnit, OwnersDecision
from governance.services import decisions as svc
from home.models import CommunityRole, Ownership, Person, Unit
from tests.factories import OwnershipFactory, PersonFactory, community_with_units, member
from tests.governance.decision_helpers import VoteCommunity, answers_for, draft_vote

pytestmark = pytest.mark.django_db

Role = CommunityRole.Role
D = Decimal


def register(*, buildings=1, entrances=1, units=3, parking=0, include_special=False, rules=True) -> VoteCommunity:
    """A community whose units have no owners yet (add them with `own`); rules of procedure set unless rules=False."""
    community = community_with_units(buildings=buildings, entrances=entrances, units=units, parking=parking)
    chair = member(community, Role.OWNERS_COMMITTEE, full_name="王主任")
    all_units = list(
        Unit.objects.filter(entrance__building__community=community).order_by(
            "entrance__building__sort_order", "entrance__sort_order", "kind", "room"
        )
    )
    if rules:
        svc.procedure_rules_set(
            actor=chair,
            community=community,
            include_special_spaces_in_area=include_special,
            ballots_changeable=False,
            objection_days=7,
        )
    return VoteCommunity(community=community, chair=chair, units=all_units)


def person(vc: VoteCommunity, name: str, *, account=True, **kwargs) -> Person:
    user = member(vc.community, Role.OWNER, full_name=name) if account else None
    return PersonFactory(full_name=name, user=user, **kwargs)


def own(unit, someone: Person, *, designated=True, **kwargs) -> Ownership:
    return OwnershipFactory(unit=unit, person=someone, is_designated_voter=designated, **kwargs)


def owned_by_one_each(vc: VoteCommunity, units=None) -> list[Person]:
    people = []
    for i, unit in enumerate(vc.units if units is None else units):
        someone = person(vc, f"业主{unit.pk}-{i}")
        own(unit, someone)
        people.append(someone)
    return people


def announce(vc: VoteCommunity, **kwargs) -> OwnersDecision:
    decision = svc.decision_announce(actor=vc.chair, decision=draft_vote(vc, **kwargs))
    OwnersDecision.objects.filter(pk=decision.pk).update(opens_at=timezone.now() - timedelta(minutes=5))
    decision.refresh_from_db()
    return decision


def elector_of(decision, unit) -> Elector:
    return Elector.objects.get(decision=decision, units__unit=unit)


# --- V-16 effective area by source ------------------------------------------------------------------------------

AREA_CASES = [
    # (registered, surveyed, contract) → (counted area, source)
    ((D("80.10"), D("90.00"), D("100.00")), (D("80.10"), "registered")),
    ((None, D("90.20"), D("100.00")), (D("90.20"), "surveyed")),
    ((None, None, D("100.30")), (D("100.30"), "contract")),
    ((None, None, None), (D("0.00"), "")),
]


@pytest.mark.parametrize(("areas", "expected"), AREA_CASES, ids=["registered", "surveyed", "contract", "none"])
def test_v16_each_unit_counts_its_effective_area_by_source(areas, expected):
    vc = register(units=2)
    target, _other = vc.units
    Unit.objects.filter(pk=target.pk).update(registered_area=areas[0], surveyed_area=areas[1], contract_area=areas[2])
    owned_by_one_each(vc)
    decision = announce(vc)
    row = ElectorUnit.objects.get(elector__decision=decision, unit=target)
    assert (row.area, row.area_source) == expected
    assert decision.total_area == expected[0] + D("75.50")
    assert decision.total_owners == 2


# --- V-18 one person, several units; the developer -----------------------------------------------------------------


def test_v18_one_person_owning_two_units_counts_once_with_both_areas():
    vc = register(units=3)
    Unit.objects.filter(pk=vc.units[1].pk).update(registered_area=D("60.25"))
    zhang = person(vc, "张三")
    own(vc.units[0], zhang)
    own(vc.units[1], zhang)
    owned_by_one_each(vc, vc.units[2:])
    decision = announce(vc)
    assert decision.total_owners == 2
    assert decision.total_area == D("75.50") + D("60.25") + D("75.50")
    elector = elector_of(decision, vc.units[0])
    assert elector == elector_of(decision, vc.units[1])
    assert (elector.area, elector.unit_count, elector.voter_id) == (D("135.75"), 2, zhang.pk)
    # He votes once, for both units: one ballot per question, counted with both areas.
    svc.ballot_cast(user=zhang.user, decision=decision, answers=answers_for(decision))
    assert Ballot.objects.filter(decision=decision).count() == 1
    [count] = svc.count_questions(decision)
    assert (count.participating.owners, count.participating.area) == (1, D("135.75"))


def test_v18_developer_unsold_retained_and_undelivered_units_are_one_owner():
    vc = register(units=5)
    developer = person(vc, "某某置业有限公司", is_developer=True)
    unsold, retained, undelivered, sold, other = vc.units
    own(unsold, developer)
    buyer_retained = person(vc, "待售买受人", account=False)
    own(retained, buyer_retained, owner_status=Ownership.OwnerStatus.DEVELOPER_RETAINED)
    Unit.objects.filter(pk=undelivered.pk).update(delivered=False)
    buyer = person(vc, "未交付买受人")
    own(undelivered, buyer)
    owned_by_one_each(vc, [sold, other])
    decision = announce(vc)
    assert decision.total_owners == 3  # the developer + two owners
    dev = Elector.objects.get(decision=decision, is_developer=True)
    assert set(dev.units.values_list("unit_id", flat=True)) == {unsold.pk, retained.pk, undelivered.pk}
    assert (dev.area, dev.unit_count, dev.voter_id) == (D("226.50"), 3, developer.pk)
    assert dev.owner_key == "developer"
    # The buyer of an undelivered unit is not (yet) an owner: he cannot vote.
    with pytest.raises(PermissionDenied):
        svc.ballot_cast(user=buyer.user, decision=decision, answers=answers_for(decision))
    svc.ballot_cast(user=developer.user, decision=decision, answers=answers_for(decision))
    assert Ballot.objects.get(decision=decision).elector == dev


def test_a_unit_without_a_known_owner_still_counts_as_an_owner_of_its_own():
    """V-04 [interp]: gaps in the register never shrink the denominators."""
    vc = register(units=3)
    owned_by_one_each(vc, vc.units[:2])
    decision = announce(vc)
    assert (decision.total_owners, decision.total_area) == (3, D("226.50"))
    assert Elector.objects.get(decision=decision, units__unit=vc.units[2]).voter_id is None


# --- V-19 co-owners ----------------------------------------------------------------------------------------------


def test_v19_co_owners_count_once_and_only_the_designated_voter_votes():
    vc = register(units=2)
    husband, wife = person(vc, "赵一"), person(vc, "钱二")
    own(vc.units[0], husband, designated=False)
    own(vc.units[0], wife, designated=True)
    owned_by_one_each(vc, vc.units[1:])
    decision = announce(vc)
    assert decision.total_owners == 2
    elector = elector_of(decision, vc.units[0])
    assert (elector.voter_id, elector.area) == (wife.pk, D("75.50"))
    with pytest.raises(PermissionDenied) as refused:
        svc.ballot_cast(user=husband.user, decision=decision, answers=answers_for(decision))
    assert "业主" in str(refused.value)
    assert not Ballot.objects.filter(decision=decision).exists()
    svc.ballot_cast(user=wife.user, decision=decision, answers=answers_for(decision))
    assert Ballot.objects.filter(decision=decision, elector=elector).count() == 1


def test_v19_co_owners_without_a_designated_voter_vote_only_on_paper():
    vc = register(units=1)
    a, b = person(vc, "孙三"), person(vc, "李四")
    own(vc.units[0], a, designated=False)
    own(vc.units[0], b, designated=False)
    decision = announce(vc)
    elector = Elector.objects.get(decision=decision)
    assert elector.voter_id is None and decision.total_owners == 1
    for someone in (a, b):
        with pytest.raises(PermissionDenied):
            svc.ballot_cast(user=someone.user, decision=decision, answers=answers_for(decision))


def test_v18_v19_spouses_co_owning_one_flat_while_one_owns_another_are_one_owner():
    vc = register(units=3)
    husband, wife = person(vc, "周五"), person(vc, "吴六")
    own(vc.units[0], husband, designated=True)
    own(vc.units[0], wife, designated=False)
    own(vc.units[1], husband)
    owned_by_one_each(vc, vc.units[2:])
    decision = announce(vc)
    assert decision.total_owners == 2
    assert elector_of(decision, vc.units[0]) == elector_of(decision, vc.units[1])


# --- V-20 parking spaces ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("include", "area"), [(False, D("151.00")), (True, D("151.00") + 2 * D("12.50"))])
def test_v20_parking_area_counts_only_when_the_rules_of_procedure_say_so(include, area):
    vc = register(units=2, parking=2, include_special=include)
    homes = [u for u in vc.units if u.kind == Unit.Kind.RESIDENCE]
    spaces = [u for u in vc.units if u.kind == Unit.Kind.SPECIAL_SPACE]
    Unit.objects.filter(pk__in=[s.pk for s in spaces]).update(registered_area=D("12.50"))
    people = owned_by_one_each(vc, homes)
    own(spaces[0], people[0])
    own(spaces[1], people[1])
    decision = announce(vc)
    assert decision.include_special_spaces_in_area is include
    assert (decision.total_owners, decision.total_area) == (2, area)
    counted = ElectorUnit.objects.get(elector__decision=decision, unit=spaces[0]).area
    assert counted == (D("12.50") if include else D("0.00"))


def test_v20_announcing_is_refused_while_the_rules_do_not_say_whether_parking_counts():
    vc = register(units=2, rules=False)
    owned_by_one_each(vc)
    draft = draft_vote(vc)
    with pytest.raises(ValidationError) as refused:
        svc.decision_announce(actor=vc.chair, decision=draft)
    assert any("V-20" in m and "车位" in m for m in refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == OwnersDecision.Status.DRAFT and draft.total_owners is None
    assert not Elector.objects.filter(decision=draft).exists()


def test_v20_the_rules_writer_refuses_to_leave_the_parking_choice_open():
    vc = register(units=1, rules=False)
    with pytest.raises(ValidationError) as refused:
        svc.procedure_rules_set(
            actor=vc.chair,
            community=vc.community,
            include_special_spaces_in_area=None,
            ballots_changeable=False,
            objection_days=7,
        )
    assert "V-20" in refused.value.messages[0]


# --- V-23 scope -------------------------------------------------------------------------------------------------


def test_v23_building_scope_counts_only_that_building_and_refuses_owners_outside():
    vc = register(buildings=2, units=2)
    people = owned_by_one_each(vc)
    Unit.objects.filter(pk=vc.units[0].pk).update(registered_area=D("100.00"))
    first_building = vc.units[0].entrance.building
    decision = announce(vc, scope="building", building=first_building)
    assert (decision.total_owners, decision.total_area) == (2, D("175.50"))
    assert set(Elector.objects.filter(decision=decision).values_list("voter_id", flat=True)) == {
        people[0].pk,
        people[1].pk,
    }
    outsider = people[2]
    with pytest.raises(PermissionDenied):
        svc.ballot_cast(user=outsider.user, decision=decision, answers=answers_for(decision))
    assert not Ballot.objects.filter(decision=decision).exists()


def test_v23_an_owner_with_units_inside_and_outside_the_scope_counts_with_the_inside_area_only():
    vc = register(buildings=2, units=1)
    zhang = person(vc, "张三")
    own(vc.units[0], zhang)
    own(vc.units[1], zhang)
    decision = announce(vc, scope="building", building=vc.units[0].entrance.building)
    assert (decision.total_owners, decision.total_area) == (1, D("75.50"))


def test_v23_entrance_scope_counts_only_that_entrance():
    vc = register(buildings=1, entrances=2, units=2)
    people = owned_by_one_each(vc)
    entrance = vc.units[2].entrance
    decision = announce(vc, matter="lift", scope="entrance", entrance=entrance)
    assert (decision.total_owners, decision.total_area) == (2, D("151.00"))
    assert decision.scope_building == entrance.building
    in_scope = {p.pk for p, u in zip(people, vc.units, strict=True) if u.entrance_id == entrance.pk}
    assert set(Elector.objects.filter(decision=decision).values_list("voter_id", flat=True)) == in_scope
    outside = next(p for p, u in zip(people, vc.units, strict=True) if u.entrance_id != entrance.pk)
    with pytest.raises(PermissionDenied):
        svc.ballot_cast(user=outside.user, decision=decision, answers=answers_for(decision))


# --- frozen at announcement --------------------------------------------------------------------------------------


def test_registry_changes_after_the_announcement_change_neither_totals_nor_electorate():
    vc = register(units=3)
    people = owned_by_one_each(vc)
    decision = announce(vc)
    before = list(Elector.objects.filter(decision=decision).values_list("owner_key", "area", "voter_id"))
    # After the announcement: a unit is sold, an area is corrected, a new owner appears, a unit is added.
    Ownership.objects.filter(unit=vc.units[0]).update(ended_on=timezone.localdate() - timedelta(days=1))
    newcomer = person(vc, "新业主")
    own(vc.units[0], newcomer)
    Unit.objects.filter(pk=vc.units[1].pk).update(registered_area=D("200.00"))
    Unit.objects.create(entrance=vc.units[0].entrance, room="999", registered_area=D("50.00"))
    decision.refresh_from_db()
    assert (decision.total_owners, decision.total_area) == (3, D("226.50"))
    assert list(Elector.objects.filter(decision=decision).values_list("owner_key", "area", "voter_id")) == before
    with pytest.raises(PermissionDenied):
        svc.ballot_cast(user=newcomer.user, decision=decision, answers=answers_for(decision))
    svc.ballot_cast(user=people[0].user, decision=decision, answers=answers_for(decision))  # the frozen owner votes
    [count] = svc.count_questions(decision)
    assert count.participating.area == D("75.50")


def test_announce_writes_one_elector_unit_per_unit_with_the_right_elector():
    """bulk_create returns the ids on SQLite and PostgreSQL; each ElectorUnit must point at its own owner."""
    vc = register(buildings=2, units=4)
    people = owned_by_one_each(vc)
    decision = announce(vc)
    rows = ElectorUnit.objects.filter(elector__decision=decision).select_related("elector")
    assert rows.count() == 8
    by_unit = {row.unit_id: row.elector.voter_id for row in rows}
    assert by_unit == {unit.pk: p.pk for unit, p in zip(vc.units, people, strict=True)}
    assert sum(e.area for e in Elector.objects.filter(decision=decision)) == decision.total_area


def test_electors_are_append_only():
    vc = register(units=1)
    owned_by_one_each(vc)
    decision = announce(vc)
    elector = Elector.objects.get(decision=decision)
    elector.area = D("1.00")
    with pytest.raises(PermissionDenied):
        elector.save()
    with pytest.raises(PermissionDenied):
        elector.delete()
    with pytest.raises(PermissionDenied):
        elector.units.get().delete()
    assert Elector.objects.get(pk=elector.pk).area == D("75.50")


def test_announce_matches_electors_by_owner_key_where_bulk_create_returns_no_ids(monkeypatch):
    """Backends without RETURNING leave the ids unset: the rows are read back and matched by owner key, never by
    the order of their ids (here inserted in reverse to make the order wrong)."""
    vc = register(buildings=2, units=3)
    people = owned_by_one_each(vc)
    real_bulk_create = Elector.objects.bulk_create

    def without_ids(objs, *args, **kwargs):
        objs = list(objs)
        real_bulk_create(list(reversed(objs)), *args, **kwargs)
        for obj in objs:
            obj.pk = None
        return objs

    monkeypatch.setattr(Elector.objects, "bulk_create", without_ids)
    decision = announce(vc)
    rows = ElectorUnit.objects.filter(elector__decision=decision).select_related("elector")
    assert {row.unit_id: row.elector.voter_id for row in rows} == {
        unit.pk: p.pk for unit, p in zip(vc.units, people, strict=True)
    }
