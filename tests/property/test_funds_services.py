"""The owners' cash accounts (V-11): public income and the working fund, kept by the committee and the community
staff; no overdraft; append-only corrections by reversing entries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from home.models import AuditEntry
from property.models import Book, Fund, LedgerEntry
from property.selectors import fund_statement
from property.services import funds as svc
from property.services import ledger
from tests.property.fee_helpers import fee_community, pay

pytestmark = pytest.mark.django_db
YEAR_START = date(2026, 1, 1)


def record(fc, *, actor=None, fund=Fund.PUBLIC_INCOME, direction="income", amount="1200.00", **kwargs):
    return svc.cash_entry_record(
        actor=actor or fc.chair,
        community=kwargs.pop("community", fc.community),
        fund=fund,
        direction=direction,
        amount=Decimal(amount),
        category=kwargs.pop("category", "广告位租金"),
        counterparty=kwargs.pop("counterparty", "某某传媒公司"),
        booked_on=kwargs.pop("booked_on", svc.today()),
        **kwargs,
    )


def test_public_income_shows_in_the_statement_by_category():
    fc = fee_community(units=1)
    record(fc, amount="1200.00", category="广告位租金")
    record(fc, amount="300.00", category="公共停车位租金", actor=fc.staff)
    record(fc, amount="450.00", direction="expense", category="公共照明电费")
    statement = fund_statement(fc.community, Fund.PUBLIC_INCOME, YEAR_START, svc.today())
    assert statement.income == [("公共停车位租金", Decimal("300.00")), ("广告位租金", Decimal("1200.00"))]
    assert statement.expense == [("公共照明电费", Decimal("450.00"))]
    assert statement.closing == Decimal("1050.00") == svc.cash_balance(fc.community, Fund.PUBLIC_INCOME)
    entry = LedgerEntry.objects.get(category="广告位租金")
    assert (entry.kind, entry.debit, entry.credit) == ("income", Book.CASH, Book.INCOME)
    expense = LedgerEntry.objects.get(category="公共照明电费")
    assert (expense.kind, expense.debit, expense.credit) == ("expense", Book.EXPENSE, Book.CASH)
    assert AuditEntry.objects.filter(action="fees.cash_entry_record").count() == 3


def test_an_expense_larger_than_the_balance_is_refused():
    fc = fee_community(units=1)
    record(fc, amount="100.00")
    with pytest.raises(ValidationError, match="透支"):
        record(fc, amount="100.01", direction="expense", category="维修")
    with pytest.raises(ValidationError, match="透支"):
        record(fc, fund=Fund.WORKING_FUND, amount="1.00", direction="expense", category="办公用品")
    record(fc, amount="100.00", direction="expense", category="维修")
    assert svc.cash_balance(fc.community, Fund.PUBLIC_INCOME) == Decimal("0.00")


@pytest.mark.parametrize("amount", ["0", "-5.00", "0.001"])
def test_zero_negative_or_sub_fen_amounts_are_refused(amount):
    fc = fee_community(units=1)
    with pytest.raises(ValidationError) as error:
        record(fc, amount=amount)
    assert "amount" in error.value.error_dict
    assert not LedgerEntry.objects.exists()


def test_missing_category_future_date_and_property_fees_are_refused():
    fc = fee_community(units=1)
    with pytest.raises(ValidationError) as error:
        record(fc, category="  ")
    assert "category" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        record(fc, booked_on=svc.today() + timedelta(days=1))
    assert "booked_on" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        record(fc, fund=Fund.PROPERTY_FEES)
    assert "fund" in error.value.error_dict
    assert not LedgerEntry.objects.exists()


def test_property_staff_cannot_record_public_income_v11():
    fc = fee_community(units=1)
    with pytest.raises(PermissionDenied):
        record(fc, actor=fc.cashier)
    with pytest.raises(PermissionDenied):
        record(fc, actor=fc.owners[0])
    assert not LedgerEntry.objects.exists()


def test_a_keeper_of_another_community_is_refused():
    fc, other = fee_community(units=1), fee_community(units=1)
    with pytest.raises(PermissionDenied):
        record(fc, actor=other.chair)


def test_a_reversal_nets_to_zero_and_is_refused_twice():
    fc = fee_community(units=1)
    entry = record(fc, amount="800.00")
    with pytest.raises(ValidationError, match="原因"):
        svc.cash_entry_reverse(actor=fc.chair, entry=entry, reason=" ")
    reversal = svc.cash_entry_reverse(actor=fc.staff, entry=entry, reason="金额记错")
    assert (reversal.kind, reversal.reverses, reversal.debit, reversal.credit) == (
        "reversal",
        entry,
        Book.INCOME,
        Book.CASH,
    )
    assert svc.cash_balance(fc.community, Fund.PUBLIC_INCOME) == Decimal("0.00")
    statement = fund_statement(fc.community, Fund.PUBLIC_INCOME, YEAR_START, svc.today())
    assert statement.closing == Decimal("0.00")
    with pytest.raises(ValidationError, match="已经冲正"):
        svc.cash_entry_reverse(actor=fc.chair, entry=entry, reason="再来一次")
    with pytest.raises(ValidationError, match="只能冲正"):
        svc.cash_entry_reverse(actor=fc.chair, entry=reversal, reason="冲正的冲正")
    assert LedgerEntry.objects.count() == 2
    assert AuditEntry.objects.filter(action="fees.cash_entry_reverse").count() == 1


def test_reversing_income_already_spent_is_refused_and_an_expense_can_be_reversed():
    fc = fee_community(units=1)
    income = record(fc, amount="500.00")
    spent = record(fc, amount="400.00", direction="expense", category="绿化")
    with pytest.raises(ValidationError, match="余额为负"):
        svc.cash_entry_reverse(actor=fc.chair, entry=income, reason="记错")
    svc.cash_entry_reverse(actor=fc.chair, entry=spent, reason="发票作废")
    assert svc.cash_balance(fc.community, Fund.PUBLIC_INCOME) == Decimal("500.00")
    svc.cash_entry_reverse(actor=fc.chair, entry=income, reason="记错")
    assert svc.cash_balance(fc.community, Fund.PUBLIC_INCOME) == Decimal("0.00")


def test_property_fee_entries_cannot_be_reversed_here():
    fc = fee_community(units=1)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=date(2026, 1, 1))
    payment = pay(fc, fc.units[0], "90.60")
    entry = payment.entries.get()
    with pytest.raises(PermissionDenied):
        svc.cash_entry_reverse(actor=fc.owners[0], entry=entry, reason="x")
    with pytest.raises(ValidationError, match="只能冲正"):
        svc.cash_entry_reverse(actor=fc.cashier, entry=entry, reason="x")
    assert LedgerEntry.objects.filter(kind="reversal").count() == 0
