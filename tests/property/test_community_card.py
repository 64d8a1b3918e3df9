"""The 收支公示 card on the community page links each person to the fee pages they may open."""

import pytest

from tests.property.fee_helpers import fee_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def fc():
    return fee_community(units=1)


def card(client, fc, user):
    if user is not None:
        client.force_login(user)
    html = client.get(fc.community.url).content.decode()
    return html[html.index('id="accounts-heading"') :]


def test_a_resident_is_led_to_his_fees_and_the_statements(client, fc):
    html = card(client, fc, fc.owners[0])
    assert f"/fees/{fc.community.pk}/my/" in html
    assert f"/fees/{fc.community.pk}/disclosures/" in html
    assert f"/fees/{fc.community.pk}/funds/" not in html
    assert f'href="/fees/{fc.community.pk}/"' not in html


def test_the_property_company_gets_the_fee_ledger_but_not_the_owners_accounts_v11(client, fc):
    html = card(client, fc, fc.cashier)
    assert f'href="/fees/{fc.community.pk}/"' in html
    assert f"/fees/{fc.community.pk}/funds/" not in html


def test_the_committee_gets_the_ledger_and_the_owners_accounts(client, fc):
    html = card(client, fc, fc.chair)
    assert f'href="/fees/{fc.community.pk}/"' in html
    assert f"/fees/{fc.community.pk}/funds/" in html


def test_visitors_are_told_the_statements_are_for_residents(client, fc):
    html = card(client, fc, None)
    assert "/fees/" not in html


def test_the_home_page_offers_the_city_report_to_the_bureau_only(client, fc):
    from tests.factories import UserFactory

    client.force_login(fc.chair)
    assert "/fees/city/" not in client.get("/").content.decode()
    bureau = UserFactory(is_superuser=True)
    client.force_login(bureau)
    assert "/fees/city/" in client.get("/").content.decode()
