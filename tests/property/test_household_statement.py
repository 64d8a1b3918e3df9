"""What a household sees of its fees (issue 6): 我的缴费 and the household statement, and who may see them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from home.models import Ownership
from property.services import ledger
from tests.factories import OwnershipFactory, PersonFactory
from tests.property.fee_helpers import fee_community, pay

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def _run(fc, *periods):
    for period in periods:
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=period)


def _months(first: date, count: int):
    year, month = first.year, first.month
    for _i in range(count):
        yield date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _statement(client, user, unit):
    client.force_login(user)
    return client.get(reverse("property:household", args=[unit.pk]))


def test_the_resident_sees_charges_how_computed_payments_receipts_and_the_rate_behind_them(client):
    fc = fee_community(units=2)
    unit = fc.units[0]
    _run(fc, JAN, FEB, MAR)
    payment = pay(fc, unit, "90.60")
    response = _statement(client, fc.owners[0], unit)
    assert response.status_code == 200
    html = response.content.decode()
    assert "75.50 m² × 1.2000" in html
    assert "2026-03" in html and "2026-01" in html
    assert payment.receipt_no in html
    assert reverse("property:receipt", args=[payment.pk]) in html
    assert "物业服务合同第五条" in html  # why the fee is what it is
    assert "181.20" in html  # two months still owed
    assert reverse("property:pay_online", args=[unit.pk]) in html
    assert "停水" not in html and "停电" not in html  # never a threat to cut utilities (F-01)


def test_no_pay_online_button_when_nothing_is_owed_and_prepaid_credit_is_shown(client):
    fc = fee_community(units=1)
    unit = fc.units[0]
    _run(fc, JAN)
    pay(fc, unit, "200.00", confirm=True)
    html = _statement(client, fc.owners[0], unit).content.decode()
    assert reverse("property:pay_online", args=[unit.pk]) not in html
    assert "109.40" in html  # paid in advance


def test_other_payers_names_and_phones_never_appear(client):
    fc = fee_community(units=2)
    unit = fc.units[0]
    _run(fc, JAN)
    pay(fc, unit, "90.60", payer_name="租客赵六")
    html = _statement(client, fc.owners[0], unit).content.decode()
    assert "租客赵六" not in html
    for owner in fc.owners:
        assert owner.phone not in html
    for person in fc.vc.persons:
        assert person.phone not in html
    assert fc.owners[1].full_name not in html


def test_another_household_of_the_same_community_is_refused(client):
    fc = fee_community(units=2)
    _run(fc, JAN)
    assert _statement(client, fc.owners[1], fc.units[0]).status_code == 403


def test_users_and_property_staff_of_another_community_are_refused(client):
    fc = fee_community(units=1)
    other = fee_community(units=1)
    _run(fc, JAN)
    for user in (other.owners[0], other.cashier, other.chair, other.staff):
        assert _statement(client, user, fc.units[0]).status_code == 403


def test_keepers_of_this_community_may_read_it(client):
    fc = fee_community(units=1)
    _run(fc, JAN)
    for user in (fc.cashier, fc.chair, fc.staff):
        response = _statement(client, user, fc.units[0])
        assert response.status_code == 200
        # Keepers read the statement; the online-payment button is for the household itself.
        assert reverse("property:pay_online", args=[fc.units[0].pk]) not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    fc = fee_community(units=1)
    response = client.get(reverse("property:household", args=[fc.units[0].pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("months", [12, 36])
def test_the_statement_query_count_does_not_grow_with_months(client, django_assert_max_num_queries, months):
    fc = fee_community(units=1)
    unit = fc.units[0]
    _run(fc, *_months(date(2025, 1, 1), months))
    for _i in range(months // 3):
        pay(fc, unit, "150.00")
    ledger.charge_correct(
        actor=fc.cashier, charge=unit.charges.order_by("period").first(), amount=Decimal("80.00"), reason="面积更正"
    )
    client.force_login(fc.owners[0])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("property:household", args=[unit.pk]))
    assert response.status_code == 200


def test_a_unit_held_by_the_developer_shows_its_charges_go_to_the_developer(client):
    fc = fee_community(units=1)
    unit = fc.units[0]
    OwnershipFactory(
        unit=unit,
        person=PersonFactory(full_name="某置业公司", is_developer=True),
        owner_status=Ownership.OwnerStatus.DEVELOPER_RETAINED,
        is_designated_voter=False,
    )
    _run(fc, JAN)
    assert unit.charges.get().charged_to_developer
    html = _statement(client, fc.owners[0], unit).content.decode()
    assert "由建设单位缴纳" in html


def test_a_corrected_charge_links_to_the_charge_it_corrects(client):
    fc = fee_community(units=1)
    unit = fc.units[0]
    _run(fc, JAN)
    original = unit.charges.get()
    corrected = ledger.charge_correct(actor=fc.cashier, charge=original, amount=Decimal("80.00"), reason="面积更正")
    html = _statement(client, fc.owners[0], unit).content.decode()
    assert f'href="#charge-{original.pk}"' in html
    assert f'href="#charge-{corrected.pk}"' in html
    assert "已冲销" in html  # the original, cancelled by the correction


# ---------------------------------------------------------------- 我的缴费


def test_my_fees_goes_straight_to_the_only_household(client):
    fc = fee_community(units=1)
    client.force_login(fc.owners[0])
    response = client.get(reverse("property:my_fees", args=[fc.community.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("property:household", args=[fc.units[0].pk])


def test_my_fees_lists_several_households_with_their_balance(client, django_assert_max_num_queries):
    fc = fee_community(units=3)
    owner, person = fc.owners[0], fc.vc.persons[0]
    for unit in fc.units[1:]:
        OwnershipFactory(unit=unit, person=person, is_designated_voter=False)
    _run(fc, JAN, FEB)
    pay(fc, fc.units[1], "90.60")
    client.force_login(owner)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("property:my_fees", args=[fc.community.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for unit in fc.units:
        assert reverse("property:household", args=[unit.pk]) in html
    assert "181.20" in html and "90.60" in html


def test_my_fees_refuses_non_members_and_sends_anonymous_visitors_to_log_in(client):
    fc = fee_community(units=1)
    other = fee_community(units=1)
    url = reverse("property:my_fees", args=[fc.community.pk])
    assert "login" in client.get(url)["Location"]
    for user in (other.owners[0], other.cashier):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"area": Decimal("75.50"), "rate": Decimal("1.2000")}, "75.50 m² × 1.2000"),
        ({"rate": Decimal("50.0000")}, "50.00"),
        ({"kind": "cost_share", "description": "3号楼屋面防水分摊"}, "3号楼屋面防水分摊"),
    ],
)
def test_how_a_charge_was_computed_is_spelled_out(fields, shown):
    from property.models import Charge
    from property.views.household import _computed

    assert shown in _computed(Charge(amount=Decimal("1.00"), **{"kind": "periodic", **fields}))
