"""The core writers of the fees ledger: charge runs, payments, allocation, reversals (issue 6, §9)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from property.models import Allocation, Charge, LedgerEntry, Payment
from property.selectors import consistency_problems, household_accounts
from property.services import ledger
from tests.property.fee_helpers import MONTHLY, fee_community, pay

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def test_a_charge_run_bills_every_home_by_area_and_twice_creates_nothing():
    fc = fee_community(units=3)
    result = ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    assert result.run.charges_created == 3
    assert set(Charge.objects.values_list("amount", flat=True)) == {MONTHLY}
    with pytest.raises(ValidationError, match="已出账"):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    assert Charge.objects.count() == 3
    assert consistency_problems(fc.community) == []


def test_payments_settle_the_oldest_month_first_and_the_rest_is_prepaid():
    fc = fee_community(units=1)
    unit = fc.units[0]
    for period in (JAN, FEB, MAR):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=period)
    pay(fc, unit, "100.00")
    account = household_accounts(unit)["property_fees"]
    assert [line.open for line in account.lines] == [Decimal("0.00"), Decimal("81.20"), MONTHLY]
    with pytest.raises(ValidationError, match="确认预缴"):
        pay(fc, unit, "300.00")
    pay(fc, unit, "300.00", confirm=True)
    account = household_accounts(unit)["property_fees"]
    assert account.owed == 0
    assert account.credit == Decimal("400.00") - 3 * MONTHLY
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=date(2026, 4, 1))
    assert household_accounts(unit)["property_fees"].owed == 0
    assert consistency_problems(fc.community) == []


def test_the_same_form_submitted_twice_records_one_payment():
    fc = fee_community(units=1)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    first = pay(fc, fc.units[0], "90.60", key="k1")
    second = pay(fc, fc.units[0], "90.60", key="k1")
    assert first.pk == second.pk
    assert Payment.objects.count() == 1
    assert first.receipt_no.startswith("SJ")


@pytest.mark.parametrize("amount", ["0", "-5", "0.001"])
def test_zero_negative_or_sub_fen_payments_are_refused(amount):
    fc = fee_community(units=1)
    with pytest.raises(ValidationError):
        pay(fc, fc.units[0], amount)
    assert Payment.objects.count() == 0


def test_a_unit_of_another_community_is_refused():
    fc, other = fee_community(units=1), fee_community(units=1)
    with pytest.raises(ValidationError, match="不属于本小区"):
        pay(fc, other.units[0], "10.00")


def test_a_resident_cannot_record_payments():
    fc = fee_community(units=1)
    with pytest.raises(PermissionDenied):
        pay(fc, fc.units[0], "10.00", actor=fc.owners[0])


def test_reversing_a_paid_charge_releases_the_money_to_the_next_month():
    fc = fee_community(units=1)
    unit = fc.units[0]
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=FEB)
    pay(fc, unit, "90.60")
    january = Charge.objects.get(period=JAN)
    ledger.charge_reverse(actor=fc.cashier, charge=january, reason="1月空置，合同约定免收")
    account = household_accounts(unit)["property_fees"]
    assert [line.open for line in account.lines] == [0, 0]
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1
    with pytest.raises(ValidationError):
        ledger.charge_reverse(actor=fc.cashier, charge=january, reason="again")
    assert consistency_problems(fc.community) == []


def test_correcting_a_charge_keeps_both_and_bills_the_right_amount():
    fc = fee_community(units=1)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    charge = Charge.objects.get()
    fixed = ledger.charge_correct(actor=fc.cashier, charge=charge, amount=Decimal("80.00"), reason="面积更正")
    assert fixed.corrects == charge
    assert household_accounts(fc.units[0])["property_fees"].owed == Decimal("80.00")
    assert consistency_problems(fc.community) == []


def test_reversing_a_payment_reopens_what_it_paid_and_refunds_only_credit():
    fc = fee_community(units=1)
    unit = fc.units[0]
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    payment = pay(fc, unit, "90.60")
    ledger.payment_reverse(actor=fc.cashier, payment=payment, reason="银行退票")
    assert household_accounts(unit)["property_fees"].owed == MONTHLY
    with pytest.raises(ValidationError, match="预缴余额"):
        ledger.refund_record(
            actor=fc.cashier, unit=unit, amount=Decimal("10"), method="cash", reason="多收", idempotency_key="r1"
        )
    pay(fc, unit, "100.60", confirm=True)
    refund = ledger.refund_record(
        actor=fc.cashier, unit=unit, amount=Decimal("10"), method="cash", reason="多收", idempotency_key="r2"
    )
    assert refund.receipt_no.startswith("TK")
    assert household_accounts(unit)["property_fees"].balance == 0
    assert consistency_problems(fc.community) == []
    assert Allocation.objects.filter(amount__lt=0).exists()


def test_money_released_by_a_correction_settles_the_corrected_month_first():
    fc = fee_community(units=1)
    unit = fc.units[0]
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=FEB)
    pay(fc, unit, "90.60")
    january = Charge.objects.get(period=JAN, kind="periodic")
    fixed = ledger.charge_correct(actor=fc.cashier, charge=january, amount=Decimal("80.00"), reason="面积更正")
    lines = {line.charge.pk: line.open for line in household_accounts(unit)["property_fees"].lines}
    assert lines[fixed.pk] == 0
    assert lines[Charge.objects.get(period=FEB).pk] == MONTHLY - Decimal("10.60")
    assert consistency_problems(fc.community) == []
