"""Numbered printable receipts (收据) and refund and reversal slips, and who may read them (issue 6)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from property.domain.fees import amount_in_words
from property.services import ledger
from tests.property.fee_helpers import fee_community, pay

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
        ("1.23", "壹元贰角叁分"),
        ("10", "壹拾元整"),
        ("90.60", "玖拾元陆角整"),
        ("100.05", "壹佰元零伍分"),
        ("105.50", "壹佰零伍元伍角整"),
        ("1000", "壹仟元整"),
        ("1001", "壹仟零壹元整"),
        ("1010", "壹仟零壹拾元整"),
        ("10001.01", "壹万零壹元零壹分"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("100000", "壹拾万元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("1000100", "壹佰万零壹佰元整"),
        ("100000000", "壹亿元整"),
        ("100000001", "壹亿零壹元整"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


needs_db = pytest.mark.django_db


def _receipt(client, user, payment):
    client.force_login(user)
    return client.get(reverse("property:receipt", args=[payment.pk]))


@needs_db
def test_the_receipt_shows_number_unit_payer_amount_in_words_and_the_months_it_paid(client):
    fc = fee_community(units=1)
    unit = fc.units[0]
    for period in (JAN, FEB):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=period)
    payment = pay(fc, unit, "200.00", confirm=True, payer_name=fc.owners[0].full_name)
    response = _receipt(client, fc.owners[0], payment)
    assert response.status_code == 200
    html = response.content.decode()
    assert "收据" in html
    assert payment.receipt_no in html
    assert unit.label in html
    assert fc.community.title in html
    assert fc.owners[0].full_name in html
    assert "贰佰元整" in html
    assert "2026-01" in html and "2026-02" in html
    assert "18.80" in html  # kept as payment in advance
    assert fc.cashier.full_name in html  # recorded by
    assert "receipt.css" in html


@needs_db
def test_refund_and_reversal_slips_are_titled_as_such(client):
    fc = fee_community(units=1)
    unit = fc.units[0]
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    prepaid = pay(fc, unit, "300.00", confirm=True)
    refund = ledger.refund_record(
        actor=fc.cashier, unit=unit, amount=Decimal("50.00"), method="cash", reason="多缴退回", idempotency_key="r1"
    )
    html = _receipt(client, fc.owners[0], refund).content.decode()
    assert "退款凭证" in html and "伍拾元整" in html and "多缴退回" in html
    reversal = ledger.payment_reverse(actor=fc.cashier, payment=prepaid, reason="录入错误")
    html = _receipt(client, fc.owners[0], reversal).content.decode()
    assert "冲正凭证" in html and prepaid.receipt_no in html and "录入错误" in html
    html = _receipt(client, fc.owners[0], prepaid).content.decode()
    assert reversal.receipt_no in html  # the original says it was reversed


@needs_db
def test_the_receipt_is_refused_to_other_households_and_other_communities_and_open_to_keepers(client):
    fc = fee_community(units=2)
    other = fee_community(units=1)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=JAN)
    payment = pay(fc, fc.units[0], "90.60")
    for user in (fc.owners[1], other.owners[0], other.cashier, other.chair):
        assert _receipt(client, user, payment).status_code == 403
    for user in (fc.cashier, fc.chair, fc.staff):
        assert _receipt(client, user, payment).status_code == 200
    client.logout()
    response = client.get(reverse("property:receipt", args=[payment.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
