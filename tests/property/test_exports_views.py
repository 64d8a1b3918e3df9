"""Excel exports of the fee ledgers and reports (D-12) and the bureau's city-wide collection report."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from home.models import AuditEntry
from home.services.roles import bureau_group
from property.models import Charge, Fund, LedgerEntry
from property.services import fee_exports, ledger
from tests.factories import UserFactory
from tests.property.fee_helpers import MONTHLY, fee_community, pay

pytestmark = pytest.mark.django_db
EXPORTS = ("export_ledger", "export_arrears", "export_collection", "export_charges")
PHONE_DIGITS = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def fc():
    fc = fee_community(units=3)
    for period in (date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=period)
    pay(fc, fc.units[0], str(3 * MONTHLY), received_on=date(2026, 8, 10), payer_name="张三丰 13912345678")
    pay(fc, fc.units[1], str(MONTHLY), received_on=date(2026, 9, 5), payer_name="李四")
    charge = Charge.objects.filter(unit=fc.units[2], period=date(2026, 9, 1)).get()
    ledger.charge_reverse(actor=fc.cashier, charge=charge, reason="面积登记错误，电话13800001111核实")
    return fc


@pytest.fixture
def bureau():
    user = UserFactory()
    user.groups.add(bureau_group())
    return user


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == fee_exports.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def all_values(workbook) -> list:
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]


def assert_no_phone_or_name(workbook, fc):
    for value in all_values(workbook):
        if isinstance(value, str):
            assert not PHONE_DIGITS.search(value.replace(" ", "").replace("-", "")), value
            assert "张三丰" not in value and "李四" not in value
            for owner in fc.owners:
                assert owner.full_name not in value
            for person in fc.vc.persons:
                assert person.phone[-8:] not in value or not person.phone


def url(name, fc, fund=Fund.PROPERTY_FEES):
    return reverse(f"property:{name}", args=[fc.community.pk, fund])


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_are_refused_to_residents_other_communities_and_anonymous_visitors(client, fc, name):
    other = fee_community(units=1)
    assert client.get(url(name, fc)).status_code == 302
    for user in (fc.owners[0], other.cashier, other.chair, other.staff):
        client.force_login(user)
        assert client.get(url(name, fc)).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="fees.export").exists()


@pytest.mark.parametrize("name", EXPORTS)
def test_every_export_is_logged_masks_names_and_never_shows_a_phone(client, fc, name, bureau):
    for user in (fc.cashier, bureau):
        client.force_login(user)
        workbook = workbook_of(client.get(url(name, fc)))
        assert_no_phone_or_name(workbook, fc)
        entry = AuditEntry.objects.filter(action=f"fees.{name}", actor=user).get()
        assert entry.community_id == fc.community.pk
        assert entry.after["fund"] == Fund.PROPERTY_FEES


def test_an_unknown_account_is_not_found(client, fc):
    client.force_login(fc.cashier)
    assert client.get(url("export_ledger", fc, fund="nonsense")).status_code == 404


def test_the_ledger_lists_every_entry_with_amounts_as_numbers_and_reversal_links(client, fc):
    client.force_login(fc.chair)
    sheet = workbook_of(client.get(url("export_ledger", fc))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[0] == "Entry no." or header[0] == "分录号"
    entries = list(
        LedgerEntry.objects.filter(community=fc.community, fund=Fund.PROPERTY_FEES).order_by("booked_on", "id")
    )
    assert [row[0] for row in body] == [entry.pk for entry in entries]
    assert sum(Decimal(str(row[5])) for row in body) == sum(entry.amount for entry in entries)
    assert sum(Decimal(str(row[6] or 0)) for row in body) == 4 * MONTHLY  # cash in
    reversal = next(entry for entry in entries if entry.reverses_id)
    by_pk = {row[0]: row for row in body}
    assert by_pk[reversal.pk][12] == reversal.reverses_id
    assert by_pk[reversal.reverses_id][13] == reversal.pk
    assert any((row[10] or "").startswith("张*") for row in body)  # the payer, masked
    assert sheet.cell(row=2, column=6).number_format == "0.00"
    assert isinstance(sheet.cell(row=2, column=6).value, int | float)
    assert fc.units[0].label in {row[8] for row in body}


def test_the_charges_sheet_adds_up_to_the_collection_and_arrears_sheets(client, fc):
    client.force_login(fc.cashier)
    charges = list(workbook_of(client.get(url("export_charges", fc))).worksheets[0].iter_rows(values_only=True))[1:]
    assert len(charges) == Charge.objects.filter(community=fc.community).count() == 9
    amount = sum(Decimal(str(row[4])) for row in charges)
    paid = sum(Decimal(str(row[5])) for row in charges)
    cancelled = sum(Decimal(str(row[6])) for row in charges)
    open_ = sum(Decimal(str(row[7])) for row in charges)
    assert (amount, paid, cancelled) == (9 * MONTHLY, 4 * MONTHLY, MONTHLY)
    assert open_ == amount - paid - cancelled
    collection = list(workbook_of(client.get(url("export_collection", fc))).worksheets[0].iter_rows(values_only=True))
    assert len(collection) == 1 + 24 + 1
    total = collection[-1]
    assert Decimal(str(total[1])) == amount - cancelled
    assert Decimal(str(total[2])) == paid
    arrears = workbook_of(client.get(url("export_arrears", fc)))
    by_unit = list(arrears.worksheets[0].iter_rows(values_only=True))
    by_building = list(arrears.worksheets[1].iter_rows(values_only=True))
    assert Decimal(str(by_unit[-1][2])) == open_ == Decimal(str(by_building[-1][3]))
    assert {row[0] for row in by_unit[1:-1]} == {fc.units[1].label, fc.units[2].label}


def test_the_charges_export_keeps_a_flat_query_count(fc, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as small:
        fee_exports.charges_export(actor=fc.cashier, community=fc.community, fund=Fund.PROPERTY_FEES)
    for period in (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=period)
    with django_assert_max_num_queries(len(small.captured_queries)):
        fee_exports.charges_export(actor=fc.cashier, community=fc.community, fund=Fund.PROPERTY_FEES)
    with django_assert_max_num_queries(12):
        fee_exports.ledger_export(actor=fc.cashier, community=fc.community, fund=Fund.PROPERTY_FEES)


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("电话13912345678", "电话139****5678"),
        ("+86 139 1234 5678 联系", "139****5678 联系"),
        ("座机0373-1234567", "座机037****4567"),
        ("面积 75.50 m²", "面积 75.50 m²"),
        ("", ""),
    ],
)
def test_free_text_never_carries_a_phone_number(text, clean):
    assert fee_exports.scrub(text) == clean


# ---------------------------------------------------------------- the bureau's city report


def test_the_city_report_is_for_bureau_staff_only(client, fc, bureau):
    page = reverse("property:city_collection")
    assert client.get(page).status_code == 302
    for user in (fc.chair, fc.cashier, fc.staff, fc.owners[0]):
        client.force_login(user)
        assert client.get(page).status_code == 403
    client.force_login(bureau)
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert fc.community.title in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html


def test_the_city_report_groups_by_district_with_a_city_total_and_a_fixed_query_count(
    client, bureau, django_assert_max_num_queries
):
    client.force_login(bureau)
    page = reverse("property:city_collection")
    fc = fee_community(units=2)
    ledger.charges_run(actor=fc.cashier, community=fc.community, period=date(2026, 9, 1))
    pay(fc, fc.units[0], str(MONTHLY), received_on=date(2026, 9, 10))
    with django_assert_max_num_queries(30) as one:
        client.get(page)
    more = [fee_community(units=2) for _ in range(3)]
    for other in more:
        ledger.charges_run(actor=other.cashier, community=other.community, period=date(2026, 9, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(page)
    city = response.context["city"]
    assert city.charged == 8 * MONTHLY
    assert city.collected == MONTHLY
    assert city.rate == Decimal("12.5")
    districts = response.context["districts"]
    assert sum(len(district.rows) for district in districts) == 4
    assert sum((district.charged for district in districts), Decimal(0)) == city.charged


def test_the_workbook_writer_round_trips_through_openpyxl():
    book = fee_exports._workbook()
    sheet = fee_exports._Sheet(book, "账目/明细[1]", ["金额", "日期", "说明"], {0})
    sheet.append([Decimal("90.6"), date(2026, 7, 31), "A&B <x> \x07终 "])
    sheet.append([None, "", 12])
    fee_exports._Sheet(book, "第二页", ["x"], set())
    workbook = load_workbook(io.BytesIO(fee_exports._to_bytes(book)))
    first = workbook.worksheets[0]
    assert [ws.title for ws in workbook.worksheets] == ["账目 明细 1 ", "第二页"]
    assert first["A1"].value == "金额" and first["A1"].font.b
    assert first["A2"].value == 90.6 and first["A2"].number_format == "0.00"
    assert first["B2"].value.date() == date(2026, 7, 31)
    assert first["C2"].value == "A&B <x> 终 "
    assert first["A3"].value is None and first["B3"].value is None and first["C3"].value == 12
