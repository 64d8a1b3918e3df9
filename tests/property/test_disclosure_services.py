"""Publishing income-and-expenditure statements (收支公示, F-08, F-10, V-11, D-06 item 6)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import NoticePage
from home.models import AuditEntry
from property.models import Disclosure, Fund
from property.selectors import fund_statement
from property.services import disclosure as svc
from property.services import ledger
from tests.property.fee_helpers import MONTHLY, fee_community, pay

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)
JUL, AUG, SEP = date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)


@pytest.fixture
def fc():
    fc = fee_community(units=3)
    for period in (JUL, AUG, SEP):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=period)
    pay(fc, fc.units[0], str(3 * MONTHLY), received_on=date(2026, 8, 10))
    pay(fc, fc.units[1], str(MONTHLY), received_on=date(2026, 6, 20), confirm=True)  # before: the opening
    pay(fc, fc.units[1], str(MONTHLY), received_on=date(2026, 9, 5))
    return fc


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 11, 28), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 10, 1), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 9, 30), (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 1, 5), (date(2025, 10, 1), date(2025, 12, 31))),
    ],
)
def test_the_default_period_is_the_last_complete_quarter(today, quarter):
    assert svc.last_complete_quarter(today) == quarter


def test_publishing_freezes_the_fund_statement_and_posts_a_members_only_disclosure(fc):
    disclosure = svc.disclosure_publish(actor=fc.chair, community=fc.community, fund=Fund.PROPERTY_FEES, today=TODAY)
    assert (disclosure.period_start, disclosure.period_end) == (JUL, date(2026, 9, 30))
    statement = fund_statement(fc.community, Fund.PROPERTY_FEES, JUL, date(2026, 9, 30))
    figures = disclosure.figures
    assert figures["opening"] == str(statement.opening) == "90.60"
    assert figures["total_income"] == str(statement.total_income) == str(4 * MONTHLY)
    assert figures["income"] == [[c, str(a)] for c, a in statement.income]
    assert figures["closing"] == str(statement.closing)
    assert [m["period"] for m in figures["months"]] == ["2026-07", "2026-08", "2026-09"]
    assert sum(Decimal(m["income"]) for m in figures["months"]) == statement.total_income
    # collection by month and by building: aggregates only, never a unit or a name (D-06 item 6)
    assert [row["period"] for row in figures["collection"]] == ["2026-07", "2026-08", "2026-09"]
    assert figures["collection"][0]["charged"] == str(3 * MONTHLY)
    assert [row["building"] for row in figures["buildings"]] == ["1号楼"]
    assert figures["buildings"][0]["rate"] == "55.6"  # 5 of 9 months paid
    text = str(figures)
    for owner in fc.owners:
        assert owner.full_name not in text
    for unit in fc.units:
        assert f"{unit.room}室" not in text
    notice = disclosure.notice
    assert notice.live and not notice.is_public and notice.expire_at is None
    assert notice.notice_type == NoticePage.Type.DISCLOSURE
    assert notice.disclosure_category == NoticePage.DisclosureCategory.FEES
    assert notice.issuer == f"{fc.community.title}业主委员会" or "owners' committee" in notice.issuer
    assert notice.get_parent().pk == fc.community.pk
    assert f"/fees/disclosures/{disclosure.pk}/chart.svg" in notice.body
    assert f"/fees/disclosures/{disclosure.pk}/" in notice.body
    assert AuditEntry.objects.filter(action="fees.disclosure_publish", target_id=str(disclosure.pk)).exists()


@pytest.mark.parametrize(
    ("fund", "category"),
    [
        (Fund.PUBLIC_INCOME, NoticePage.DisclosureCategory.COMMON_INCOME),
        (Fund.WORKING_FUND, NoticePage.DisclosureCategory.WORKING_FUNDS),
        (Fund.DONATIONS, NoticePage.DisclosureCategory.FEES),
        (Fund.COST_SHARING, NoticePage.DisclosureCategory.FEES),
    ],
)
def test_an_empty_period_is_published_with_zeros_in_the_category_of_its_account(fund, category):
    fc = fee_community(units=1)
    disclosure = svc.disclosure_publish(actor=fc.chair, community=fc.community, fund=fund, today=TODAY)
    assert disclosure.figures["opening"] == disclosure.figures["closing"] == "0.00"
    assert disclosure.figures["income"] == disclosure.figures["expense"] == []
    assert disclosure.notice.disclosure_category == category
    assert ("buildings" in disclosure.figures) == (fund == Fund.COST_SHARING)


def test_the_same_period_twice_is_refused(fc):
    svc.disclosure_publish(actor=fc.chair, community=fc.community, fund=Fund.PROPERTY_FEES, today=TODAY)
    with pytest.raises(ValidationError, match="已经公示过"):
        svc.disclosure_publish(actor=fc.staff, community=fc.community, fund=Fund.PROPERTY_FEES, today=TODAY)
    assert Disclosure.objects.count() == 1
    assert NoticePage.objects.filter(notice_type=NoticePage.Type.DISCLOSURE).count() == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 10, 1), date(2026, 12, 31)), (date(2026, 11, 1), date(2026, 11, 28))],
)
def test_a_period_not_yet_ended_is_refused(fc, start, end):
    with pytest.raises(ValidationError, match="尚未过去"):
        svc.disclosure_publish(
            actor=fc.chair,
            community=fc.community,
            fund=Fund.PROPERTY_FEES,
            period_start=start,
            period_end=end,
            today=TODAY,
        )
    assert not Disclosure.objects.exists()


def test_property_staff_publish_property_fees_only(fc):
    disclosure = svc.disclosure_publish(actor=fc.cashier, community=fc.community, fund=Fund.PROPERTY_FEES, today=TODAY)
    assert "物业" in disclosure.notice.issuer or "property" in disclosure.notice.issuer
    for fund in (Fund.PUBLIC_INCOME, Fund.WORKING_FUND, Fund.DONATIONS, Fund.COST_SHARING):
        with pytest.raises(PermissionDenied):
            svc.disclosure_publish(actor=fc.cashier, community=fc.community, fund=fund, today=TODAY)


def test_residents_and_other_communities_cannot_publish(fc):
    other = fee_community(units=1)
    for actor in (fc.owners[0], other.chair, other.cashier):
        with pytest.raises(PermissionDenied):
            svc.disclosure_publish(actor=actor, community=fc.community, fund=Fund.PROPERTY_FEES, today=TODAY)
    assert not Disclosure.objects.exists()


def test_period_choices_offer_ended_periods_only():
    choices = svc.period_choices(TODAY)
    assert choices[0].start == JUL and choices[0].end == date(2026, 9, 30)
    assert all(choice.end < TODAY for choice in choices)
    assert svc.parse_period(choices[0].value) == (choices[0].start, choices[0].end)
    assert svc.parse_period("nonsense") is None
