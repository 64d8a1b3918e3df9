"""Export of the unit register and the import template (home/services/register_export.py, its views)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from home.domain import register_sheet as sheet
from home.domain.identity import id_number_check_char
from home.fields import identifier_hash
from home.models import AuditEntry, CommunityRole, Ownership, Unit
from home.services.register_export import register_export_workbook, register_template_workbook
from home.services.register_import import register_import_start
from tests.factories import (
    BuildingFactory,
    CommunityPageFactory,
    EntranceFactory,
    OwnershipFactory,
    PersonFactory,
    UnitFactory,
    member,
)
from tests.home.test_register_import import HEADER, upload

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
ID_NUMBER = "41070219800101001" + id_number_check_char("41070219800101001")


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def read(data: bytes, sheet_index=0) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = [tuple(r) for r in workbook.worksheets[sheet_index].iter_rows(values_only=True)]
    workbook.close()
    return rows


def by_header(rows):
    """Rows as {header: value}; read-only openpyxl leaves out trailing empty cells, so pad them."""
    width = len(rows[0])
    return [dict(zip(rows[0], (*values, *[None] * (width - len(values))), strict=True)) for values in rows[1:]]


@pytest.fixture
def community():
    """3号楼2单元: 201 co-owned (the husband votes, with an ID number), 202 without owner, 车位1 a parking space
    of the developer; 1号楼1单元101 owned by the husband too."""
    community = CommunityPageFactory()
    first = EntranceFactory(building=BuildingFactory(community=community, name="1号楼", sort_order=1), name="1单元")
    third = EntranceFactory(building=BuildingFactory(community=community, name="3号楼", sort_order=3), name="2单元")
    husband = PersonFactory(
        full_name="张伟", phone="+8613812345678", id_number=ID_NUMBER, id_number_hash=identifier_hash(ID_NUMBER)
    )
    wife = PersonFactory(full_name="王芳", phone="+8613912345678")
    developer = PersonFactory(full_name="某房地产开发有限公司", phone="", is_developer=True)
    unit_201 = UnitFactory(entrance=third, room="201", registered_area=None, surveyed_area=Decimal("88.10"))
    OwnershipFactory(unit=unit_201, person=husband, is_designated_voter=True)
    OwnershipFactory(
        unit=unit_201, person=wife, is_designated_voter=False, owner_status="possession_pending_registration"
    )
    UnitFactory(entrance=third, room="202", registered_area=Decimal("60.00"), delivered=False)
    parking = UnitFactory(entrance=third, room="车位1", kind=Unit.Kind.SPECIAL_SPACE, registered_area=Decimal("12.50"))
    OwnershipFactory(unit=parking, person=developer, owner_status="developer_retained", is_designated_voter=True)
    OwnershipFactory(unit=UnitFactory(entrance=first, room="101"), person=husband, is_designated_voter=True)
    return community


@pytest.fixture
def secretary(community):
    return member(community, Role.OWNERS_COMMITTEE)


def test_the_export_has_the_import_columns_and_one_row_per_unit_and_owner(community, secretary):
    rows = read(register_export_workbook(actor=secretary, community=community))
    assert list(rows[0]) == HEADER
    records = by_header(rows)
    assert [(r["楼栋"], r["单元"], r["房号"], r["业主姓名"]) for r in records] == [
        ("1号楼", "1单元", "101", "张伟"),
        ("3号楼", "2单元", "201", "张伟"),
        ("3号楼", "2单元", "201", "王芳"),
        ("3号楼", "2单元", "202", None),
        ("3号楼", "2单元", "车位1", "某房地产开发有限公司"),
    ]
    co_owner = records[2]
    assert co_owner["实测面积"] == 88.1 and co_owner["不动产登记面积"] is None
    assert (co_owner["业主身份"], co_owner["指定投票人"], co_owner["已交付"]) == ("已占有待登记", "否", "是")
    assert records[3]["已交付"] == "否"
    assert records[4]["房屋类型"] == "车位等特定空间"
    assert records[4]["业主身份"] == "建设单位保留"


def test_id_numbers_are_masked_and_phones_are_in_full_for_committee_work(community, secretary):
    data = register_export_workbook(actor=secretary, community=community)
    records = by_header(read(data))
    assert records[0]["业主身份证号"] == "4107**********" + ID_NUMBER[-4:]
    assert records[0]["业主手机号"] == "13812345678"
    assert ID_NUMBER.encode() not in data
    assert ID_NUMBER not in str(read(data))


def test_every_export_is_written_to_the_audit_log_d12(community, secretary):
    register_export_workbook(actor=secretary, community=community)
    register_export_workbook(actor=secretary, community=community)
    entries = AuditEntry.objects.filter(action="register.export")
    assert entries.count() == 2
    entry = entries.first()
    assert (entry.actor, entry.community) == (secretary, community)
    assert entry.after == {"rows": 5, "id_numbers": "masked"}


def test_an_exported_sheet_imports_into_an_empty_community_with_the_same_units_and_owners(community, secretary):
    data = register_export_workbook(actor=secretary, community=community)
    empty = CommunityPageFactory()
    result = register_import_start(
        actor=member(empty, Role.COMMUNITY_STAFF), community=empty, uploaded_file=upload(data)
    )
    result.refresh_from_db()
    assert result.status == "succeeded", result.errors

    def units(c):
        return {
            (u.entrance.building.name, u.entrance.name, u.room, u.kind, u.registered_area, u.surveyed_area,
             u.contract_area, u.delivered)
            for u in Unit.objects.filter(entrance__building__community=c).select_related("entrance__building")
        }  # fmt: skip

    def owners(c):
        return {
            (o.unit.room, o.person.full_name, o.person.phone, o.owner_status, o.is_designated_voter)
            for o in Ownership.objects.filter(unit__entrance__building__community=c).select_related("unit", "person")
        }

    assert units(empty) == units(community)
    assert owners(empty) == owners(community)
    # The masked ID numbers are not carried over; name and phone identify the multi-unit owner (V-18).
    husband_units = Ownership.objects.filter(unit__entrance__building__community=empty, person__full_name="张伟")
    assert husband_units.values("person").distinct().count() == 1


def test_importing_the_export_back_into_the_same_community_changes_nothing(community, secretary):
    data = register_export_workbook(actor=secretary, community=community)
    result = register_import_start(actor=secretary, community=community, uploaded_file=upload(data))
    result.refresh_from_db()
    assert result.status == "succeeded", result.errors
    assert result.summary["units_unchanged"] == 4
    changed = {k: v for k, v in result.summary.items() if k not in ("rows", "units", "units_unchanged")}
    assert set(changed.values()) == {0}


def test_the_export_query_count_does_not_grow_with_the_units(secretary, community, django_assert_max_num_queries):
    small = CommunityPageFactory()
    small_secretary = member(small, Role.OWNERS_COMMITTEE)
    entrance = EntranceFactory(building=BuildingFactory(community=small))
    OwnershipFactory(unit=UnitFactory(entrance=entrance))
    register_export_workbook(actor=small_secretary, community=small)
    with django_assert_max_num_queries(10) as few:
        register_export_workbook(actor=small_secretary, community=small)

    big = CommunityPageFactory()
    big_secretary = member(big, Role.OWNERS_COMMITTEE)
    for b in range(3):
        entrance = EntranceFactory(building=BuildingFactory(community=big, name=f"{b}号楼"))
        for u in range(10):
            unit = UnitFactory(entrance=entrance, room=f"{u + 1}01")
            OwnershipFactory(unit=unit, is_designated_voter=True)
            OwnershipFactory(unit=unit, is_designated_voter=False)
    register_export_workbook(actor=big_secretary, community=big)
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = register_export_workbook(actor=big_secretary, community=big)
    assert len(read(data)) == 61


def test_the_export_view_downloads_an_xlsx_that_is_not_cached(client, community, secretary):
    client.force_login(secretary)
    response = client.get(reverse("home:register_export", args=[community.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Cache-Control"] == "no-store"
    assert "attachment;" in response["Content-Disposition"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert len(read(response.content)) == 6
    assert AuditEntry.objects.filter(action="register.export", actor=secretary).count() == 1


def test_the_export_view_refuses_outsiders_and_logs_nothing(client, community):
    url = reverse("home:register_export", args=[community.pk])
    assert client.get(url).status_code == 302
    client.force_login(member(community, Role.RESIDENT))
    assert client.get(url).status_code == 403
    client.force_login(member(CommunityPageFactory(), Role.OWNERS_COMMITTEE))
    assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="register.export").exists()


def test_the_template_has_the_headers_an_example_and_chinese_instructions():
    data = register_template_workbook()
    rows = read(data)
    assert list(rows[0]) == HEADER
    example = dict(zip(rows[0], rows[1], strict=True))
    assert (example["楼栋"], example["房号"], example["不动产登记面积"]) == ("1号楼", "101", 75.36)
    assert len(rows) == 2
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["房屋登记表", "填写说明"]
    notes = [r for r in workbook["填写说明"].iter_rows(values_only=True)]
    assert ("必填", "楼栋、单元、房号，以及三种面积中至少一种。") in notes
    assert any("删除示例行" in (text or "") for _topic, text in notes)


def test_the_template_imports_cleanly_as_it_is(community, secretary):
    empty = CommunityPageFactory()
    result = register_import_start(
        actor=member(empty, Role.OWNERS_COMMITTEE), community=empty, uploaded_file=upload(register_template_workbook())
    )
    result.refresh_from_db()
    assert result.status == "succeeded", result.errors
    assert result.summary["units_created"] == 1


def test_the_template_view_serves_the_workbook_to_register_managers_only(client, community, secretary):
    url = reverse("home:register_template", args=[community.pk])
    client.force_login(secretary)
    response = client.get(url)
    assert response.status_code == 200
    assert read(response.content)[0] == tuple(HEADER)
    client.force_login(member(community, Role.OWNER))
    assert client.get(url).status_code == 403


def test_the_text_columns_are_formatted_as_text_so_excel_keeps_ids_and_leading_zeros(community, secretary):
    workbook = openpyxl.load_workbook(io.BytesIO(register_export_workbook(actor=secretary, community=community)))
    worksheet = workbook.worksheets[0]
    formats = {worksheet.cell(row=1, column=i + 1).value: worksheet.cell(row=2, column=i + 1).number_format
               for i in range(len(HEADER))}  # fmt: skip
    assert {formats[c.header] for c in sheet.COLUMNS if c.text_format} == {"@"}
    assert formats["实测面积"] == "0.00"
