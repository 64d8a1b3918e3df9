"""Rules for the bodies of a community and their seats (DOMAIN-RULES §2.3 C-01, C-02, C-10, C-11, C-15).

Pure functions: no Django. Problems come back as short codes; the services word them in Chinese.

Term dates (C-02, decided here): `term_end` is the day the term runs out, counted like an anniversary. A
term starting 2026-03-01 may end 2031-03-01 at the latest; 2031-03-02 is longer than five years. A seat is
held up to and including its `term_end` and ends automatically the day after (C-10).
"""

import calendar
from collections.abc import Callable, Iterable
from datetime import date

OWNERS_COMMITTEE = "owners_committee"
PROPERTY_MGMT_COMMITTEE = "property_mgmt_committee"

# Bodies whose members must be owners of the community (C-01); the interim committee needs a majority (C-15).
OWNER_ONLY_KINDS = frozenset({OWNERS_COMMITTEE})

COMMITTEE_MIN_SEATS = 5  # C-01
COMMITTEE_MAX_SEATS = 11  # C-01
INTERIM_MIN_SEATS = 7  # C-15
MAX_TERM_YEARS = 5  # C-02
REMINDER_MONTHS = 3  # C-11

# Problem codes
SEATS_MISSING = "seats_missing"
SEATS_EVEN = "seats_even"
SEATS_TOO_FEW = "seats_too_few"
SEATS_TOO_MANY = "seats_too_many"
TERM_ORDER = "term_order"
TERM_TOO_LONG = "term_too_long"
SEATS_FULL = "seats_full"
OWNERS_MINORITY = "owners_minority"

# Automatic end reasons (C-10); the values match Membership.EndReason.
TERM_EXPIRED = "term_expired"
CEASED_OWNER = "ceased_owner"


def seat_count_problem(kind: str, seat_count: int | None) -> str | None:
    """C-01: an owners' committee has 5 to 11 seats, an odd number. C-15: an interim property-management
    committee has 7 or more, odd. Other bodies set no rule on their size."""
    if kind == OWNERS_COMMITTEE:
        minimum, maximum = COMMITTEE_MIN_SEATS, COMMITTEE_MAX_SEATS
    elif kind == PROPERTY_MGMT_COMMITTEE:
        minimum, maximum = INTERIM_MIN_SEATS, None
    else:
        return None
    if seat_count is None:
        return SEATS_MISSING
    if seat_count < minimum:
        return SEATS_TOO_FEW
    if maximum is not None and seat_count > maximum:
        return SEATS_TOO_MANY
    if seat_count % 2 == 0:
        return SEATS_EVEN
    return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_term_end(term_start: date) -> date:
    """C-02: five years to the day; a term starting on 29 February may run to 28 February."""
    return add_months(term_start, 12 * MAX_TERM_YEARS)


def term_problem(term_start: date | None, term_end: date | None) -> str | None:
    if term_start is None or term_end is None:
        return None
    if term_end <= term_start:
        return TERM_ORDER
    if term_end > latest_term_end(term_start):
        return TERM_TOO_LONG
    return None


def seat_problem(
    kind: str, seat_count: int | None, filled: int, *, candidate_is_owner: bool, owners_seated: int
) -> str | None:
    """Whether one more member may take a seat. `filled` counts the current seats before the addition.

    C-01: never a 12th committee member, nor more than the term's seat count. C-15: the interim committee
    keeps at least half of its seats for owners, so a non-owner may only take a seat that leaves enough room.
    """
    if kind == OWNERS_COMMITTEE and filled >= COMMITTEE_MAX_SEATS:
        return SEATS_FULL
    if seat_count is not None and filled >= seat_count:
        return SEATS_FULL
    if kind == PROPERTY_MGMT_COMMITTEE and not candidate_is_owner and seat_count is not None:
        non_owners_after = filled - owners_seated + 1
        if non_owners_after > max_non_owner_seats(seat_count):
            return OWNERS_MINORITY
    return None


def max_non_owner_seats(seat_count: int) -> int:
    """C-15: owners hold at least half of the seats, so non-owners hold at most the smaller half."""
    return seat_count // 2


EligibilityCheck = Callable[[object], str | None]

# C-01, Henan Art. 27: "pays property fees on time". The fees part appends a check that returns a Chinese
# message when the candidate is in arrears; with no check registered every owner is eligible.
ELIGIBILITY_CHECKS: list[EligibilityCheck] = []


def eligibility_problems(candidate, checks: Iterable[EligibilityCheck] | None = None) -> list[str]:
    """The messages of every check that refuses the candidate; empty when eligible."""
    checks = ELIGIBILITY_CHECKS if checks is None else checks
    return [message for check in checks if (message := check(candidate))]


def automatic_end_reason(
    *, term_end: date | None, today: date, still_owner: bool, requires_ownership: bool
) -> str | None:
    """C-10: a seat ends by itself when its term has run out or its holder stopped being an owner."""
    if term_end is not None and today > term_end:
        return TERM_EXPIRED
    if requires_ownership and not still_owner:
        return CEASED_OWNER
    return None


def reelection_due(seat_count: int | None, filled: int) -> bool:
    """C-10: fewer than half of the seats filled means the assembly must re-elect the body."""
    if not seat_count:
        return False
    return filled * 2 < seat_count


def reminder_date(term_end: date) -> date:
    """C-11: preparations for the next election start three months before the term ends."""
    return add_months(term_end, -REMINDER_MONTHS)


def term_ending_soon(term_end: date | None, today: date) -> bool:
    """True from three months before the end of the term up to its last day (C-11)."""
    if term_end is None:
        return False
    return reminder_date(term_end) <= today <= term_end
