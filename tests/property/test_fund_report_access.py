"""The owners' own accounts (V-11) are read by their keepers and the bureau, never by the property company."""

import pytest

from property import permissions
from tests.factories import UserFactory
from tests.property.fee_helpers import fee_community

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fund", ["public_income", "working_fund", "donations", "cost_sharing"])
def test_the_property_company_cannot_export_the_owners_accounts_v11(client, fund):
    fc = fee_community(units=1)
    client.force_login(fc.cashier)
    assert client.get(f"/fees/{fc.community.pk}/export/{fund}/ledger.xlsx").status_code == 403
    client.force_login(fc.chair)
    response = client.get(f"/fees/{fc.community.pk}/export/{fund}/ledger.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"  # a workbook, not an error page


def test_the_property_company_exports_the_property_fees_it_collects(client):
    fc = fee_community(units=1)
    client.force_login(fc.cashier)
    response = client.get(f"/fees/{fc.community.pk}/export/property_fees/ledger.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_the_property_staff_of_another_community_read_nothing_here():
    fc, other = fee_community(units=1), fee_community(units=1)
    for fund in ("property_fees", "public_income"):
        assert not permissions.can_read_fund_reports(other.cashier, fc.community, fund)
    assert not permissions.can_read_fund_reports(UserFactory(), fc.community, "property_fees")
