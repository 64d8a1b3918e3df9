"""Donations of money, materials and labour (捐资捐物、投工投劳): numbered JZ receipts, money in the donations
account only, the donor's choice to be named on the thank-you list."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from home.models import AuditEntry
from property.models import Book, Donation, Fund, LedgerEntry
from property.services import funds as svc
from tests.property.fee_helpers import fee_community

pytestmark = pytest.mark.django_db


def give(fc, kind="money", *, actor=None, **kwargs):
    defaults = {
        "money": {"amount": Decimal("500.00")},
        "materials": {"item": "水泥", "quantity": Decimal("20"), "measure": "袋", "estimated_value": Decimal("600.00")},
        "labour": {"hours": Decimal("12.5")},
    }[kind]
    defaults.update(kwargs)
    defaults.setdefault("donor_name", "张大爷")
    defaults.setdefault("received_on", svc.today())
    defaults.setdefault("purpose", "屋面防水改造")
    return svc.donation_record(actor=actor or fc.chair, community=fc.community, kind=kind, **defaults)


def test_money_enters_the_donations_account_with_a_jz_receipt():
    fc = fee_community(units=1)
    first = give(fc)
    second = give(fc, donor_name="李阿姨", amount=Decimal("200.00"), actor=fc.staff)
    year = svc.today().year
    assert first.receipt_no == f"JZ{year}-000001" and second.receipt_no == f"JZ{year}-000002"
    entry = LedgerEntry.objects.get(donation=first)
    assert (entry.fund, entry.kind, entry.debit, entry.credit, entry.category, entry.amount) == (
        Fund.DONATIONS,
        "donation",
        Book.CASH,
        Book.INCOME,
        "捐款",
        Decimal("500.00"),
    )
    assert svc.cash_balance(fc.community, Fund.DONATIONS) == Decimal("700.00")
    assert AuditEntry.objects.filter(action="fees.donation_record").count() == 2


def test_materials_and_labour_stay_out_of_the_cash_ledger():
    fc = fee_community(units=1)
    materials = give(fc, "materials")
    labour = give(fc, "labour", donor_name="志愿者队")
    assert materials.receipt_no.startswith("JZ") and labour.receipt_no.startswith("JZ")
    assert not LedgerEntry.objects.exists()
    assert svc.cash_balance(fc.community, Fund.DONATIONS) == Decimal("0.00")
    assert (materials.amount, labour.amount, labour.item) == (None, None, "")


@pytest.mark.parametrize(
    ("kind", "kwargs", "field"),
    [
        ("money", {"amount": Decimal("0")}, "amount"),
        ("money", {"amount": Decimal("-1")}, "amount"),
        ("money", {"amount": None}, "amount"),
        ("materials", {"item": ""}, "item"),
        ("materials", {"quantity": Decimal("0")}, "quantity"),
        ("labour", {"hours": Decimal("0")}, "hours"),
        ("labour", {"hours": None}, "hours"),
        ("money", {"donor_name": " "}, "donor_name"),
        ("money", {"received_on": svc.today() + timedelta(days=2)}, "received_on"),
    ],
)
def test_each_kind_needs_its_measure(kind, kwargs, field):
    fc = fee_community(units=1)
    with pytest.raises(ValidationError) as error:
        give(fc, kind, **kwargs)
    assert field in error.value.error_dict
    assert not Donation.objects.exists()


def test_property_staff_and_residents_cannot_record_donations():
    fc = fee_community(units=1)
    for actor in (fc.cashier, fc.owners[0]):
        with pytest.raises(PermissionDenied):
            give(fc, actor=actor)
    assert not Donation.objects.exists()


def test_the_donor_can_opt_out_and_others_cannot_change_the_choice():
    fc = fee_community(units=2)
    donation = give(fc, donor=fc.vc.persons[0], donor_name="业主0")
    with pytest.raises(PermissionDenied):
        svc.donation_thanks_opt(actor=fc.owners[1], donation=donation, on_thanks_list=False)
    with pytest.raises(PermissionDenied):
        svc.donation_thanks_opt(actor=fc.cashier, donation=donation, on_thanks_list=False)
    svc.donation_thanks_opt(actor=fc.owners[0], donation=donation, on_thanks_list=False)
    donation.refresh_from_db()
    assert donation.on_thanks_list is False
    assert AuditEntry.objects.filter(action="fees.donation_thanks_opt").count() == 1
    svc.donation_thanks_opt(actor=fc.chair, donation=donation, on_thanks_list=True)
    donation.refresh_from_db()
    assert donation.on_thanks_list is True


def test_the_thank_you_list_names_only_who_agreed_and_counts_the_others():
    fc = fee_community(units=1)
    give(fc, donor_name="张大爷", amount=Decimal("500.00"))
    give(fc, "materials", donor_name="王师傅")
    give(fc, donor_name="不愿具名甲", amount=Decimal("100.00"), on_thanks_list=False)
    give(fc, "labour", donor_name="不愿具名乙", on_thanks_list=False)
    give(fc, "labour", donor_name="不愿具名乙", hours=Decimal("2.0"), on_thanks_list=False)
    thanks = svc.thanks_list(fc.community)
    assert [d.donor_name for d in thanks.named] == ["王师傅", "张大爷"]
    assert thanks.anonymous_people == 2
    assert thanks.money == Decimal("600.00")
    assert thanks.materials_value == Decimal("600.00")
    assert thanks.hours == Decimal("14.5")


def test_a_reversed_money_donation_leaves_the_thank_you_list():
    fc = fee_community(units=1)
    donation = give(fc, amount=Decimal("300.00"))
    svc.cash_entry_reverse(actor=fc.chair, entry=donation.entries.get(), reason="假币退回")
    thanks = svc.thanks_list(fc.community)
    assert thanks.named == [] and thanks.money == Decimal("0.00")
    assert svc.cash_balance(fc.community, Fund.DONATIONS) == Decimal("0.00")
