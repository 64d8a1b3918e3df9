"""F-05 late fees exist only by contract and stay apart from the fee; the ledger check command (issue 6)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from property.models import Charge, FeeSchedule
from property.selectors import household_accounts
from property.services import ledger
from tests.property.fee_helpers import fee_community, pay

pytestmark = pytest.mark.django_db
JAN = date(2026, 1, 1)


def test_no_late_fee_without_a_contract_clause_f05():
    fc = fee_community(units=1)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    with pytest.raises(ValidationError, match="F-05"):
        ledger.late_fee_assess(actor=fc.cashier, charge=Charge.objects.get(), on=date(2026, 6, 30))


def test_a_contractual_late_fee_is_charged_once_on_the_principal_and_capped_f05():
    fc = fee_community(units=1, valid_from=date(2027, 1, 1))
    FeeSchedule.objects.filter(community=fc.community).delete()
    ledger.schedule_create(
        actor=fc.cashier,
        community=fc.community,
        unit_kind="residence",
        rate=Decimal("1.20"),
        valid_from=date(2025, 1, 1),
        approval_reference="物业服务合同第五条",
        late_fee_daily_rate=Decimal("0.0005"),
        late_fee_clause="物业服务合同第十二条",
    )
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    charge = Charge.objects.get()
    pay(fc, fc.units[0], "40.60")  # 50.00 of the 90.60 stays open
    late = ledger.late_fee_assess(actor=fc.cashier, charge=charge, on=date(2026, 3, 2))  # 30 days late
    assert late.kind == Charge.Kind.LATE_FEE and late.amount == Decimal("0.75")  # 50.00 × 0.0005 × 30
    with pytest.raises(ValidationError, match="已经计收"):
        ledger.late_fee_assess(actor=fc.cashier, charge=charge, on=date(2026, 12, 31))
    lines = household_accounts(fc.units[0])["property_fees"].lines
    assert [line.charge.kind for line in lines] == ["periodic", "late_fee"]


def test_the_check_command_reports_agreeing_books(capsys):
    fc = fee_community(units=2)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    pay(fc, fc.units[0], "90.60")
    call_command("check_ledgers")
    assert "账目一致" in capsys.readouterr().out


def test_the_check_command_fails_when_a_charge_has_no_journal_entry():
    fc = fee_community(units=1)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    Charge.objects.create(  # written around the services: no journal entry behind it
        community=fc.community,
        fund="property_fees",
        kind="adjustment",
        unit=fc.units[0],
        period=JAN,
        due_on=date(2026, 1, 31),
        amount=Decimal("5.00"),
    )
    with pytest.raises(CommandError):
        call_command("check_ledgers")
