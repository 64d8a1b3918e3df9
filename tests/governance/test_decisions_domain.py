"""The art. 278 engine (governance.domain.decisions): V-03, V-04, V-05, V-06, V-07, V-24 and R-07, without a
database. Every boundary the law draws is tested on both sides."""

from decimal import Decimal
from fractions import Fraction

import pytest

from governance.domain.decisions import (
    HOME_TO_BUSINESS,
    Shortfall,
    Tally,
    lift_outcome,
    outcome,
    willingness_passes,
)

D = Decimal
TOTAL = Tally(D("9000.00"), 90)  # 90 owners of 100.00 m² each


def t(area, owners):
    return Tally(D(area), owners)


@pytest.mark.parametrize(
    ("participating", "quorate"),
    [
        (t("6000.00", 60), True),  # exactly 2/3 of the area and of the owners: 以上 includes the number
        (t("5999.99", 60), False),  # a hundredth of a m² short on area
        (t("6000.00", 59), False),  # one owner short
        (t("9000.00", 90), True),
        (t("0.00", 0), False),
    ],
)
def test_participation_needs_two_thirds_of_area_and_of_owners(participating, quorate):
    result = outcome(1, TOTAL, participating, participating)
    assert result.quorate is quorate
    assert result.passed is quorate  # everyone taking part approved


@pytest.mark.parametrize(
    ("matter", "approving", "passed"),
    [
        (1, t("3000.00", 30), False),  # exactly half of the participants: 过半数 means more than half
        (1, t("3000.01", 31), True),
        (1, t("3000.01", 30), False),  # more than half of the area, exactly half of the owners
        (5, t("3000.01", 31), True),  # V-05: USING the fund is an ordinary matter
        (9, t("3000.01", 31), True),
        (6, t("3000.01", 31), False),  # V-05: RAISING the fund needs 3/4
        (6, t("4500.00", 45), True),  # exactly 3/4: 以上 includes the number
        (6, t("4499.99", 45), False),
        (7, t("4500.00", 44), False),
        (8, t("4500.00", 45), True),
    ],
)
def test_approval_thresholds_by_matter(matter, approving, passed):
    participating = t("6000.00", 60)
    assert outcome(matter, TOTAL, participating, approving).passed is passed


def test_a_vote_that_passes_by_headcount_but_fails_by_area_fails_and_says_so():
    total = Tally(D("10000.00"), 100)
    participating = Tally(D("8000.00"), 80)
    approving = Tally(D("3900.00"), 70)  # 70 of 80 owners, but the big flats voted no
    result = outcome(4, total, participating, approving)
    assert result.quorate and not result.passed
    assert result.reasons == (Shortfall("approval", "area", D("3900.00"), D("8000.00"), Fraction(1, 2), strict=True),)
    assert str(result.reasons[0]) == "approval by area: 3900.00 of 8000.00, needs more than 1/2"


def test_an_item_seven_matter_cannot_pass_on_a_simple_majority():
    participating = t("9000.00", 90)
    simple_majority = t("5000.00", 50)
    assert outcome(1, TOTAL, participating, simple_majority).passed
    result = outcome(7, TOTAL, participating, simple_majority)
    assert not result.passed
    assert {(r.stage, r.measure) for r in result.reasons} == {("approval", "area"), ("approval", "owners")}


def test_a_vote_without_quorum_fails_even_when_every_participant_approves():
    participating = t("5000.00", 50)
    result = outcome(2, TOTAL, participating, participating)
    assert not result.quorate and not result.passed
    assert [r.stage for r in result.reasons] == ["participation", "participation"]


@pytest.mark.parametrize(
    ("participating", "approving"),
    [
        (t("9000.01", 90), t("0", 0)),  # more participating area than exists
        (t("9000.00", 91), t("0", 0)),
        (t("6000.00", 60), t("6000.01", 60)),  # more approving than participating
        (t("6000.00", 60), t("6000.00", 61)),
    ],
)
def test_impossible_counts_are_refused(participating, approving):
    with pytest.raises(ValueError):
        outcome(1, TOTAL, participating, approving)


@pytest.mark.parametrize("matter", [0, 10, "1", True, None])
def test_unknown_matters_are_refused(matter):
    with pytest.raises(ValueError):
        outcome(matter, TOTAL, TOTAL, TOTAL)


def test_areas_are_exact_never_float():
    with pytest.raises(TypeError):
        Tally(6000.0, 60)
    with pytest.raises(ValueError):
        Tally(D("-1"), 1)


@pytest.mark.parametrize(
    ("approving", "passed"),
    [(t("9000.00", 90), True), (t("8900.00", 89), False)],
)
def test_home_to_business_needs_every_interested_owner(approving, passed):
    """V-07 / art. 279: one owner of the building withholding consent is enough to refuse."""
    result = outcome(HOME_TO_BUSINESS, TOTAL, approving, approving)
    assert result.passed is passed


@pytest.mark.parametrize(
    ("participating", "approving", "civil_code", "henan", "passed"),
    [
        # 12 owners in the entrance, 100 m² each
        (t("1200", 12), t("900", 9), True, True, True),  # 3/4 of participants, 9 ≥ 2/3 of 12
        (t("800", 8), t("600", 6), True, False, False),  # art. 278 passes (6 of 8), Henan fails (6 < 8)
        (t("1200", 12), t("800", 8), False, True, False),  # Henan's 2/3 met, art. 278's 3/4 not
    ],
)
def test_lift_installation_takes_the_stricter_of_both_rules_and_shows_each(
    participating, approving, civil_code, henan, passed
):
    result = lift_outcome(t("1200", 12), participating, approving)
    assert (result.civil_code.passed, result.henan_passed, result.passed) == (civil_code, henan, passed)


@pytest.mark.parametrize(
    ("agreeing", "households", "passes"),
    [
        (80, 100, True),  # exactly 80%
        (79, 100, False),
        (4, 5, True),
        (3, 5, False),
        (0, 1, False),
        (1, 1, True),
        (481, 601, True),  # 481·5 = 2405 ≥ 2404 = 601·4
        (480, 601, False),
    ],
)
def test_willingness_needs_four_fifths_of_all_households(agreeing, households, passes):
    assert willingness_passes(agreeing, households) is passes


@pytest.mark.parametrize(("agreeing", "households"), [(1, 0), (-1, 5), (6, 5)])
def test_willingness_refuses_impossible_counts(agreeing, households):
    with pytest.raises(ValueError):
        willingness_passes(agreeing, households)
