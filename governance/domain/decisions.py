"""Owners' joint decisions under Civil Code art. 278 (V-01 … V-07, V-24) and the renovation willingness gate
(R-07). Pure functions on exact numbers: areas are Decimal (or int), never float; every threshold is compared
by cross-multiplying, so "exactly 2/3" and "exactly half" fall where the law puts them.

Civil Code art. 1259: "以上" includes the number itself (≥), "过半数" is more than half (>).

- V-03/V-04 participation, every matter: 3·A_p ≥ 2·A_tot AND 3·N_p ≥ 2·N_tot.
- V-03/V-04 approval, items 6, 7, 8 (raising the fund, rebuilding, changing the use of common parts):
  4·A_y ≥ 3·A_p AND 4·N_y ≥ 3·N_p.
- approval, items 1–5 and 9: 2·A_y > A_p AND 2·N_y > N_p. V-05: item 5 (USING the fund) is one of these; the
  old 2/3-of-all rule for "raising and using" is not implemented.
- V-06: only owners who voted (yes, no or abstain) are participants; the caller never adds non-voters.
- V-07: turning a home into business premises needs every interested owner (the building's) to consent.
- V-24: lift installation: the stricter of art. 278 item 7/8 and Henan's ≥ 2/3 of the entrance's owners.
- R-07: a renovation plan (and, separately, its management model) goes ahead only when agreeing households
  are ≥ 80% of ALL households in scope; unreturned forms count as not agreeing: 5·agree ≥ 4·households.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

SPECIAL_MATTERS = frozenset({6, 7, 8})
ORDINARY_MATTERS = frozenset({1, 2, 3, 4, 5, 9})
HOME_TO_BUSINESS = "home_to_business"  # V-07, art. 279: its own matter, decided by unanimity

PARTICIPATION = Fraction(2, 3)
SPECIAL_APPROVAL = Fraction(3, 4)
ORDINARY_APPROVAL = Fraction(1, 2)
LIFT_HENAN_APPROVAL = Fraction(2, 3)
WILLINGNESS = Fraction(4, 5)


@dataclass(frozen=True)
class Tally:
    """Exclusive area (m², exact) and number of owners, counted as home.domain.owners counts them."""

    area: Decimal
    owners: int

    def __post_init__(self):
        if isinstance(self.area, float) or not isinstance(self.area, Decimal | int):
            raise TypeError("area must be a Decimal (or int), never a float")
        if isinstance(self.owners, bool) or not isinstance(self.owners, int):
            raise TypeError("owners must be an int")
        if self.area < 0 or self.owners < 0:
            raise ValueError("a tally cannot be negative")


@dataclass(frozen=True)
class Shortfall:
    """One test that failed: at which stage, on which measure, with the numbers."""

    stage: str  # "participation" or "approval"
    measure: str  # "area" or "owners"
    counted: Decimal | int
    base: Decimal | int
    threshold: Fraction
    strict: bool  # True: more than the threshold is needed (过半数); False: at least (以上)

    def __str__(self):
        relation = "more than" if self.strict else "at least"
        return f"{self.stage} by {self.measure}: {self.counted} of {self.base}, needs {relation} {self.threshold}"


@dataclass(frozen=True)
class Outcome:
    quorate: bool
    passed: bool
    reasons: tuple[Shortfall, ...] = ()


def _meets(counted, base, threshold: Fraction, *, strict: bool) -> bool:
    """counted/base against threshold without division: counted·den ≥ (or >) num·base."""
    left = counted * threshold.denominator
    right = base * threshold.numerator
    return left > right if strict else left >= right


def _check(stage, counted: Tally, base: Tally, threshold: Fraction, *, strict: bool) -> list[Shortfall]:
    shortfalls = []
    for measure in ("area", "owners"):
        have, of = getattr(counted, measure), getattr(base, measure)
        if not _meets(have, of, threshold, strict=strict):
            shortfalls.append(Shortfall(stage, measure, have, of, threshold, strict))
    return shortfalls


def _validate(total: Tally, participating: Tally, approving: Tally) -> None:
    for measure in ("area", "owners"):
        if getattr(participating, measure) > getattr(total, measure):
            raise ValueError(f"more participating {measure} than in total")
        if getattr(approving, measure) > getattr(participating, measure):
            raise ValueError(f"more approving {measure} than participating")
    if total.owners == 0:
        raise ValueError("a vote needs an electorate")


def outcome(matter, total: Tally, participating: Tally, approving: Tally) -> Outcome:
    """The art. 278 test (V-03, V-04) for `matter`, the item number 1–9 of art. 278(1), or HOME_TO_BUSINESS
    (V-07). Both the area test and the headcount test must hold at each stage; failing either fails the vote."""
    _validate(total, participating, approving)
    if matter == HOME_TO_BUSINESS:
        reasons = tuple(_check("approval", approving, total, Fraction(1), strict=False))
        quorate = participating == total
        return Outcome(quorate=quorate, passed=not reasons, reasons=reasons)
    if isinstance(matter, bool) or matter not in SPECIAL_MATTERS | ORDINARY_MATTERS:
        raise ValueError(f"unknown matter {matter!r}: art. 278(1) has items 1 to 9")
    participation = _check("participation", participating, total, PARTICIPATION, strict=False)
    if matter in SPECIAL_MATTERS:
        approval = _check("approval", approving, participating, SPECIAL_APPROVAL, strict=False)
    else:
        approval = _check("approval", approving, participating, ORDINARY_APPROVAL, strict=True)
    quorate = not participation
    return Outcome(quorate=quorate, passed=quorate and not approval, reasons=tuple(participation + approval))


@dataclass(frozen=True)
class LiftOutcome:
    """V-24: both results, so the committee sees each; the lift goes ahead only when both pass."""

    civil_code: Outcome
    henan_passed: bool
    henan_reasons: tuple[Shortfall, ...]

    @property
    def passed(self) -> bool:
        return self.civil_code.passed and self.henan_passed


def lift_outcome(total: Tally, participating: Tally, approving: Tally) -> LiftOutcome:
    """Lift installation in one entrance or building (V-24): art. 278 item 7 within that scope, and Henan
    art. 59's ≥ 2/3 of all its owners approving (counted on owners, as the regulation words it)."""
    civil_code = outcome(7, total, participating, approving)
    henan = (
        []
        if _meets(approving.owners, total.owners, LIFT_HENAN_APPROVAL, strict=False)
        else [Shortfall("approval", "owners", approving.owners, total.owners, LIFT_HENAN_APPROVAL, False)]
    )
    return LiftOutcome(civil_code=civil_code, henan_passed=not henan, henan_reasons=tuple(henan))


def willingness_passes(agreeing_households: int, total_households: int) -> bool:
    """R-07: agreeing households ≥ 80% of all households in scope (unreturned forms do not agree)."""
    if total_households <= 0:
        raise ValueError("a willingness survey needs households in scope")
    if not 0 <= agreeing_households <= total_households:
        raise ValueError("agreeing households must be between 0 and the households in scope")
    return 5 * agreeing_households >= 4 * total_households
