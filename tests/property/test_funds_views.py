"""Pages of the owners' accounts: each URL for the right role, the Chinese 403 for everyone else (another
community's keepers, property staff), POST-redirect-GET with the writers' refusals shown, flat query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from home.services.roles import bureau_group
from property.models import Fund, LedgerEntry
from property.services import funds as svc
from tests.factories import UserFactory
from tests.property.fee_helpers import fee_community

pytestmark = pytest.mark.django_db


def income(fc, amount="1000.00", category="广告位租金", fund=Fund.PUBLIC_INCOME):
    return svc.cash_entry_record(
        actor=fc.chair,
        community=fc.community,
        fund=fund,
        direction="income",
        amount=Decimal(amount),
        category=category,
        counterparty="传媒公司",
        booked_on=svc.today(),
    )


def entry_form(**overrides):
    data = {
        "direction": "income",
        "amount": "1200.00",
        "category": "广告位租金",
        "counterparty": "传媒公司",
        "booked_on": svc.today().isoformat(),
        "voucher_no": "FP001",
        "description": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def world():
    fc = fee_community(units=2)
    other = fee_community(units=1)
    entry = income(fc)
    donation = svc.donation_record(
        actor=fc.chair,
        community=fc.community,
        kind="money",
        donor_name="张大爷",
        amount=Decimal("100.00"),
        received_on=svc.today(),
    )
    plan = svc.cost_share_plan_create(
        actor=fc.chair,
        community=fc.community,
        title="屋面防水",
        total=Decimal("1000.00"),
        key="exclusive_area",
        due_on=svc.today(),
    )
    return fc, other, entry, donation, plan


def pages(fc, entry, donation, plan):
    community = fc.community.pk
    return [
        ("get", reverse("property:funds", args=[community])),
        ("get", reverse("property:cash_entry_new", args=[community, Fund.PUBLIC_INCOME])),
        ("post", reverse("property:cash_entry_new", args=[community, Fund.PUBLIC_INCOME])),
        ("post", reverse("property:cash_entry_reverse", args=[entry.pk])),
        ("get", reverse("property:donations", args=[community])),
        ("post", reverse("property:donations", args=[community])),
        ("get", reverse("property:donation_receipt", args=[donation.pk])),
        ("post", reverse("property:donation_thanks_opt", args=[donation.pk])),
        ("get", reverse("property:thanks", args=[community])),
        ("get", reverse("property:cost_shares", args=[community])),
        ("post", reverse("property:cost_shares", args=[community])),
        ("get", reverse("property:cost_share_detail", args=[plan.pk])),
        ("post", reverse("property:cost_share_issue", args=[plan.pk])),
    ]


def test_users_of_another_community_get_the_chinese_403_on_every_page(client, world):
    fc, other, entry, donation, plan = world
    for user in (other.chair, other.staff, other.cashier, other.owners[0]):
        client.force_login(user)
        for method, url in pages(fc, entry, donation, plan):
            response = getattr(client, method)(url, {"reason": "x"} if method == "post" else None)
            assert response.status_code == 403, (user.full_name, url)
            assert "业主" in response.content.decode() or "403" in response.content.decode()
    assert LedgerEntry.objects.filter(kind="reversal").count() == 0


def test_property_staff_get_403_on_the_owners_accounts_v11(client, world):
    fc, _other, entry, donation, plan = world
    client.force_login(fc.cashier)
    for method, url in pages(fc, entry, donation, plan):
        if url == reverse("property:thanks", args=[fc.community.pk]):
            continue  # the thank-you list is for everyone of the community who reads the statements
        response = getattr(client, method)(url, entry_form() if method == "post" else None)
        assert response.status_code == 403, url
    assert LedgerEntry.objects.count() == 2  # the public income and the donation, nothing from the cashier


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    fc, _other, entry, donation, plan = world
    for method, url in pages(fc, entry, donation, plan):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_a_resident_may_read_the_thank_you_list_only(client, world):
    fc, _other, entry, donation, plan = world
    client.force_login(fc.owners[0])
    for method, url in pages(fc, entry, donation, plan):
        response = getattr(client, method)(url)
        expected = 200 if url == reverse("property:thanks", args=[fc.community.pk]) else 403
        assert response.status_code == expected, url


def test_the_bureau_reads_the_accounts_but_cannot_record(client, world):
    fc, _other, _entry, _donation, plan = world
    officer = UserFactory()
    officer.groups.add(bureau_group())
    client.force_login(officer)
    assert client.get(reverse("property:funds", args=[fc.community.pk])).status_code == 200
    assert client.get(reverse("property:cost_share_detail", args=[plan.pk])).status_code == 200
    url = reverse("property:cash_entry_new", args=[fc.community.pk, Fund.PUBLIC_INCOME])
    assert client.post(url, entry_form()).status_code == 403


def test_the_committee_records_income_and_sees_it_by_category(client, world):
    fc, *_ = world
    client.force_login(fc.chair)
    url = reverse("property:cash_entry_new", args=[fc.community.pk, Fund.PUBLIC_INCOME])
    response = client.post(url, entry_form(category="公共停车位租金", amount="350.00"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "公共停车位租金" in html and "350.00" in html and "1350.00" in html


def test_refusals_are_shown_on_the_form(client, world):
    fc, *_ = world
    client.force_login(fc.staff)
    url = reverse("property:cash_entry_new", args=[fc.community.pk, Fund.PUBLIC_INCOME])
    response = client.post(url, entry_form(direction="expense", amount="5000.00", category="维修"))
    assert response.status_code == 400 and "透支" in response.content.decode()
    response = client.post(url, entry_form(amount="0"))
    assert response.status_code == 400
    assert client.get(reverse("property:cash_entry_new", args=[fc.community.pk, Fund.PROPERTY_FEES])).status_code == 404


def test_reversing_from_the_accounts_page(client, world):
    fc, _other, entry, *_ = world
    client.force_login(fc.chair)
    url = reverse("property:cash_entry_reverse", args=[entry.pk])
    response = client.post(url, {"reason": "记错了"})
    assert response.status_code == 302
    assert svc.cash_balance(fc.community, Fund.PUBLIC_INCOME) == Decimal("0.00")
    response = client.post(url, {"reason": "再冲一次"}, follow=True)
    assert "已经冲正" in response.content.decode()
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1


def test_the_accounts_page_keeps_a_flat_query_count(client, django_assert_max_num_queries):
    fc = fee_community(units=1)
    client.force_login(fc.chair)
    url = reverse("property:funds", args=[fc.community.pk])
    client.get(url)  # the first request of a session creates the user's profile and caches the site
    counts = []
    for rows in (2, 30):
        while LedgerEntry.objects.filter(community=fc.community).count() < rows:
            income(fc, category=f"类别{LedgerEntry.objects.count() % 7}")
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
