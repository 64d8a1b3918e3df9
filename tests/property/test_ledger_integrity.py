"""The ledger cannot be rewritten (issue 6), developer units are billed to the developer (P-08), and the
owners' committee eligibility check "no arrears" (C-01) is live."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from governance.models import BodyPage
from governance.services import bodies
from home.models import Ownership, Unit
from property.models import Allocation, Charge, ChargeRun, LedgerEntry, Payment
from property.services import ledger
from tests.factories import OwnershipFactory, PersonFactory
from tests.property.fee_helpers import fee_community, pay

pytestmark = pytest.mark.django_db
JAN = date(2026, 1, 1)


@pytest.fixture
def booked():
    fc = fee_community(units=1)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    pay(fc, fc.units[0], "90.60")
    return fc


@pytest.mark.parametrize("model", [Charge, Payment, Allocation, LedgerEntry, ChargeRun])
def test_ledger_rows_refuse_edits_and_deletes_in_the_model(booked, model):
    row = model.objects.first()
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    with pytest.raises(PermissionDenied):
        model.objects.filter(pk=row.pk).update(created_at=row.created_at)
    with pytest.raises(PermissionDenied):
        model.objects.filter(pk=row.pk).delete()


@pytest.mark.parametrize(
    "table", ["property_charge", "property_payment", "property_allocation", "property_ledgerentry"]
)
def test_the_database_refuses_to_update_a_ledger_row(booked, table):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET amount = amount + 1")  # noqa: S608 - fixed table names


@pytest.mark.parametrize("table", ["property_charge", "property_payment", "property_ledgerentry"])
def test_postgresql_refuses_to_delete_a_ledger_row(booked, table):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite test databases are emptied with DELETE; there the model refuses deletes")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


def test_a_developer_retained_unit_is_charged_to_the_developer_p08():
    fc = fee_community(units=2)
    developer = PersonFactory(full_name="新华置业有限公司", is_developer=True)
    unsold = fc.units[1]
    Ownership.objects.filter(unit=unsold).update(ended_on=date(2024, 12, 31))
    OwnershipFactory(unit=unsold, person=developer, owner_status=Ownership.OwnerStatus.DEVELOPER_RETAINED)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    charge = Charge.objects.get(unit=unsold)
    assert charge.charged_to_developer and charge.payer == developer
    assert not Charge.objects.get(unit=fc.units[0]).charged_to_developer


def test_a_unit_without_area_is_listed_not_charged_zero():
    fc = fee_community(units=2)
    Unit.objects.filter(pk=fc.units[1].pk).update(registered_area=None)
    result = ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    assert result.run.charges_created == 1
    assert len(result.skipped_no_area) == 1


def test_a_rate_overlapping_the_current_one_is_refused():
    fc = fee_community(units=1)
    with pytest.raises(ValidationError, match="重叠"):
        ledger.schedule_create(
            actor=fc.cashier,
            community=fc.community,
            unit_kind="residence",
            rate=Decimal("1.50"),
            valid_from=date(2026, 1, 1),
            approval_reference="业主大会决定",
        )


def test_a_late_fee_needs_a_contract_clause_f05():
    fc = fee_community(units=1)
    with pytest.raises(ValidationError, match="违约金"):
        ledger.schedule_create(
            actor=fc.cashier,
            community=fc.community,
            unit_kind="special_space",
            rate=Decimal("60"),
            basis="fixed",
            valid_from=date(2026, 1, 1),
            approval_reference="停车服务协议",
            late_fee_daily_rate=Decimal("0.0003"),
        )


def test_an_owner_in_arrears_cannot_join_the_owners_committee_until_he_pays_c01():
    fc = fee_community(units=1)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=date(2025, 1, 1))
    committee = bodies.body_create(
        actor=None,
        community=fc.community,
        kind=BodyPage.Kind.OWNERS_COMMITTEE,
        term_start=date(2026, 3, 1),
        term_end=date(2031, 3, 1),
        seat_count=5,
    )
    candidate = fc.vc.persons[0]
    with pytest.raises(ValidationError, match="C-01"):
        bodies.membership_add(actor=fc.staff, body=committee, person=candidate)
    pay(fc, fc.units[0], "90.60")
    assert bodies.membership_add(actor=fc.staff, body=committee, person=candidate).person == candidate
