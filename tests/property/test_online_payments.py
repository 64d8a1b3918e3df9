"""Paying online through the provider interface, with the fake provider (issue 6)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from property.models import OnlinePayment, Payment
from property.selectors import consistency_problems, household_accounts
from property.services import ledger
from property.services import online as svc
from tests.property.fee_helpers import MONTHLY, fee_community

pytestmark = pytest.mark.django_db
JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
Status = OnlinePayment.Status


class OtherProvider(svc.PaymentProvider):
    label = "其他渠道"

    def start(self, online_payment, return_url):
        return f"https://pay.example.com/{online_payment.reference}"

    def confirm(self, data):
        return svc.ProviderResult(data["reference"], data["ok"] == "1", data.get("id", ""))


def _owing(months=(JAN,)):
    fc = fee_community(units=2)
    for period in months:
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=period)
    return fc


def test_the_configured_provider_is_the_fake_one():
    assert isinstance(svc.provider(), svc.FakeProvider)
    assert svc.uses_fake_provider()


def test_a_successful_payment_records_one_payment_with_a_receipt_and_settles_the_month():
    fc = _owing()
    unit, owner = fc.units[0], fc.owners[0]
    started = svc.online_payment_start(user=owner, unit=unit, amount=MONTHLY)
    assert started.status == Status.PENDING and len(started.reference) >= 32
    assert Payment.objects.count() == 0
    done = svc.online_payment_complete(reference=started.reference, succeeded=True, provider_reference="P1")
    assert done.status == Status.SUCCEEDED and done.finished_at is not None
    payment = Payment.objects.get()
    assert done.payment_id == payment.pk
    assert payment.method == Payment.Method.ONLINE
    assert payment.receipt_no.startswith("SJ")
    assert payment.payer_name == owner.full_name
    assert payment.provider_reference == "P1"
    assert payment.recorded_by == owner
    assert household_accounts(unit)["property_fees"].balance == 0
    assert consistency_problems(fc.community) == []
    assert owner.notifications.filter(url=reverse("property:receipt", args=[payment.pk])).exists()


def test_a_repeated_confirmation_records_the_payment_once():
    fc = _owing()
    started = svc.online_payment_start(user=fc.owners[0], unit=fc.units[0], amount=MONTHLY)
    first = svc.online_payment_complete(reference=started.reference, succeeded=True)
    second = svc.online_payment_complete(reference=started.reference, succeeded=True)
    late_failure = svc.online_payment_complete(reference=started.reference, succeeded=False)
    assert Payment.objects.count() == 1
    assert first.payment_id == second.payment_id == late_failure.payment_id
    assert late_failure.status == Status.SUCCEEDED


def test_a_cancelled_payment_records_nothing_and_cannot_succeed_later():
    fc = _owing()
    started = svc.online_payment_start(user=fc.owners[0], unit=fc.units[0], amount=MONTHLY)
    failed = svc.online_payment_complete(reference=started.reference, succeeded=False)
    assert failed.status == Status.FAILED and failed.payment_id is None
    again = svc.online_payment_complete(reference=started.reference, succeeded=True)
    assert again.status == Status.FAILED
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("amount", ["0", "-5.00", "0.001"])
def test_zero_negative_or_sub_fen_amounts_are_refused(amount):
    fc = _owing()
    with pytest.raises(ValidationError):
        svc.online_payment_start(user=fc.owners[0], unit=fc.units[0], amount=Decimal(amount))
    assert OnlinePayment.objects.count() == 0


def test_more_than_owed_beyond_the_tolerance_or_nothing_owed_is_refused():
    fc = _owing()
    with pytest.raises(ValidationError, match="不能超过应缴"):
        svc.online_payment_start(user=fc.owners[0], unit=fc.units[0], amount=MONTHLY + Decimal("10.01"))
    svc.online_payment_start(user=fc.owners[0], unit=fc.units[0], amount=MONTHLY + Decimal("10.00"))
    fresh = fee_community(units=1)
    with pytest.raises(ValidationError, match="没有待缴"):
        svc.online_payment_start(user=fresh.owners[0], unit=fresh.units[0], amount=Decimal("10.00"))


def test_only_the_household_may_start_and_only_the_starter_may_complete():
    fc = _owing()
    other = fee_community(units=1)
    for user in (fc.owners[1], other.owners[0], other.cashier):
        with pytest.raises(PermissionDenied):
            svc.online_payment_start(user=user, unit=fc.units[0], amount=MONTHLY)
    started = svc.online_payment_start(user=fc.owners[0], unit=fc.units[0], amount=MONTHLY)
    with pytest.raises(PermissionDenied):
        svc.online_payment_complete(reference=started.reference, succeeded=True, user=fc.owners[1])
    assert Payment.objects.count() == 0


def test_an_unknown_reference_is_refused():
    with pytest.raises(ValidationError):
        svc.online_payment_complete(reference="nope", succeeded=True)


# ---------------------------------------------------------------- pages


def test_the_whole_flow_through_the_pages(client):
    fc = _owing(months=(JAN, FEB))
    unit, owner = fc.units[0], fc.owners[0]
    client.force_login(owner)
    url = reverse("property:pay_online", args=[unit.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="181.20"' in form.content.decode()
    response = client.post(url, {"amount": "181.20", "fund": "property_fees"})
    started = OnlinePayment.objects.get()
    fake_url = reverse("property:fake_provider", args=[started.reference])
    assert response.status_code == 302 and response["Location"] == fake_url
    page = client.get(fake_url).content.decode()
    assert "模拟支付" in page and "不会发生真实扣款" in page and "181.20" in page
    response = client.post(fake_url, {"outcome": "pay"})
    result_url = reverse("property:online_result", args=[started.reference])
    assert response.status_code == 302 and response["Location"] == result_url
    payment = Payment.objects.get()
    result = client.get(result_url).content.decode()
    assert reverse("property:receipt", args=[payment.pk]) in result and payment.receipt_no in result
    # Pressing confirm again (back button) records nothing more.
    assert client.post(fake_url, {"outcome": "pay"})["Location"] == result_url
    assert Payment.objects.count() == 1


def test_cancelling_on_the_fake_page_records_nothing(client):
    fc = _owing()
    started = svc.online_payment_start(user=fc.owners[0], unit=fc.units[0], amount=MONTHLY)
    client.force_login(fc.owners[0])
    client.post(reverse("property:fake_provider", args=[started.reference]), {"outcome": "cancel"})
    assert OnlinePayment.objects.get().status == Status.FAILED
    assert Payment.objects.count() == 0
    result = client.get(reverse("property:online_result", args=[started.reference])).content.decode()
    assert "没有记账" in result


@pytest.mark.parametrize("amount", ["0", "-1"])
def test_the_form_refuses_zero_or_negative_amounts(client, amount):
    fc = _owing()
    client.force_login(fc.owners[0])
    response = client.post(
        reverse("property:pay_online", args=[fc.units[0].pk]), {"amount": amount, "fund": "property_fees"}
    )
    assert response.status_code == 400
    assert OnlinePayment.objects.count() == 0


def test_another_user_cannot_see_or_complete_someone_elses_payment(client):
    fc = _owing()
    other = fee_community(units=1)
    started = svc.online_payment_start(user=fc.owners[0], unit=fc.units[0], amount=MONTHLY)
    fake_url = reverse("property:fake_provider", args=[started.reference])
    result_url = reverse("property:online_result", args=[started.reference])
    for user in (fc.owners[1], fc.cashier, other.owners[0]):
        client.force_login(user)
        assert client.get(fake_url).status_code == 403
        assert client.post(fake_url, {"outcome": "pay"}).status_code == 403
        assert client.get(result_url).status_code == 403
    assert Payment.objects.count() == 0
    client.logout()
    assert "login" in client.get(fake_url)["Location"]


def test_other_households_and_communities_cannot_open_the_payment_form(client):
    fc = _owing()
    other = fee_community(units=1)
    url = reverse("property:pay_online", args=[fc.units[0].pk])
    for user in (fc.owners[1], other.owners[0], other.cashier):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"amount": "90.60", "fund": "property_fees"}).status_code == 403
    assert OnlinePayment.objects.count() == 0


@override_settings(PORTAL_PAYMENT_PROVIDER="tests.property.test_online_payments.OtherProvider")
def test_with_another_provider_the_fake_page_is_gone_and_the_household_is_sent_to_the_provider(client):
    fc = _owing()
    client.force_login(fc.owners[0])
    response = client.post(
        reverse("property:pay_online", args=[fc.units[0].pk]), {"amount": "90.60", "fund": "property_fees"}
    )
    started = OnlinePayment.objects.get()
    assert response["Location"] == f"https://pay.example.com/{started.reference}"
    assert client.get(reverse("property:fake_provider", args=[started.reference])).status_code == 404
    done = svc.online_payment_confirm({"reference": started.reference, "ok": "1", "id": "X9"})
    assert done.status == Status.SUCCEEDED and done.payment.provider_reference == "X9"
