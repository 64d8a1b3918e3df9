"""Exclusive area of a unit (V-16) and total area (V-17)."""

from collections.abc import Iterable
from decimal import Decimal

CENT = Decimal("0.01")

AREA_SOURCE_REGISTERED = "registered"
AREA_SOURCE_SURVEYED = "surveyed"
AREA_SOURCE_CONTRACT = "contract"


def effective_area(
    registered: Decimal | None, surveyed: Decimal | None, contract: Decimal | None
) -> tuple[Decimal | None, str | None]:
    """V-16: the register's area, else the surveyed area, else the sale contract's; with its source.

    Returns ``(None, None)`` when the unit has no area at all.
    """
    for value, source in (
        (registered, AREA_SOURCE_REGISTERED),
        (surveyed, AREA_SOURCE_SURVEYED),
        (contract, AREA_SOURCE_CONTRACT),
    ):
        if value is not None:
            return Decimal(value).quantize(CENT), source
    return None, None


def total_area(areas: Iterable[Decimal | None]) -> Decimal:
    """V-17: the total is the sum of the effective areas of all exclusive parts (missing ones count 0)."""
    return sum((Decimal(a) for a in areas if a is not None), Decimal("0.00")).quantize(CENT)
