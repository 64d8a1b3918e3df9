"""Owner headcount and total area (V-16 … V-21), home/domain/owners.py. No database."""

from decimal import Decimal

import pytest

from home.domain.owners import (
    DEVELOPER,
    STATUS_DEVELOPER_RETAINED,
    STATUS_POSSESSION_PENDING,
    OwnerShare,
    UnitFacts,
    belongs_to_developer,
    owner_tally,
)

D = Decimal


def unit(key, area="80.00", *owners, delivered=True, special=False):
    return UnitFacts(
        key=key,
        area=None if area is None else D(area),
        owners=tuple(OwnerShare(o) if isinstance(o, str) else o for o in owners),
        delivered=delivered,
        is_special_space=special,
    )


def developer_share():
    return OwnerShare("developer-co", is_developer=True)


CASES = [
    # id, units, include special spaces, expected owners, expected area
    ("nothing", [], False, 0, "0.00"),
    ("one unit one owner (V-18)", [unit(1, "80", "a")], False, 1, "80.00"),
    ("two units two owners", [unit(1, "80", "a"), unit(2, "60.5", "b")], False, 2, "140.50"),
    ("co-owners count once (V-19)", [unit(1, "80", "a", "b")], False, 1, "80.00"),
    ("a person owning two units counts once (V-18)", [unit(1, "80", "a"), unit(2, "60", "a")], False, 1, "140.00"),
    (
        "spouses on one unit, the husband alone on another: one owner [interp]",
        [unit(1, "80", "husband", "wife"), unit(2, "60", "husband")],
        False,
        1,
        "140.00",
    ),
    (
        "chains of shared units merge transitively",
        [unit(1, "10", "a", "b"), unit(2, "10", "b", "c"), unit(3, "10", "c"), unit(4, "10", "d")],
        False,
        2,
        "40.00",
    ),
    (
        "developer-retained and undelivered units are ONE owner together (V-18, V-21)",
        [
            unit(1, "80", OwnerShare("dev", status=STATUS_DEVELOPER_RETAINED)),
            unit(2, "70", developer_share()),
            unit(3, "60", "buyer", delivered=False),
            unit(4, "50", "owner"),
        ],
        False,
        2,
        "260.00",
    ),
    (
        "a sold-but-undelivered unit alone is the developer",
        [unit(1, "60", "buyer", delivered=False)],
        False,
        1,
        "60.00",
    ),
    (
        "possession pending registration is an owner (V-21)",
        [unit(1, "60", OwnerShare("a", status=STATUS_POSSESSION_PENDING))],
        False,
        1,
        "60.00",
    ),
    (
        "a unit without a known owner still counts one owner",
        [unit(1, "60"), unit(2, "70"), unit(3, "80", "a")],
        False,
        3,
        "210.00",
    ),
    ("a unit without area counts as owner, area 0", [unit(1, None, "a"), unit(2, "70", "b")], False, 2, "70.00"),
    (
        "parking left out of the area when the rules say so (V-20)",
        [unit(1, "80", "a"), unit(2, "12.5", "b", special=True)],
        False,
        2,
        "80.00",
    ),
    (
        "parking counted into the area when the rules say so (V-20)",
        [unit(1, "80", "a"), unit(2, "12.5", "b", special=True)],
        True,
        2,
        "92.50",
    ),
    (
        "a flat owner's parking space adds area, not an owner",
        [unit(1, "80", "a"), unit(2, "12.5", "a", special=True)],
        True,
        1,
        "92.50",
    ),
    ("area is quantised to the cent", [unit(1, "80.004", "a"), unit(2, "0.006", "b")], False, 2, "80.01"),
]


@pytest.mark.parametrize(
    ("units", "include_special", "owners", "area"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_owner_headcount_and_total_area(units, include_special, owners, area):
    tally = owner_tally(units, include_special_spaces_in_area=include_special)
    assert tally.owner_count == owners
    assert tally.total_area == D(area)
    assert sum(tally.area_by_owner.values(), D(0)) == tally.total_area


def test_the_special_space_choice_has_no_default():
    with pytest.raises(TypeError):
        owner_tally([unit(1, "80", "a")])  # V-20: the community must decide


def test_every_unit_maps_to_the_owner_that_votes_for_it():
    tally = owner_tally(
        [
            unit("101", "80", "husband", "wife"),
            unit("102", "60", "husband"),
            unit("103", "70", developer_share()),
            unit("104", "50", "buyer", delivered=False),
            unit("105", "55"),
        ],
        include_special_spaces_in_area=False,
    )
    assert tally.owner_of_unit["101"] == tally.owner_of_unit["102"]
    assert tally.owner_of_unit["103"] == tally.owner_of_unit["104"] == DEVELOPER
    assert tally.owner_of_unit["105"] == "unit:105"
    assert tally.area_by_owner[DEVELOPER] == D("120.00")
    assert tally.area_by_owner[tally.owner_of_unit["101"]] == D("140.00")
    assert (tally.developer_units, tally.units_without_known_owner, tally.units_without_area) == (2, 1, 0)


def test_a_developer_co_owning_with_a_buyer_leaves_the_unit_to_the_buyer():
    facts = unit(1, "80", developer_share(), "buyer")
    assert not belongs_to_developer(facts)
    tally = owner_tally([facts, unit(2, "60", "buyer")], include_special_spaces_in_area=False)
    assert tally.owner_count == 1


def test_the_order_of_units_does_not_change_the_count():
    units = [unit(1, "10", "a", "b"), unit(2, "10", "c"), unit(3, "10", "c", "b"), unit(4, "10", "e")]
    forward = owner_tally(units, include_special_spaces_in_area=False)
    backward = owner_tally(list(reversed(units)), include_special_spaces_in_area=False)
    assert forward.owner_count == backward.owner_count == 2
    assert forward.owner_of_unit == backward.owner_of_unit
