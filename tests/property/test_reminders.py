"""Reminders to pay (催告, F-01): the rules, the writer's refusals, who is told and how, the bulk send, and the pages.
Nothing a reminder says may threaten to cut water, power, heating or gas (Civil Code art. 944)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from home.models import AuditEntry, Notification, Residency
from property.domain import arrears as rules
from property.domain.fees import add_months, period_start
from property.models import Reminder
from property.services import ledger
from property.services.reminders import reminder_send, reminders_send_overdue
from tests.factories import PersonFactory, member
from tests.property.fee_helpers import MONTHLY, fee_community, pay

UTILITY_CUTS = ("停水", "停电", "停暖", "停气", "断水", "断电")
TODAY = date(2026, 5, 20)


# ---------------------------------------------------------------- the rules (no database)


@pytest.mark.parametrize(
    ("deadline", "ok"),
    [
        (None, False),
        (TODAY, False),
        (TODAY + timedelta(days=6), False),
        (TODAY + timedelta(days=7), True),
        (TODAY + timedelta(days=30), True),
    ],
)
def test_a_reminder_gives_at_least_seven_days(deadline, ok):
    assert (rules.deadline_problem(deadline, TODAY) is None) is ok


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("请于月底前到物业服务中心缴费", False),
        ("", False),
        ("逾期将停水", True),
        ("逾期 将 停 电", True),
        ("否则停暖", True),
        ("停气处理", True),
        ("将采取断水措施", True),
        ("停止供暖", True),
        ("拉闸", True),
    ],
)
def test_a_note_threatening_a_utility_cut_is_recognised(text, threat):
    assert rules.mentions_utility_cut(text) is threat


@pytest.mark.parametrize(
    ("months", "band"),
    [
        (1, "3个月以下"),
        (2, "3个月以下"),
        (3, "3–5个月"),
        (5, "3–5个月"),
        (6, "6–11个月"),
        (12, "1–2年"),
        (24, "2年以上"),
    ],
)
def test_fellow_owners_see_months_as_a_band(months, band):
    assert rules.months_band(months) == band


@pytest.mark.parametrize(
    ("candidate", "listed"),
    [
        (rules.NoticeCandidate(1, 3, date(2026, 1, 1), date(2026, 4, 1)), True),
        (rules.NoticeCandidate(1, 2, date(2026, 1, 1), date(2026, 4, 1)), False),  # too few months
        (rules.NoticeCandidate(1, 5, date(2026, 1, 1), None), False),  # never reminded (or deadline not passed)
        (rules.NoticeCandidate(1, 5, date(2026, 1, 1), date(2025, 6, 1)), False),  # reminded of an earlier debt
    ],
)
def test_a_unit_is_listed_only_after_a_reminder_for_these_arrears(candidate, listed):
    assert rules.may_list(candidate, min_months=3) is listed


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (30, True), (31, False)])
def test_a_notice_is_shown_at_most_thirty_days(days, ok):
    assert (rules.notice_days_problem(days) is None) is ok
    if ok:
        assert (rules.notice_expires_on(TODAY, days) - TODAY).days == days - 1


# ---------------------------------------------------------------- the writer


def months_ago(n: int):
    return add_months(period_start(timezone.localdate()), -n)


def in_days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def fc():
    fc = fee_community(units=3)
    for n in (3, 2, 1):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=months_ago(n))
    return fc


@pytest.mark.django_db
def test_a_reminder_records_the_overdue_amount_and_tells_owners_and_residents_politely(fc):
    unit = fc.units[0]
    tenant = member(fc.community, "resident", full_name="周租户")
    Residency.objects.create(
        unit=unit, person=PersonFactory(user=tenant), relation=Residency.Relation.TENANT, verified_at=timezone.now()
    )
    with translation.override("zh-hans"):
        reminder = reminder_send(actor=fc.cashier, unit=unit, deadline=in_days(14), note="收费处周一至周六 8:30–17:30")
    assert reminder.amount_due == 3 * MONTHLY
    told = Notification.objects.filter(title__contains=unit.label)
    assert {n.recipient for n in told} == {fc.owners[0], tenant}
    body = told.first().body
    assert "271.80" in body and "3 个月" in body and f"{in_days(14):%Y-%m-%d}" in body
    assert "物业服务中心" in body and "8:30" in body
    for word in UTILITY_CUTS:
        assert word not in body and word not in told.first().title
    assert AuditEntry.objects.filter(action="fees.reminder_send", target_id=str(reminder.pk)).exists()


@pytest.mark.django_db
def test_the_english_text_of_the_reminder_never_mentions_a_cut_either(fc):
    with translation.override("en"):
        reminder_send(actor=fc.cashier, unit=fc.units[0], deadline=in_days(14))
    body = Notification.objects.get(recipient=fc.owners[0]).body.lower()
    for word in ("cut", "water", "power", "electric", "heating", "gas", "disconnect"):
        assert word not in body


@pytest.mark.django_db
def test_a_reminder_is_refused_without_arrears_with_a_short_deadline_a_threat_or_while_one_runs(fc):
    paid_up = fc.units[1]
    pay(fc, paid_up, str(3 * MONTHLY))
    with pytest.raises(ValidationError, match="没有逾期"):
        reminder_send(actor=fc.cashier, unit=paid_up, deadline=in_days(14))
    with pytest.raises(ValidationError, match="至少在 7 天之后"):
        reminder_send(actor=fc.cashier, unit=fc.units[0], deadline=in_days(6))
    with pytest.raises(ValidationError, match="停水"):
        reminder_send(actor=fc.cashier, unit=fc.units[0], deadline=in_days(14), note="逾期将停水")
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    reminder_send(actor=fc.cashier, unit=fc.units[0], deadline=in_days(7))
    with pytest.raises(ValidationError, match="尚未届满"):
        reminder_send(actor=fc.cashier, unit=fc.units[0], deadline=in_days(20))
    assert Reminder.objects.count() == 1


@pytest.mark.django_db
def test_a_resident_or_another_communitys_staff_cannot_send_reminders(fc):
    other = fee_community(units=1)
    for actor in (fc.owners[1], other.cashier):
        with pytest.raises(PermissionDenied):
            reminder_send(actor=actor, unit=fc.units[0], deadline=in_days(14))


@pytest.mark.django_db
def test_the_bulk_send_reminds_households_overdue_long_enough_and_skips_running_reminders(fc):
    pay(fc, fc.units[1], str(2 * MONTHLY))  # one month open
    reminder_send(actor=fc.cashier, unit=fc.units[2], deadline=in_days(10))
    result = reminders_send_overdue(actor=fc.chair, community=fc.community, min_months=2, deadline=in_days(14))
    assert [r.unit_id for r in result.sent] == [fc.units[0].pk]
    assert result.still_running == 1
    assert Reminder.objects.count() == 2
    with pytest.raises(ValidationError, match="没有逾期 4 个月"):
        reminders_send_overdue(actor=fc.chair, community=fc.community, min_months=4, deadline=in_days(14))


@pytest.mark.django_db
def test_a_household_without_an_account_is_reminded_on_paper(fc):
    unit = fc.units[0]
    person = fc.vc.persons[0]
    person.user = None
    person.save(update_fields=["user"])
    result = reminders_send_overdue(actor=fc.chair, community=fc.community, min_months=1, deadline=in_days(14))
    assert unit.label in result.without_account
    assert Reminder.objects.filter(unit=unit).exists()


# ---------------------------------------------------------------- the pages


@pytest.mark.django_db
def test_the_unit_page_sends_a_reminder_and_shows_refusals(client, fc):
    client.force_login(fc.cashier)
    url = reverse("property:desk_unit_remind", args=[fc.units[0].pk])
    data = {"remind-fund": "property_fees", "remind-deadline": f"{in_days(3):%Y-%m-%d}", "remind-note": ""}
    response = client.post(url, data)
    assert response.status_code == 400 and "7 天" in response.content.decode()
    response = client.post(url, {**data, "remind-deadline": f"{in_days(10):%Y-%m-%d}"}, follow=True)
    assert "催告已发出" in response.content.decode()
    assert Reminder.objects.get().amount_due == Decimal("271.80")


@pytest.mark.django_db
def test_the_reminders_page_lists_reminders_and_sends_them_in_bulk(client, fc):
    client.force_login(fc.chair)
    url = reverse("property:reminders", args=[fc.community.pk])
    page = client.get(url).content.decode()
    assert "民法典第九百四十四条" in page
    for word in ("停水", "停电", "停暖", "停气"):
        assert word not in page
    send = reverse("property:reminders_send", args=[fc.community.pk])
    data = {"fund": "property_fees", "min_months": "3", "deadline": f"{in_days(14):%Y-%m-%d}", "note": ""}
    response = client.post(send, data, follow=True)
    assert "已发出 3 份催告" in response.content.decode()
    page = client.get(url).content.decode()
    assert fc.units[0].label in page and fc.units[2].label in page


@pytest.mark.django_db
@pytest.mark.parametrize("units", [2, 12])
def test_the_reminders_page_query_count_stays_flat(client, units, django_assert_max_num_queries):
    fc = fee_community(units=units)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=months_ago(1))
    reminders_send_overdue(actor=fc.chair, community=fc.community, min_months=1, deadline=in_days(14))
    client.force_login(fc.chair)
    url = reverse("property:reminders", args=[fc.community.pk])
    client.get(url)
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
