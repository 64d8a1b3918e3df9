"""The fee desk (收费台账): who gets in, the ledger page and its query count, the unit search, schedules, charge runs
and the counter forms (payments with idempotency keys and prepayment confirmation, refunds, reversals,
corrections), with the writers' Chinese refusals shown on the forms and nothing changed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from home.models import CommunityRole
from home.services.roles import bureau_group
from property.domain.fees import add_months, period_start
from property.models import Charge, ChargeRun, FeeSchedule, Payment
from property.services import ledger
from tests.factories import member
from tests.property.fee_helpers import MONTHLY, fee_community, pay

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
FORBIDDEN = "这些账目不对您的账号开放"


def text_of(response) -> str:
    return response.content.decode()


def months_ago(n: int):
    return add_months(period_start(timezone.localdate()), -n)


def charge_months(fc, *ago):
    for n in ago:
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=months_ago(n))


@pytest.fixture
def fc():
    fc = fee_community(buildings=2, units=2)
    charge_months(fc, 3, 2, 1)
    return fc


def bureau_officer():
    officer = member(fee_community(units=1).community, Role.RESIDENT, full_name="赵建国")
    bureau_group().user_set.add(officer)
    return officer


def desk_urls(fc) -> dict[str, str]:
    cid, unit = fc.community.pk, fc.units[0].pk
    return {
        "desk": reverse("property:desk", args=[cid]),
        "find": reverse("property:desk_unit_find", args=[cid])
        + f"?building={fc.units[0].entrance.building_id}&room=011",
        "schedules": reverse("property:schedules", args=[cid]),
        "charge_run": reverse("property:charge_run", args=[cid]),
        "unit_account": reverse("property:unit_account", args=[unit]),
        "reminders": reverse("property:reminders", args=[cid]),
        "arrears_notice": reverse("property:arrears_notice", args=[cid]),
    }


def post_urls(fc) -> list[str]:
    cid, unit = fc.community.pk, fc.units[0].pk
    schedule = FeeSchedule.objects.filter(community=fc.community).first()
    return [
        reverse("property:schedules", args=[cid]),
        reverse("property:schedule_end", args=[schedule.pk]),
        reverse("property:charge_run", args=[cid]),
        reverse("property:desk_unit_pay", args=[unit]),
        reverse("property:desk_unit_refund", args=[unit]),
        reverse("property:desk_unit_reverse_payment", args=[unit]),
        reverse("property:desk_unit_correct_charge", args=[unit]),
        reverse("property:desk_unit_remind", args=[unit]),
        reverse("property:reminders_send", args=[cid]),
        reverse("property:arrears_notice_publish", args=[cid]),
    ]


# ---------------------------------------------------------------- who gets in


def test_keepers_and_the_bureau_open_the_desk(client, fc):
    for user in (fc.chair, fc.cashier, fc.staff, bureau_officer()):
        client.force_login(user)
        page = text_of(client.get(desk_urls(fc)["desk"]))
        assert "收费台账" in page and fc.units[0].label in page


def test_a_resident_cannot_open_the_desk_or_a_unit_account(client, fc):
    client.force_login(fc.owners[0])
    for name in ("desk", "schedules", "charge_run", "unit_account", "reminders", "find"):
        response = client.get(desk_urls(fc)[name])
        assert response.status_code == 403, name
        assert FORBIDDEN in text_of(response)


def test_anonymous_visitors_are_sent_to_log_in(client, fc):
    for url in desk_urls(fc).values():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_property_staff_of_another_community_are_refused_everywhere(client, fc):
    other = fee_community(units=1)
    client.force_login(other.cashier)
    for name, url in desk_urls(fc).items():
        assert client.get(url).status_code == 403, name
    payment = pay(fc, fc.units[0], "90.60")
    for url in post_urls(fc):
        response = client.post(url, {"fund": "property_fees", "amount": "10", "reason": "x"})
        assert response.status_code == 403, url
    withdraw = reverse("property:arrears_notice_withdraw", args=[_notice(fc).pk])
    assert client.post(withdraw).status_code == 403
    assert Payment.objects.filter(unit=fc.units[0]).count() == 1 and payment.pk


def _notice(fc):
    from property.services.reminders import arrears_notice_publish

    return arrears_notice_publish(actor=fc.chair, community=fc.community)


def test_the_bureau_reads_but_records_nothing(client, fc):
    client.force_login(bureau_officer())
    for name in ("desk", "schedules", "unit_account", "reminders"):
        assert client.get(desk_urls(fc)[name]).status_code == 200, name
    assert client.get(desk_urls(fc)["charge_run"]).status_code == 403
    page = text_of(client.get(desk_urls(fc)["unit_account"]))
    assert "desk_unit_pay" not in page and reverse("property:desk_unit_pay", args=[fc.units[0].pk]) not in page
    response = client.post(reverse("property:desk_unit_pay", args=[fc.units[0].pk]), {"pay-amount": "10"})
    assert response.status_code == 403


# ---------------------------------------------------------------- the ledger page


def test_the_desk_shows_the_year_months_buildings_units_and_the_consistency_check(client, fc):
    pay(fc, fc.units[1], str(MONTHLY * 3))
    client.force_login(fc.cashier)
    page = text_of(client.get(desk_urls(fc)["desk"]))
    assert "<progress" in page and "账目一致" in page
    assert fc.units[0].label in page and fc.units[1].label not in page  # paid up: not in arrears
    assert "271.80" in page  # three months of 90.60 overdue for one unit
    assert "1号楼" in page and "2号楼" in page
    assert 'class="table-wrap"' in page


def test_the_building_filter_and_the_pages_of_fifty(client):
    fc = fee_community(buildings=2, units=30)
    charge_months(fc, 1)
    client.force_login(fc.chair)
    url = desk_urls(fc)["desk"]
    page = text_of(client.get(url))
    assert "60 户有逾期欠费" in page
    assert "page=2" in page
    building = fc.units[-1].entrance.building
    filtered = text_of(client.get(f"{url}?building={building.pk}"))
    assert fc.units[-1].label in filtered and fc.units[0].label not in filtered


def _desk_queries(client, fc) -> int:
    client.force_login(fc.cashier)
    url = desk_urls(fc)["desk"]
    client.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_desk_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    small = fee_community(buildings=1, units=2)
    charge_months(small, 2, 1)
    large = fee_community(buildings=4, units=8)
    charge_months(large, 6, 5, 4, 3, 2, 1)
    pay(large, large.units[0], "90.60")
    from property.services.reminders import reminder_send

    reminder_send(actor=large.cashier, unit=large.units[1], deadline=timezone.localdate() + timedelta(days=10))
    assert _desk_queries(client, small) == _desk_queries(client, large)
    with django_assert_max_num_queries(30):
        client.get(desk_urls(large)["desk"])


def test_the_unit_search_opens_the_account_or_says_it_found_nothing(client, fc):
    client.force_login(fc.cashier)
    unit = fc.units[0]
    building = unit.entrance.building_id
    base = reverse("property:desk_unit_find", args=[fc.community.pk])
    response = client.get(f"{base}?building={building}&room={unit.room}")
    assert response.status_code == 302 and response["Location"] == reverse("property:unit_account", args=[unit.pk])
    response = client.get(f"{base}?building={building}&room=9999", follow=True)
    assert "9999" in text_of(response)


# ---------------------------------------------------------------- schedules and charge runs


def test_a_new_rate_is_saved_and_an_overlapping_one_is_refused(client, fc):
    client.force_login(fc.chair)
    url = desk_urls(fc)["schedules"]
    page = text_of(client.get(url))
    assert "元/平方米/月" in page and "F-03" in page
    assert "F-05" in page
    data = {
        "fund": "property_fees",
        "unit_kind": "special_space",
        "basis": "fixed",
        "rate": "50",
        "valid_from": "2025-01-01",
        "approval_reference": "物业服务合同第六条",
    }
    assert client.post(url, data).status_code == 302
    assert FeeSchedule.objects.filter(community=fc.community, unit_kind="special_space").count() == 1
    response = client.post(url, data)
    assert response.status_code == 400 and "重叠" in text_of(response)
    late = {**data, "unit_kind": "residence", "valid_from": "2030-01-01", "late_fee_daily_rate": "0.0003"}
    response = client.post(url, late)
    assert response.status_code == 400 and "违约金" in text_of(response)


def test_a_rate_is_ended_on_a_day(client, fc):
    client.force_login(fc.cashier)
    schedule = FeeSchedule.objects.get(community=fc.community)
    end = reverse("property:schedule_end", args=[schedule.pk])
    client.post(end, {"valid_until": "2024-01-01"}, follow=True)
    schedule.refresh_from_db()
    assert schedule.valid_until is None
    client.post(end, {"valid_until": "2099-12-31"})
    schedule.refresh_from_db()
    assert str(schedule.valid_until) == "2099-12-31"


def test_a_charge_run_reports_what_it_did_and_a_second_run_is_an_error(client):
    fc = fee_community(units=2)
    no_area = fc.units[1]
    type(no_area).objects.filter(pk=no_area.pk).update(registered_area=None, surveyed_area=None, contract_area=None)
    client.force_login(fc.cashier)
    url = desk_urls(fc)["charge_run"]
    assert 'type="month"' in text_of(client.get(url))
    month = f"{months_ago(1):%Y-%m}"
    response = client.post(url, {"fund": "property_fees", "period": month}, follow=True)
    page = text_of(response)
    assert "1 笔" in page and "90.60" in page and no_area.label in page
    assert Charge.objects.count() == 1
    response = client.post(url, {"fund": "property_fees", "period": month})
    assert response.status_code == 400 and "已出账" in text_of(response)
    assert Charge.objects.count() == 1 and ChargeRun.objects.count() == 1


# ---------------------------------------------------------------- the counter


def _pay_form(client, unit) -> dict:
    """The payment form as the page renders it (with its idempotency key)."""
    page = text_of(client.get(reverse("property:unit_account", args=[unit.pk])))
    marker = 'name="pay-idempotency_key" value="'
    start = page.index(marker) + len(marker)
    key = page[start : page.index('"', start)]
    return {
        "pay-fund": "property_fees",
        "pay-method": "cash",
        "pay-received_on": f"{timezone.localdate():%Y-%m-%d}",
        "pay-payer_name": "业主0",
        "pay-idempotency_key": key,
    }


def test_the_same_payment_form_submitted_twice_records_one_payment(client, fc):
    client.force_login(fc.cashier)
    unit = fc.units[0]
    form = {**_pay_form(client, unit), "pay-amount": "90.60"}
    url = reverse("property:desk_unit_pay", args=[unit.pk])
    first = client.post(url, form)
    second = client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert Payment.objects.filter(unit=unit).count() == 1
    payment = Payment.objects.get(unit=unit)
    page = text_of(client.get(first["Location"]))
    assert payment.receipt_no in page


@pytest.mark.parametrize(("amount", "error"), [("0", "金额必须大于零"), ("-5", "金额必须大于零")])
def test_a_zero_or_negative_payment_shows_a_chinese_error(client, fc, amount, error):
    client.force_login(fc.cashier)
    unit = fc.units[0]
    response = client.post(
        reverse("property:desk_unit_pay", args=[unit.pk]), {**_pay_form(client, unit), "pay-amount": amount}
    )
    assert response.status_code == 400 and error in text_of(response)
    assert not Payment.objects.exists()


def test_an_overpayment_is_refused_until_the_prepayment_is_confirmed(client, fc):
    client.force_login(fc.cashier)
    unit = fc.units[0]
    form = {**_pay_form(client, unit), "pay-amount": "1000.00"}
    url = reverse("property:desk_unit_pay", args=[unit.pk])
    assert 'type="checkbox" name="pay-confirm_overpayment"' not in text_of(client.get(desk_urls(fc)["unit_account"]))
    response = client.post(url, form)
    page = text_of(response)
    assert response.status_code == 400 and "确认预缴" in page
    assert 'type="checkbox" name="pay-confirm_overpayment"' in page
    assert form["pay-idempotency_key"] in page  # the same key: a second click after confirming is still one payment
    assert not Payment.objects.exists()
    response = client.post(url, {**form, "pay-confirm_overpayment": "on"})
    assert response.status_code == 302
    assert Payment.objects.get().amount == Decimal("1000.00")


def test_refund_reverse_and_correct_from_the_unit_page(client, fc):
    client.force_login(fc.chair)
    unit = fc.units[0]
    payment = pay(fc, unit, "400.00", confirm=True)  # 3 × 90.60 = 271.80 owed, 128.20 in advance
    refund = reverse("property:desk_unit_refund", args=[unit.pk])
    response = client.post(
        refund,
        {
            "refund-fund": "property_fees",
            "refund-amount": "500",
            "refund-method": "cash",
            "refund-reason": "多缴",
            "refund-idempotency_key": "r-1",
        },
    )
    assert response.status_code == 400 and "预缴余额" in text_of(response)
    response = client.post(
        refund,
        {
            "refund-fund": "property_fees",
            "refund-amount": "28.20",
            "refund-method": "cash",
            "refund-reason": "多缴",
            "refund-idempotency_key": "r-2",
        },
    )
    assert response.status_code == 302 and Payment.objects.filter(kind="refund").count() == 1
    charge = Charge.objects.filter(unit=unit).order_by("period").first()
    correct = reverse("property:desk_unit_correct_charge", args=[unit.pk])
    response = client.post(correct, {"correct-charge": charge.pk, "correct-new_amount": "80.00", "correct-reason": ""})
    assert response.status_code == 400
    response = client.post(
        correct, {"correct-charge": charge.pk, "correct-new_amount": "80.00", "correct-reason": "面积更正"}
    )
    assert response.status_code == 302 and Charge.objects.filter(corrects=charge).exists()
    reverse_url = reverse("property:desk_unit_reverse_payment", args=[unit.pk])
    response = client.post(reverse_url, {"reverse-payment": payment.pk, "reverse-reason": "银行退票"})
    assert response.status_code == 302 and Payment.objects.filter(kind="reversal", reverses=payment).exists()
    response = client.post(reverse_url, {"reverse-payment": payment.pk, "reverse-reason": "again"})
    assert response.status_code == 400


def test_a_unit_of_another_community_cannot_be_reached_through_this_desk(client, fc):
    other = fee_community(units=1)
    client.force_login(fc.cashier)
    assert client.get(reverse("property:unit_account", args=[other.units[0].pk])).status_code == 403


def _unit_queries(client, fc, unit) -> int:
    client.force_login(fc.cashier)
    url = reverse("property:unit_account", args=[unit.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_unit_account_query_count_does_not_grow_with_its_history(client):
    short, long = fee_community(units=1), fee_community(units=1)
    charge_months(short, 1)
    charge_months(long, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
    for _ in range(4):
        pay(long, long.units[0], "90.60")
    assert _unit_queries(client, short, short.units[0]) == _unit_queries(client, long, long.units[0])
