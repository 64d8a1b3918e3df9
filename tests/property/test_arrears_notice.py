"""The arrears notice for fellow owners (欠费公示, D-06): only the community's signed-in owners (and those who keep the
accounts) read it; it lists only units overdue long enough after a reminder whose deadline has passed, by masked
room and bands, never by name, phone or exact amount; a unit that pays drops off at once; it ends when withdrawn or
expired, and is never longer than the configured maximum."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from home.domain.masking import mask_room
from home.models import CommunityRole, Residency
from home.services.roles import bureau_group
from property.domain.fees import add_months, period_start
from property.models import ArrearsNotice, Reminder
from property.services import ledger
from property.services.reminders import arrears_notice_publish, arrears_notice_withdraw, notice_rows
from tests.factories import PersonFactory, member
from tests.property.fee_helpers import MONTHLY, fee_community, pay

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
DEBTOR_NAME, DEBTOR_PHONE = "欧阳欠费", "13912345678"


def months_ago(n: int):
    return add_months(period_start(timezone.localdate()), -n)


def expired_reminder(fc, unit, *, sent_days_ago=20, deadline_days_ago=3):
    """A reminder sent earlier whose deadline has passed (written as it would have been then)."""
    now = timezone.now()
    return Reminder.objects.create(
        community=fc.community,
        unit=unit,
        amount_due=3 * MONTHLY,
        deadline=timezone.localdate() - timedelta(days=deadline_days_ago),
        sent_by=fc.cashier,
        sent_at=now - timedelta(days=sent_days_ago),
    )


@pytest.fixture
def fc():
    """Unit 0: 4 months open, reminded, deadline passed (listed). Unit 1: 4 months open, never reminded.
    Unit 2: 4 months open, reminded, deadline still running. Unit 3: 2 months open, reminded, passed."""
    fc = fee_community(buildings=1, units=4)
    for n in (4, 3, 2, 1):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=months_ago(n))
    pay(fc, fc.units[3], str(2 * MONTHLY))
    expired_reminder(fc, fc.units[0])
    expired_reminder(fc, fc.units[3])
    Reminder.objects.create(
        community=fc.community,
        unit=fc.units[2],
        amount_due=4 * MONTHLY,
        deadline=timezone.localdate() + timedelta(days=5),
        sent_by=fc.cashier,
    )
    debtor, user = fc.vc.persons[0], fc.owners[0]
    debtor.full_name, debtor.phone = DEBTOR_NAME, DEBTOR_PHONE
    debtor.save(update_fields=["full_name", "phone"])
    user.full_name, user.phone = DEBTOR_NAME, "+86" + DEBTOR_PHONE
    user.save(update_fields=["full_name", "phone"])
    return fc


def masked(unit):
    return mask_room(unit.entrance.building.name, unit.entrance.name, unit.room)


def notice_url(fc):
    return reverse("property:arrears_notice", args=[fc.community.pk])


def test_the_notice_lists_only_units_reminded_in_vain_and_long_enough_in_arrears(fc):
    notice = arrears_notice_publish(actor=fc.chair, community=fc.community, min_months=3)
    rows = notice_rows(notice)
    assert [row.room for row in rows] == [masked(fc.units[0])]
    assert rows[0].amount_band == "500元以下" and rows[0].months_band == "3–5个月"


def test_an_owner_reads_masked_rooms_and_bands_never_a_name_phone_or_amount(client, fc):
    arrears_notice_publish(actor=fc.chair, community=fc.community)
    client.force_login(fc.owners[2])
    response = client.get(notice_url(fc))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in page
    assert masked(fc.units[0]) in page and "500元以下" in page and "3–5个月" in page
    assert fc.units[0].label not in page and fc.units[0].room + "室" not in page
    assert DEBTOR_NAME not in page and DEBTOR_PHONE not in page and "139****5678" not in page
    assert "362.40" not in page and "90.60" not in page  # no exact amounts
    for other in fc.units[1:]:
        assert masked(other) not in page or masked(other) == masked(fc.units[0])
    assert "收缴率" in page  # building-level rates are always allowed


def test_only_owners_of_the_community_and_keepers_read_it(client, fc):
    arrears_notice_publish(actor=fc.chair, community=fc.community)
    other = fee_community(units=1)
    tenant = member(fc.community, Role.RESIDENT, full_name="周租户")
    Residency.objects.create(
        unit=fc.units[1],
        person=PersonFactory(user=tenant),
        relation=Residency.Relation.TENANT,
        verified_at=timezone.now(),
    )
    for user, status in (
        (fc.owners[1], 200),
        (fc.chair, 200),
        (fc.cashier, 200),
        (fc.staff, 200),
        (tenant, 403),
        (other.owners[0], 403),
        (other.cashier, 403),
        (other.chair, 403),
    ):
        client.force_login(user)
        assert client.get(notice_url(fc)).status_code == status, user.full_name
    client.logout()
    response = client.get(notice_url(fc))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_bureau_may_read_it(client, fc):
    officer = member(fee_community(units=1).community, Role.RESIDENT)
    bureau_group().user_set.add(officer)
    client.force_login(officer)
    assert client.get(notice_url(fc)).status_code == 200


def test_a_unit_that_pays_drops_off_at_once(fc):
    notice = arrears_notice_publish(actor=fc.chair, community=fc.community)
    assert len(notice_rows(notice)) == 1
    pay(fc, fc.units[0], str(4 * MONTHLY))
    assert notice_rows(notice) == []


def test_after_withdrawal_or_expiry_the_notice_shows_nothing(client, fc):
    notice = arrears_notice_publish(actor=fc.chair, community=fc.community)
    client.force_login(fc.owners[1])
    assert masked(fc.units[0]) in client.get(notice_url(fc)).content.decode()
    ArrearsNotice.objects.filter(pk=notice.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    notice.refresh_from_db()
    assert notice_rows(notice) == []
    assert masked(fc.units[0]) not in client.get(notice_url(fc)).content.decode()
    fresh = arrears_notice_publish(actor=fc.chair, community=fc.community)
    client.force_login(fc.chair)
    response = client.post(reverse("property:arrears_notice_withdraw", args=[fresh.pk]), follow=True)
    assert "已撤下" in response.content.decode()
    client.force_login(fc.owners[1])
    assert masked(fc.units[0]) not in client.get(notice_url(fc)).content.decode()
    with pytest.raises(ValidationError):
        arrears_notice_withdraw(actor=fc.chair, notice=fresh)


def test_publishing_is_refused_beyond_thirty_days_twice_at_once_or_by_a_resident(client, fc):
    with pytest.raises(ValidationError, match="30 天"):
        arrears_notice_publish(actor=fc.chair, community=fc.community, days=31)
    arrears_notice_publish(actor=fc.chair, community=fc.community, days=30)
    with pytest.raises(ValidationError, match="正在公示"):
        arrears_notice_publish(actor=fc.chair, community=fc.community)
    client.force_login(fc.owners[1])
    url = reverse("property:arrears_notice_publish", args=[fc.community.pk])
    assert client.post(url, {"fund": "property_fees", "min_months": 1, "days": 5}).status_code == 403
    assert ArrearsNotice.objects.count() == 1


def test_the_maximum_display_period_is_configurable(settings, fc):
    settings.PORTAL_ARREARS_NOTICE_MAX_DAYS = 10
    with pytest.raises(ValidationError, match="10 天"):
        arrears_notice_publish(actor=fc.chair, community=fc.community, days=15)


def test_keepers_post_the_notice_from_the_page(client, fc):
    client.force_login(fc.cashier)
    url = reverse("property:arrears_notice_publish", args=[fc.community.pk])
    response = client.post(url, {"fund": "property_fees", "min_months": 3, "days": 45})
    assert response.status_code == 400 and "30 天" in response.content.decode()
    response = client.post(url, {"fund": "property_fees", "min_months": 3, "days": 30}, follow=True)
    assert masked(fc.units[0]) in response.content.decode()


@pytest.mark.parametrize("units", [4, 16])
def test_the_notice_page_query_count_stays_flat(client, units, django_assert_max_num_queries):
    fc = fee_community(buildings=2, units=units // 2)
    for n in (4, 3, 2, 1):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=months_ago(n))
    for unit in fc.units:
        expired_reminder(fc, unit)
    arrears_notice_publish(actor=fc.chair, community=fc.community)
    client.force_login(fc.owners[0])
    client.get(notice_url(fc))
    with django_assert_max_num_queries(20):
        page = client.get(notice_url(fc)).content.decode()
    assert page.count("500元以下") == units
