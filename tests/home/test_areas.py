from decimal import Decimal

import pytest

from home.domain.areas import effective_area, total_area


@pytest.mark.parametrize(
    ("registered", "surveyed", "contract", "expected"),
    [
        (Decimal("88.5"), Decimal("90"), Decimal("91"), (Decimal("88.50"), "registered")),
        (None, Decimal("90"), Decimal("91"), (Decimal("90.00"), "surveyed")),
        (None, None, Decimal("91.004"), (Decimal("91.00"), "contract")),
        (None, None, None, (None, None)),
    ],
)
def test_effective_area_takes_register_then_survey_then_contract_v16(registered, surveyed, contract, expected):
    assert effective_area(registered, surveyed, contract) == expected


def test_total_area_sums_effective_areas_v17():
    assert total_area([Decimal("50.25"), None, Decimal("49.75")]) == Decimal("100.00")
