"""Pure rules of bodies and seats: C-01, C-02, C-10, C-11, C-15. No database."""

from datetime import date

import pytest

from governance.domain import committee as c

OC = c.OWNERS_COMMITTEE
PMC = c.PROPERTY_MGMT_COMMITTEE


@pytest.mark.parametrize(
    ("kind", "seats", "problem"),
    [
        (OC, None, c.SEATS_MISSING),
        (OC, 3, c.SEATS_TOO_FEW),
        (OC, 4, c.SEATS_TOO_FEW),
        (OC, 5, None),
        (OC, 6, c.SEATS_EVEN),
        (OC, 7, None),
        (OC, 10, c.SEATS_EVEN),
        (OC, 11, None),
        (OC, 12, c.SEATS_TOO_MANY),
        (OC, 13, c.SEATS_TOO_MANY),
        (PMC, 5, c.SEATS_TOO_FEW),
        (PMC, 6, c.SEATS_TOO_FEW),
        (PMC, 7, None),
        (PMC, 8, c.SEATS_EVEN),
        (PMC, 15, None),
        ("party_branch", None, None),
        ("party_branch", 4, None),
        ("deliberation_council", 6, None),
    ],
)
def test_c01_c15_seat_count(kind, seats, problem):
    assert c.seat_count_problem(kind, seats) == problem


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (date(2026, 3, 1), date(2031, 3, 1), None),
        (date(2026, 3, 1), date(2031, 3, 2), c.TERM_TOO_LONG),
        (date(2026, 3, 1), date(2031, 2, 28), None),
        (date(2028, 2, 29), date(2033, 2, 28), None),
        (date(2028, 2, 29), date(2033, 3, 1), c.TERM_TOO_LONG),
        (date(2026, 3, 1), date(2026, 3, 1), c.TERM_ORDER),
        (date(2026, 3, 1), date(2026, 2, 28), c.TERM_ORDER),
        (date(2026, 3, 1), None, None),
        (None, date(2026, 3, 1), None),
    ],
)
def test_c02_term_at_most_five_years_to_the_day(start, end, problem):
    assert c.term_problem(start, end) == problem


@pytest.mark.parametrize(
    ("kind", "seats", "filled", "owner", "owners_seated", "problem"),
    [
        (OC, 11, 10, True, 10, None),
        (OC, 11, 11, True, 11, c.SEATS_FULL),  # the 12th member
        (OC, None, 11, True, 11, c.SEATS_FULL),
        (OC, 5, 4, True, 4, None),
        (OC, 5, 5, True, 5, c.SEATS_FULL),
        (PMC, 7, 0, False, 0, None),
        (PMC, 7, 2, False, 0, None),  # third non-owner of seven
        (PMC, 7, 3, False, 0, c.OWNERS_MINORITY),  # a fourth would leave owners fewer than half
        (PMC, 7, 3, True, 0, None),
        (PMC, 7, 6, False, 4, None),
        (PMC, 7, 7, True, 4, c.SEATS_FULL),
        ("party_branch", None, 40, False, 0, None),
        ("deliberation_council", 9, 9, False, 0, c.SEATS_FULL),
    ],
)
def test_c01_c15_one_more_seat(kind, seats, filled, owner, owners_seated, problem):
    assert c.seat_problem(kind, seats, filled, candidate_is_owner=owner, owners_seated=owners_seated) == problem


def test_c01_eligibility_passes_without_checks(monkeypatch):
    assert c.eligibility_problems(object(), checks=[]) == []
    monkeypatch.setattr(c, "ELIGIBILITY_CHECKS", [])  # the fees app registers its "no arrears" check when ready
    assert c.eligibility_problems(object()) == []


def test_c01_eligibility_collects_refusals_of_registered_checks():
    checks = [lambda person: "欠缴物业费", lambda person: None]
    assert c.eligibility_problems(object(), checks=checks) == ["欠缴物业费"]


@pytest.mark.parametrize(
    ("term_end", "today", "owner", "requires", "reason"),
    [
        (date(2031, 3, 1), date(2031, 3, 1), True, True, None),
        (date(2031, 3, 1), date(2031, 3, 2), True, True, c.TERM_EXPIRED),
        (date(2031, 3, 1), date(2031, 3, 2), False, True, c.TERM_EXPIRED),
        (date(2031, 3, 1), date(2027, 1, 1), False, True, c.CEASED_OWNER),
        (date(2031, 3, 1), date(2027, 1, 1), False, False, None),
        (None, date(2040, 1, 1), True, True, None),
    ],
)
def test_c10_automatic_end(term_end, today, owner, requires, reason):
    assert (
        c.automatic_end_reason(term_end=term_end, today=today, still_owner=owner, requires_ownership=requires) == reason
    )


@pytest.mark.parametrize(
    ("seats", "filled", "due"),
    [(7, 4, False), (7, 3, True), (5, 3, False), (5, 2, True), (6, 3, False), (6, 2, True), (None, 0, False)],
)
def test_c10_reelection_due_below_half(seats, filled, due):
    assert c.reelection_due(seats, filled) is due


@pytest.mark.parametrize(
    ("term_end", "today", "soon"),
    [
        (date(2031, 3, 1), date(2030, 11, 30), False),
        (date(2031, 3, 1), date(2030, 12, 1), True),
        (date(2031, 3, 1), date(2031, 3, 1), True),
        (date(2031, 3, 2), date(2031, 3, 3), False),
        (date(2031, 5, 31), date(2031, 2, 28), True),  # 31 May minus three months is 28 February
        (date(2031, 5, 31), date(2031, 2, 27), False),
        (None, date(2031, 1, 1), False),
    ],
)
def test_c11_term_ending_within_three_months(term_end, today, soon):
    assert c.term_ending_soon(term_end, today) is soon
