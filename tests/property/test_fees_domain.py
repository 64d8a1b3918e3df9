"""Fee arithmetic as pure functions (property/domain/fees.py): F-03, F-05, V-12, D-06, receipts. No database."""

from datetime import date
from decimal import Decimal as D

import pytest

from property.domain import fees


@pytest.mark.parametrize(
    ("rate", "area", "fixed", "expected"),
    [
        (D("1.20"), D("75.50"), False, D("90.60")),  # F-03: rate × area × 1 month
        (D("0.85"), D("63.33"), False, D("53.83")),  # 53.8305 rounds half-up to the fen
        (D("0.85"), D("63.35"), False, D("53.85")),  # 53.8475 → 53.85
        (D("0.35"), D("42.10"), False, D("14.74")),  # 14.735 → 14.74 (half-up, not banker's)
        (D("60.00"), None, True, D("60.00")),  # a fixed monthly fee needs no area
        (D("1.20"), None, False, None),  # no area: cannot be computed, never billed at zero
    ],
)
def test_monthly_charge_is_rate_times_area_rounded_half_up_f03(rate, area, fixed, expected):
    assert fees.monthly_charge(rate=rate, area=area, fixed=fixed) == expected


@pytest.mark.parametrize(
    ("open_items", "credit", "expected"),
    [
        ([("jan", D("90.60")), ("feb", D("90.60"))], D("100.00"), [("jan", D("90.60")), ("feb", D("9.40"))]),
        ([("jan", D("90.60"))], D("90.60"), [("jan", D("90.60"))]),  # exactly the amount due
        ([("jan", D("90.60"))], D("200.00"), [("jan", D("90.60"))]),  # the rest stays a prepayment
        ([("jan", D("0.00")), ("feb", D("5.00"))], D("5.00"), [("feb", D("5.00"))]),  # settled months skipped
        ([("jan", D("90.60"))], D("0.00"), []),
        ([], D("50.00"), []),
    ],
)
def test_payments_settle_the_oldest_open_charge_first(open_items, credit, expected):
    assert [(s.key, s.amount) for s in fees.allocate_fifo(open_items, credit)] == expected


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        # V-12: by share of exclusive area; the parts add up to the total to the fen.
        (
            D("100000.00"),
            [(1, D("75.50")), (2, D("60.25")), (3, D("88.10"))],
            [D("33727.94"), D("26915.35"), D("39356.71")],
        ),
        (D("100.00"), [(1, D("1")), (2, D("1")), (3, D("1"))], [D("33.34"), D("33.33"), D("33.33")]),  # tie: first key
        (D("0.02"), [(1, D("1")), (2, D("1")), (3, D("1"))], [D("0.01"), D("0.01"), D("0.00")]),
        (D("90.00"), [(1, D("50.00")), (2, D("40.00"))], [D("50.00"), D("40.00")]),
        (D("10.00"), [(1, D("3")), (2, D("0"))], [D("10.00"), D("0.00")]),
    ],
)
def test_apportionment_by_area_sums_exactly_to_the_total_v12(total, weights, expected):
    shares = fees.apportion(total, weights)
    assert [s.amount for s in shares] == expected
    assert sum(s.amount for s in shares) == total


@pytest.mark.parametrize("weights", [[], [(1, D("0"))]])
def test_apportionment_needs_some_weight(weights):
    with pytest.raises(ValueError):
        fees.apportion(D("10.00"), weights)


@pytest.mark.parametrize(
    ("amount", "problem"),
    [(None, True), (D("0"), True), (D("-0.01"), True), (D("0.001"), True), (D("0.01"), False), (D("90.60"), False)],
)
def test_a_payment_must_be_a_positive_amount_in_fen(amount, problem):
    assert bool(fees.payment_problem(amount)) is problem


@pytest.mark.parametrize(
    ("amount", "due", "needs"),
    [
        (D("100.00"), D("90.00"), False),  # exactly the tolerance of 10 yuan over
        (D("100.01"), D("90.00"), True),
        (D("10.00"), D("-50.00"), False),  # already in credit: up to the tolerance
        (D("10.01"), D("-50.00"), True),
        (D("90.00"), D("90.00"), False),
    ],
)
def test_paying_beyond_the_tolerance_needs_confirmation(amount, due, needs):
    assert fees.needs_overpayment_confirmation(amount=amount, due=due, tolerance=D("10.00")) is needs


@pytest.mark.parametrize(
    ("principal", "days", "rate", "expected"),
    [
        (D("1000.00"), 30, None, D("0.00")),  # F-05: no contract clause, no late fee
        (D("1000.00"), 30, D("0.0003"), D("9.00")),
        (D("1000.00"), 1000, D("0.0003"), D("300.00")),  # 30% cap (SPC 2023 Art. 65)
        (D("1000.00"), 2000, D("0.0003"), D("300.00")),
        (D("1000.00"), 0, D("0.0003"), D("0.00")),
    ],
)
def test_late_fees_exist_only_by_contract_and_are_capped_at_30_percent_f05(principal, days, rate, expected):
    assert fees.late_fee(principal=principal, days_late=days, daily_rate=rate) == expected


@pytest.mark.parametrize(
    ("collected", "charged", "rate"),
    [(D("85"), D("100"), D("85.0")), (D("2"), D("3"), D("66.7")), (D("0"), D("10"), D("0.0")), (D("5"), D("0"), None)],
)
def test_collection_rate_in_percent(collected, charged, rate):
    assert fees.collection_rate(collected, charged) == rate


@pytest.mark.parametrize(
    ("amount", "band"),
    [
        (D("0.01"), "500元以下"),
        (D("499.99"), "500元以下"),
        (D("500"), "500–1000元"),
        (D("2999.99"), "1000–3000元"),
        (D("3000"), "3000元以上"),
    ],
)
def test_arrears_notices_show_a_band_not_the_amount_d06(amount, band):
    assert fees.arrears_band(amount) == band


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
        ("90.60", "玖拾元陆角整"),
        ("105.50", "壹佰零伍元伍角整"),
        ("1000", "壹仟元整"),
        ("1010", "壹仟零壹拾元整"),
        ("10001.01", "壹万零壹元零壹分"),
        ("20030.00", "贰万零叁拾元整"),
        ("100000", "壹拾万元整"),
        ("100100", "壹拾万零壹佰元整"),
        ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
        ("0", "零元整"),
    ],
)
def test_receipts_write_the_amount_in_capital_numerals(amount, words):
    assert fees.amount_in_words(D(amount)) == words


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2026, 1, 1), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 6, 30), (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 11, 27), (date(2026, 10, 1), date(2026, 12, 31))),
    ],
)
def test_disclosure_quarters_f10(day, quarter):
    assert fees.quarter_of(day) == quarter


def test_periods_are_calendar_months():
    assert fees.add_months(date(2025, 12, 1), 1) == date(2026, 1, 1)
    assert fees.add_months(date(2026, 1, 1), -13) == date(2024, 12, 1)
    assert fees.months_between(date(2025, 11, 15), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
