"""The disclosure pages: list and publish form, one statement, its chart, and the posted notice (F-08, F-10)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from home.models import CommunityRole
from property.models import Disclosure, Fund
from property.services import disclosure as svc
from property.services import ledger
from tests.factories import UserFactory, member
from tests.property.fee_helpers import MONTHLY, fee_community, pay

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


@pytest.fixture
def fc():
    fc = fee_community(units=3)
    for period in (date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=period)
    pay(fc, fc.units[0], str(3 * MONTHLY), received_on=date(2026, 8, 10))
    return fc


@pytest.fixture
def published(fc):
    return svc.disclosure_publish(actor=fc.chair, community=fc.community, fund=Fund.PROPERTY_FEES, today=TODAY)


def outsiders():
    other = fee_community(units=1)
    return {
        "resident elsewhere": other.owners[0],
        "property staff elsewhere": other.cashier,
        "chair elsewhere": other.chair,
    }


def test_a_verified_resident_reads_the_notice_with_its_table_and_chart(client, fc, published):
    client.force_login(fc.owners[1])
    response = client.get(published.notice.url)
    assert response.status_code == 200
    html = response.content.decode()
    chart_url = reverse("property:disclosure_chart", args=[published.pk])
    assert f'<img src="{chart_url}"' in html  # the rich text keeps the <img> and the table
    assert "<table" in html and "271.80" in html
    assert reverse("property:disclosure_detail", args=[published.pk]) in html
    chart = client.get(chart_url)
    assert chart.status_code == 200
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert "private" in chart["Cache-Control"]
    assert chart.content.decode().startswith("<svg")


def test_the_notice_and_the_chart_are_refused_to_other_communities_and_anonymous_visitors(client, fc, published):
    chart_url = reverse("property:disclosure_chart", args=[published.pk])
    detail_url = reverse("property:disclosure_detail", args=[published.pk])
    for url in (published.notice.url, chart_url, detail_url):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for who, user in outsiders().items():
        client.force_login(user)
        for url in (published.notice.url, chart_url, detail_url):
            assert client.get(url).status_code == 403, (who, url)


def test_the_statement_page_shows_the_frozen_figures_and_an_inline_chart(client, fc, published):
    client.force_login(fc.owners[2])
    response = client.get(reverse("property:disclosure_detail", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.figures["closing"] in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "33.3%" in html  # 1号楼: 3 of 9 months collected
    for owner in fc.owners[:2]:  # (the reader's own name is in the page header)
        assert owner.full_name not in html


def test_the_committee_publishes_from_the_list_and_the_period_is_offered_once(client, fc):
    client.force_login(fc.chair)
    url = reverse("property:disclosures", args=[fc.community.pk])
    page = client.get(url)
    assert page.status_code == 200
    choice = svc.period_choices(timezone.localdate())[0]
    response = client.post(url, {"fund": Fund.PROPERTY_FEES, "period": choice.value})
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("property:disclosure_detail", args=[disclosure.pk])
    again = client.post(url, {"fund": Fund.PROPERTY_FEES, "period": choice.value})
    assert again.status_code == 400
    assert "已经公示过" in again.content.decode()
    assert Disclosure.objects.count() == 1


def test_property_staff_are_offered_property_fees_only_and_residents_no_form(client, fc):
    url = reverse("property:disclosures", args=[fc.community.pk])
    client.force_login(fc.cashier)
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["fund"].choices] == [Fund.PROPERTY_FEES]
    choice = svc.period_choices(timezone.localdate())[0]
    refused = client.post(url, {"fund": Fund.PUBLIC_INCOME, "period": choice.value})
    assert refused.status_code == 400 and not Disclosure.objects.exists()
    client.force_login(fc.owners[0])
    assert client.get(url).context["form"] is None
    assert client.post(url, {"fund": Fund.PROPERTY_FEES, "period": choice.value}).status_code == 403
    assert not Disclosure.objects.exists()


def test_the_list_is_refused_outside_the_community(client, fc):
    url = reverse("property:disclosures", args=[fc.community.pk])
    assert client.get(url).status_code == 302
    for user in outsiders().values():
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_the_list_keeps_a_flat_query_count(client, fc, django_assert_max_num_queries):
    for index, fund in enumerate([Fund.PROPERTY_FEES, Fund.PUBLIC_INCOME, Fund.WORKING_FUND, Fund.DONATIONS]):
        svc.disclosure_publish(actor=fc.chair, community=fc.community, fund=fund, today=TODAY)
        if index == 0:
            client.force_login(fc.chair)
            with django_assert_max_num_queries(40) as few:
                client.get(reverse("property:disclosures", args=[fc.community.pk]))
    for start, end in ((date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 1, 1), date(2026, 3, 31))):
        svc.disclosure_publish(
            actor=fc.chair, community=fc.community, fund=Fund.PROPERTY_FEES, period_start=start, period_end=end
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("property:disclosures", args=[fc.community.pk]))
    assert len(response.context["disclosures"]) == 6


def test_a_keeper_who_is_not_a_resident_reads_the_statements(client, fc, published):
    keeper = member(fc.community, CommunityRole.Role.COMMUNITY_STAFF)
    client.force_login(keeper)
    assert client.get(reverse("property:disclosure_detail", args=[published.pk])).status_code == 200
