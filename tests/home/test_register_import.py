"""Import of the unit register from .xlsx: the sheet rules (no database), the job, the pages."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from home.domain import register_sheet as sheet
from home.domain.identity import id_number_check_char
from home.fields import identifier_hash
from home.models import AuditEntry, Building, CommunityRole, Entrance, Ownership, Person, RegisterImport, Unit
from home.services import register_import as service
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

Role = CommunityRole.Role
HEADER = [column.header for column in sheet.COLUMNS]
TODAY = date(2026, 11, 27)


def valid_id(first17="41070219800101001"):
    return first17 + id_number_check_char(first17)


def row(**values):
    """A sheet row in column order; unit defaults 1号楼/1单元/101 with 75.5 m²."""
    values = {"building": "1号楼", "entrance": "1单元", "room": "101", "registered_area": 75.5} | values
    return [values.get(column.field) for column in sheet.COLUMNS]


def xlsx(rows, header=None) -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append(HEADER if header is None else header)
    for values in rows:
        worksheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name="登记表.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# =============================================================================================================
# The sheet rules: home/domain/register_sheet.py
# =============================================================================================================


def parse(**values):
    header, errors = sheet.read_header(HEADER)
    assert not errors
    return sheet.parse_row(7, row(**values), header, today=TODAY)


def codes(errors):
    return [(error.row, error.field, error.code) for error in errors]


class TestHeader:
    def test_the_template_header_is_accepted(self):
        header, errors = sheet.read_header(HEADER)
        assert errors == []
        assert header.positions[sheet.ROOM] == 2

    def test_columns_may_come_in_any_order_and_optional_ones_may_be_missing(self):
        header, errors = sheet.read_header(["房号", " 楼栋 ", "单元", "实测面积"])
        assert errors == []
        assert header.letter(sheet.SURVEYED_AREA) == "D"

    def test_an_unknown_column_is_named_with_its_letter(self):
        _header, errors = sheet.read_header([*HEADER, "备注"])
        assert [(e.code, e.params["header"], e.column_letter) for e in errors] == [("unknown_header", "备注", "N")]

    def test_a_missing_required_column_is_named(self):
        _header, errors = sheet.read_header([h for h in HEADER if h != "单元"])
        assert [(e.code, e.header) for e in errors] == [("missing_header", "单元")]

    def test_a_sheet_without_any_area_column_is_refused(self):
        _header, errors = sheet.read_header(["楼栋", "单元", "房号", "业主姓名"])
        assert [e.code for e in errors] == ["missing_area_header"]

    def test_a_repeated_column_is_refused(self):
        _header, errors = sheet.read_header([*HEADER, "实测面积"])
        assert [e.code for e in errors] == ["duplicate_header"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (75.5, Decimal("75.50")),
        (75, Decimal("75.00")),
        ("75.36", Decimal("75.36")),
        (" 88.1 ", Decimal("88.10")),
        ("75.100", Decimal("75.10")),
        (0.01, Decimal("0.01")),
        (Decimal("120.25"), Decimal("120.25")),
        ("七十五", sheet.E_AREA_NOT_NUMBER),
        ("75.5㎡", sheet.E_AREA_NOT_NUMBER),
        ("1e3", sheet.E_AREA_NOT_NUMBER),
        ("NaN", sheet.E_AREA_NOT_NUMBER),
        (float("inf"), sheet.E_AREA_NOT_NUMBER),
        (True, sheet.E_AREA_NOT_NUMBER),
        (0, sheet.E_AREA_NOT_POSITIVE),
        ("0.00", sheet.E_AREA_NOT_POSITIVE),
        (-12, sheet.E_AREA_NOT_POSITIVE),
        ("-0.5", sheet.E_AREA_NOT_POSITIVE),
        (75.123, sheet.E_AREA_TOO_PRECISE),
        ("75.001", sheet.E_AREA_TOO_PRECISE),
        ("100000000", sheet.E_AREA_TOO_LARGE),
        ("99999999.99", Decimal("99999999.99")),
    ],
)
def test_an_area_is_a_positive_number_with_at_most_two_decimals(value, expected):
    assert sheet.parse_area(value) == expected


class TestRow:
    def test_a_full_row_becomes_a_unit_and_an_owner(self):
        parsed, errors = parse(
            kind="住宅",
            surveyed_area="80",
            delivered="否",
            owner_name="张伟",
            owner_phone=13812345678,
            owner_id_number=valid_id().lower(),
            owner_status="已占有待登记",
            designated_voter="是",
        )
        assert errors == []
        assert parsed.unit.key == ("1号楼", "1单元", "101")
        assert (parsed.unit.registered_area, parsed.unit.surveyed_area) == (Decimal("75.50"), Decimal("80.00"))
        assert parsed.unit.delivered is False
        assert parsed.owner.phone == "+8613812345678"
        assert parsed.owner.id_number == valid_id()
        assert parsed.owner.status == "possession_pending_registration"
        assert parsed.owner.designated_voter is True

    def test_a_unit_without_owner_columns_has_no_owner(self):
        parsed, errors = parse()
        assert errors == [] and parsed.owner is None

    def test_numbers_typed_into_text_columns_keep_their_digits(self):
        parsed, _errors = parse(building=3, entrance=2.0, room=201)
        assert parsed.unit.key == ("3", "2", "201")

    @pytest.mark.parametrize(("field", "letter"), [(sheet.BUILDING, "A"), (sheet.ENTRANCE, "B"), (sheet.ROOM, "C")])
    def test_missing_building_entrance_or_room_is_reported_at_its_cell(self, field, letter):
        parsed, errors = parse(**{field: None})
        assert parsed is None
        assert codes(errors) == [(7, field, "required")]
        assert errors[0].column_letter == letter

    def test_a_room_that_excel_turned_into_a_date_is_explained(self):
        _parsed, errors = parse(room=datetime(2024, 3, 1))
        assert codes(errors) == [(7, "room", "looks_like_date")]

    def test_an_overlong_room_is_refused(self):
        _parsed, errors = parse(room="1" * 21)
        assert codes(errors) == [(7, "room", "too_long")]

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            ({"registered_area": "abc"}, [(7, "registered_area", "area_not_number")]),
            ({"registered_area": 0}, [(7, "registered_area", "area_not_positive")]),
            ({"registered_area": -3}, [(7, "registered_area", "area_not_positive")]),
            ({"registered_area": 75.123}, [(7, "registered_area", "area_too_precise")]),
            ({"kind": "商铺"}, [(7, "kind", "invalid_choice")]),
            ({"delivered": "Y"}, [(7, "delivered", "invalid_choice")]),
            ({"owner_name": "张伟", "owner_status": "租户"}, [(7, "owner_status", "invalid_choice")]),
            ({"owner_name": "张伟", "designated_voter": "对"}, [(7, "designated_voter", "invalid_choice")]),
            ({"owner_name": "张伟", "owner_phone": "0373-1234567"}, [(7, "owner_phone", "invalid_phone")]),
            ({"owner_name": "张伟", "owner_id_number": "123"}, [(7, "owner_id_number", "invalid_id_number")]),
            (
                {"owner_name": "张伟", "owner_id_number": 410702198001010011},
                [(7, "owner_id_number", "id_number_as_number")],
            ),
            ({"owner_phone": "13812345678"}, [(7, "owner_name", "owner_name_missing")]),
        ],
    )
    def test_bad_cells_are_reported_by_row_and_column(self, values, expected):
        parsed, errors = parse(**values)
        assert parsed is None
        assert codes(errors) == expected

    def test_the_id_number_problem_is_named(self):
        bad_checksum = valid_id()[:17] + ("0" if valid_id()[-1] != "0" else "1")
        _parsed, errors = parse(owner_name="张伟", owner_id_number=bad_checksum)
        assert errors[0].params == {"reason": "checksum"}

    def test_every_problem_of_a_row_is_reported_not_only_the_first(self):
        _parsed, errors = parse(building=None, registered_area="abc", owner_phone="12")
        assert [e.field for e in errors] == ["building", "registered_area", "owner_phone", "owner_name"]

    def test_a_masked_id_number_from_an_export_is_not_an_error(self):
        parsed, errors = parse(owner_name="张伟", owner_id_number="4107**********0011")
        assert errors == []
        assert (parsed.owner.id_number, parsed.owner.masked_id_number) == ("", "4107**********0011")

    def test_full_width_input_is_folded(self):
        parsed, errors = parse(registered_area="７５．５", owner_name="张伟", owner_phone="１３８１２３４５６７８")
        assert errors == []
        assert parsed.unit.registered_area == Decimal("75.50")
        assert parsed.owner.phone == "+8613812345678"

    def test_a_value_in_a_column_without_header_is_reported(self):
        header, _errors = sheet.read_header([*HEADER, None])
        _parsed, errors = sheet.parse_row(4, [*row(), "备注"], header, today=TODAY)
        assert [(e.row, e.code, e.column_letter) for e in errors] == [(4, "value_without_header", "N")]


def plan(*rows_values):
    header, _errors = sheet.read_header(HEADER)
    parsed = []
    for number, values in enumerate(rows_values, start=2):
        sheet_row, errors = sheet.parse_row(number, values, header, today=TODAY)
        assert errors == [], errors
        parsed.append(sheet_row)
    return sheet.plan_units(parsed, header)


class TestAcrossRows:
    def test_co_owners_are_rows_of_the_same_unit_v19(self):
        plans, errors = plan(
            row(owner_name="张伟", designated_voter="是"),
            row(registered_area=None, owner_name="王芳"),
        )
        assert errors == []
        assert len(plans) == 1
        assert [(r, o.full_name, o.designated_voter) for r, o in plans[0].owners] == [
            (2, "张伟", True),
            (3, "王芳", False),
        ]
        assert plans[0].registered_area == Decimal("75.50")  # the repeated row left the area to the first

    def test_a_sole_owner_is_the_designated_voter_unless_the_sheet_says_no(self):
        plans, _errors = plan(row(owner_name="张伟"), row(room="102", owner_name="王芳", designated_voter="否"))
        assert plans[0].owners[0][1].designated_voter is True
        assert plans[1].owners[0][1].designated_voter is False

    def test_the_same_unit_twice_with_conflicting_areas_is_refused(self):
        _plans, errors = plan(row(owner_name="张伟"), row(registered_area=80, owner_name="王芳"))
        assert codes(errors) == [(3, "registered_area", "unit_conflict")]
        assert errors[0].params == {"first_row": 2}

    def test_conflicting_kind_or_delivery_is_refused(self):
        _plans, errors = plan(
            row(delivered="是"), row(delivered="否", owner_name="王芳"), row(kind="车位", owner_name="李")
        )
        assert codes(errors) == [(3, "delivered", "unit_conflict")]
        _plans, errors = plan(row(kind="住宅"), row(kind="车位等特定空间", owner_name="王芳"))
        assert codes(errors) == [(3, "kind", "unit_conflict")]

    def test_a_unit_without_any_area_is_refused(self):
        _plans, errors = plan(row(registered_area=None, owner_name="张伟"))
        assert codes(errors) == [(2, None, "no_area")]

    def test_the_same_owner_twice_on_a_unit_is_refused(self):
        _plans, errors = plan(row(owner_name="张伟"), row(owner_name="张伟", owner_phone="13812345678"))
        assert codes(errors) == [(3, "owner_name", "duplicate_owner")]

    def test_the_same_id_number_twice_on_a_unit_is_refused(self):
        _plans, errors = plan(
            row(owner_name="张伟", owner_id_number=valid_id()), row(owner_name="张伟", owner_id_number=valid_id())
        )
        assert ("duplicate_owner" in [e.code for e in errors]) and errors[0].row == 3

    def test_namesakes_with_different_id_numbers_are_two_owners(self):
        _plans, errors = plan(
            row(owner_name="张伟", owner_id_number=valid_id()),
            row(owner_name="张伟", owner_id_number=valid_id("41070219800101002"), designated_voter="否"),
        )
        assert errors == []

    def test_two_designated_voters_for_one_unit_are_refused_v19(self):
        _plans, errors = plan(
            row(owner_name="张伟", designated_voter="是"), row(owner_name="王芳", designated_voter="是")
        )
        assert codes(errors) == [(3, "designated_voter", "two_designated_voters")]

    def test_one_id_number_under_two_names_is_refused(self):
        _plans, errors = plan(
            row(owner_name="张伟", owner_id_number=valid_id()),
            row(room="102", owner_name="张卫", owner_id_number=valid_id()),
        )
        assert codes(errors) == [(3, "owner_id_number", "id_number_name_conflict")]

    def test_one_person_on_several_units_is_fine_v18(self):
        plans, errors = plan(
            row(owner_name="张伟", owner_id_number=valid_id()),
            row(room="102", owner_name="张伟", owner_id_number=valid_id()),
        )
        assert errors == [] and len(plans) == 2


# =============================================================================================================
# The import job: home/services/register_import.py (the background backend is immediate in tests)
# =============================================================================================================


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def community(db):
    return CommunityPageFactory()


@pytest.fixture
def secretary(community):
    return member(community, Role.OWNERS_COMMITTEE)


def run_import(community, actor, rows=None, *, data=None, name="登记表.xlsx") -> RegisterImport:
    started = register_import_start(actor=actor, community=community, uploaded_file=upload(data or xlsx(rows), name))
    started.refresh_from_db()
    return started


def register_counts():
    return (
        Building.objects.count(),
        Entrance.objects.count(),
        Unit.objects.count(),
        Person.objects.count(),
        Ownership.objects.count(),
    )


GOOD_SHEET = [
    row(room="101", owner_name="张伟", owner_phone="13812345678", owner_id_number=valid_id(), designated_voter="是"),
    row(room="101", registered_area=None, owner_name="王芳", owner_phone="13912345678"),
    row(room="102", registered_area=None, surveyed_area="88.10", owner_name="张伟", owner_id_number=valid_id()),
    row(room="103", contract_area=90, registered_area=None, delivered="否"),
    row(building="地下车库", entrance="A区", room="A-01", kind="车位等特定空间", registered_area=12.5),
    row(building="10号楼", entrance="2单元", room="201", owner_name="开发公司", owner_status="建设单位保留"),
]


def test_a_good_sheet_creates_the_units_and_owners(community, secretary):
    result = run_import(community, secretary, GOOD_SHEET)
    assert result.status == "succeeded", result.errors
    assert result.summary == {
        "rows": 6,
        "units": 5,
        "buildings_created": 3,
        "entrances_created": 3,
        "units_created": 5,
        "units_updated": 0,
        "units_unchanged": 0,
        "people_created": 3,
        "people_updated": 0,
        "ownerships_created": 4,
        "ownerships_updated": 0,
    }
    unit_101 = Unit.objects.get(entrance__building__community=community, room="101")
    assert unit_101.effective_area == Decimal("75.50")
    voters = Ownership.objects.filter(unit=unit_101, is_designated_voter=True)
    assert [o.person.full_name for o in voters] == ["张伟"]
    zhang = Person.objects.get(full_name="张伟")
    assert zhang.ownerships.count() == 2  # V-18: one person, two units
    assert zhang.phone == "+8613812345678"
    assert zhang.id_number == valid_id()
    assert Unit.objects.get(room="102").area_source == "surveyed"
    assert Unit.objects.get(room="103").delivered is False
    assert Unit.objects.get(room="A-01").kind == "special_space"
    developer = Ownership.objects.get(person__full_name="开发公司")
    assert developer.owner_status == "developer_retained"
    assert developer.person.is_developer  # V-21: a developer-retained unit is held by the developer
    assert list(Building.objects.filter(community=community).values_list("name", flat=True)) == [
        "1号楼",
        "10号楼",
        "地下车库",
    ]


def test_the_import_writes_one_audit_entry_with_the_summary(community, secretary):
    result = run_import(community, secretary, GOOD_SHEET)
    entry = AuditEntry.objects.get(action="register.import")
    assert (entry.actor, entry.community, entry.target_id) == (secretary, community, str(result.pk))
    assert entry.after["units_created"] == 5
    assert entry.note == "登记表.xlsx"
    assert AuditEntry.objects.count() == 1


def test_importing_the_same_sheet_twice_changes_nothing_the_second_time(community, secretary):
    run_import(community, secretary, GOOD_SHEET)
    before = register_counts()
    second = run_import(community, secretary, GOOD_SHEET)
    assert second.status == "succeeded"
    assert register_counts() == before
    changed = {key: value for key, value in second.summary.items() if key not in ("rows", "units", "units_unchanged")}
    assert set(changed.values()) == {0}
    assert second.summary["units_unchanged"] == 5


def test_owners_without_id_number_are_recognised_on_the_second_import(community, secretary):
    sheet_rows = [row(owner_name="刘洋"), row(room="102", owner_name="刘洋")]  # no phone, no ID: two namesakes
    run_import(community, secretary, sheet_rows)
    run_import(community, secretary, sheet_rows)
    assert Person.objects.filter(full_name="刘洋").count() == 2
    assert Ownership.objects.count() == 2


def test_units_already_registered_take_the_new_areas_and_flags(community, secretary):
    entrance = EntranceFactory(building=BuildingFactory(community=community, name="1号楼"), name="1单元")
    unit = UnitFactory(entrance=entrance, room="101", registered_area=Decimal("70.00"))
    untouched = UnitFactory(entrance=entrance, room="999", registered_area=Decimal("60.00"))
    result = run_import(community, secretary, [row(room="101", registered_area=72.3, delivered="否")])
    assert (result.summary["units_updated"], result.summary["units_created"]) == (1, 0)
    assert result.summary["buildings_created"] == result.summary["entrances_created"] == 0
    unit.refresh_from_db()
    assert (unit.registered_area, unit.delivered) == (Decimal("72.30"), False)
    untouched.refresh_from_db()
    assert untouched.registered_area == Decimal("60.00")


def test_a_known_owner_gets_a_missing_id_number_filled_in(community, secretary):
    entrance = EntranceFactory(building=BuildingFactory(community=community, name="1号楼"), name="1单元")
    unit = UnitFactory(entrance=entrance, room="101")
    OwnershipFactory(unit=unit, person=PersonFactory(full_name="张伟", phone="+8613812345678"))
    result = run_import(
        community, secretary, [row(owner_name="张伟", owner_phone="13812345678", owner_id_number=valid_id())]
    )
    assert (result.summary["people_created"], result.summary["people_updated"]) == (0, 1)
    assert Person.objects.get(full_name="张伟").id_number == valid_id()


def test_naming_a_new_designated_voter_takes_the_flag_from_the_old_one_v19(community, secretary):
    entrance = EntranceFactory(building=BuildingFactory(community=community, name="1号楼"), name="1单元")
    unit = UnitFactory(entrance=entrance, room="101")
    OwnershipFactory(unit=unit, person=PersonFactory(full_name="张伟"), is_designated_voter=True)
    result = run_import(
        community, secretary, [row(owner_name="王芳", owner_phone="13912345678", designated_voter="是")]
    )
    assert result.status == "succeeded", result.errors
    assert Ownership.objects.get(unit=unit, is_designated_voter=True).person.full_name == "王芳"
    assert Ownership.objects.filter(unit=unit).count() == 2  # the old owner stays an owner
    assert result.summary["ownerships_updated"] == 1


def test_an_id_number_the_register_holds_under_another_name_is_refused(community, secretary):
    PersonFactory(full_name="李娜", id_number=valid_id(), id_number_hash=identifier_hash(valid_id()))
    result = run_import(community, secretary, [row(owner_name="李丽", owner_id_number=valid_id())])
    assert result.status == "failed"
    assert result.errors[0]["row"] == 2
    assert "另一个姓名下（李*）" in result.errors[0]["message"]


BAD_ROWS = [
    ({"building": None}, "楼栋", "“楼栋”为空"),
    ({"entrance": "  "}, "单元", "“单元”为空"),
    ({"room": None}, "房号", "“房号”为空"),
    ({"registered_area": "七十"}, "不动产登记面积", "不是数字"),
    ({"registered_area": 0}, "不动产登记面积", "必须大于 0"),
    ({"registered_area": -5}, "不动产登记面积", "必须大于 0"),
    ({"registered_area": 75.555}, "不动产登记面积", "超过两位小数"),
    ({"registered_area": None}, "", "没有面积"),
    ({"owner_name": "张伟", "owner_phone": "12345"}, "业主手机号", "不是有效的手机号"),
    ({"owner_name": "张伟", "owner_id_number": "41070219800101001Y"}, "业主身份证号", "身份证号"),
    ({"owner_name": "张伟", "delivered": "也许"}, "已交付", "不能填写“也许”"),
    ({"room": "101", "registered_area": 80}, "不动产登记面积", "已在第 2 行出现"),
]


@pytest.mark.parametrize(("bad_values", "column", "message"), BAD_ROWS)
def test_any_bad_row_writes_nothing_and_is_reported_by_row_and_column_in_chinese(
    community, secretary, bad_values, column, message
):
    rows = [row(room="101"), row(room="102"), row(**({"room": "103"} | bad_values))]
    before = register_counts()
    result = run_import(community, secretary, rows)
    assert result.status == "failed"
    assert register_counts() == before
    assert [(e["row"], e["column"]) for e in result.errors] == [(4, column)]
    assert message in result.errors[0]["message"]
    assert not AuditEntry.objects.filter(action="register.import").exists()


def test_every_error_of_the_sheet_is_reported_at_once(community, secretary):
    result = run_import(
        community,
        secretary,
        [
            row(room="101", owner_name="张伟", designated_voter="是"),
            row(room="101", owner_name="王芳", designated_voter="是"),
            row(room="102", registered_area=80),
            row(room="102", registered_area=81),
            row(room="103", owner_name="赵强"),
            row(room="103", owner_name="赵强"),
            row(room=None),
        ],
    )
    assert [(e["row"], e["code"]) for e in result.errors] == [
        (3, "two_designated_voters"),
        (5, "unit_conflict"),
        (7, "duplicate_owner"),
        (8, "required"),
    ]
    assert "第 2 行已指定了该房屋的投票人" in result.errors[0]["message"]
    assert "已在第 4 行出现" in result.errors[1]["message"]
    assert result.summary == {"rows": 7, "error_count": 4}
    assert Unit.objects.count() == 0


def test_an_unknown_column_is_named_and_nothing_is_written(community, secretary):
    result = run_import(community, secretary, data=xlsx([[*row(), "x"]], header=[*HEADER, "备注"]))
    assert result.status == "failed"
    assert [(e["row"], e["letter"], e["column"]) for e in result.errors] == [(1, "N", "备注")]
    assert "无法识别的列“备注”" in result.errors[0]["message"]
    assert Unit.objects.count() == 0


def test_a_missing_required_column_is_named(community, secretary):
    header = [h for h in HEADER if h != "房号"]
    result = run_import(community, secretary, data=xlsx([["1号楼", "1单元", "住宅", 70]], header=header))
    assert [e["message"] for e in result.errors] == ["表头（第 1 行）缺少必需的列“房号”。"]


def test_an_empty_sheet_is_refused(community, secretary):
    result = run_import(community, secretary, data=xlsx([]))
    assert result.status == "failed"
    assert "第一个工作表是空的" in result.errors[0]["message"]
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run_import(community, secretary, data=buffer.getvalue()).errors[0]["code"] == "no_data"


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel(community, secretary):
    result = run_import(community, secretary, [row(room="101"), [None] * len(HEADER), row(room=None)])
    assert [e["row"] for e in result.errors] == [4]


def test_too_many_rows_are_refused_before_validation(community, secretary, monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    result = run_import(community, secretary, [row(room=str(100 + n)) for n in range(4)])
    assert result.status == "failed"
    assert [e["code"] for e in result.errors] == ["too_many_rows"]
    assert "超过 3 行" in result.errors[0]["message"]


def test_a_damaged_xlsx_is_refused_in_chinese(community, secretary):
    result = run_import(community, secretary, data=b"PK\x03\x04 this is not really a zip")
    assert result.status == "failed"
    assert "不是 Excel 工作簿" in result.errors[0]["message"]


def test_progress_is_saved_every_hundred_rows_while_validating(community, secretary, monkeypatch):
    seen = []
    original = service._set_progress

    def record(register_import, **values):
        seen.append(values)
        original(register_import, **values)

    monkeypatch.setattr(service, "_set_progress", record)
    result = run_import(community, secretary, [row(room=str(1000 + n)) for n in range(250)])
    assert result.status == "succeeded"
    progress = [values["processed_rows"] for values in seen if "processed_rows" in values]
    assert progress == [0, 100, 200, 250]
    assert {"total_rows": 250, "processed_rows": 0} in seen
    assert [values["status"] for values in seen if "status" in values] == ["validating", "writing"]
    assert (result.total_rows, result.processed_rows, result.percent) == (250, 250, 100)
    assert result.finished_at is not None


def test_the_uploaded_file_is_deleted_once_processed(community, secretary, settings):
    result = run_import(community, secretary, GOOD_SHEET)
    assert result.file.name == ""
    assert not any(path.is_file() for path in (settings.MEDIA_ROOT / "register-imports").rglob("*"))


def test_an_unexpected_failure_while_writing_leaves_nothing_half_written(community, secretary, monkeypatch):
    def explode(self, wanted, current):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service._Writer, "_ownerships", explode)
    result = run_import(community, secretary, GOOD_SHEET)
    assert result.status == "failed"
    assert result.errors[0]["code"] == "internal"
    assert register_counts() == (0, 0, 0, 0, 0)
    assert not AuditEntry.objects.exists()


def test_a_job_delivered_twice_runs_once(community, secretary):
    result = run_import(community, secretary, GOOD_SHEET)
    assert service.register_import_run(result.pk).status == "succeeded"
    assert AuditEntry.objects.filter(action="register.import").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "登记表.xls", "旧版 Excel 97–2003"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "登记表.xlsx", "设置了密码保护"),
        (b"building,entrance\n", "登记表.csv", "不是 Excel 工作簿"),
        (b"building,entrance\n", "登记表.xlsx", "不是 Excel 工作簿"),
    ],
)
def test_what_is_not_an_xlsx_file_is_refused_at_upload(community, secretary, data, name, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        register_import_start(actor=secretary, community=community, uploaded_file=upload(data, name))
    assert message in error.value.messages[0]
    assert not RegisterImport.objects.exists()


def test_only_the_register_managers_of_the_community_may_start_an_import(community):
    from django.core.exceptions import PermissionDenied

    for user in (member(community, Role.RESIDENT), member(CommunityPageFactory(), Role.OWNERS_COMMITTEE)):
        with pytest.raises(PermissionDenied):
            register_import_start(actor=user, community=community, uploaded_file=upload(xlsx([row()])))
    assert not RegisterImport.objects.exists()


# =============================================================================================================
# The pages: home/views/register.py
# =============================================================================================================


def import_url(community):
    return reverse("home:register_import", args=[community.pk])


def status_url(community, register_import):
    return reverse("home:register_import_status", args=[community.pk, register_import.pk])


def register_urls(community):
    return [
        import_url(community),
        reverse("home:register_export", args=[community.pk]),
        reverse("home:register_template", args=[community.pk]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, community):
    register_import = RegisterImport.objects.create(community=community, original_name="a.xlsx")
    for url in [*register_urls(community), status_url(community, register_import)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OWNER, Role.PROPERTY_STAFF, Role.DELIBERATION_COUNCIL])
def test_residents_and_other_roles_get_403(client, community, role):
    register_import = RegisterImport.objects.create(community=community, original_name="a.xlsx")
    client.force_login(member(community, role))
    for url in [*register_urls(community), status_url(community, register_import)]:
        assert client.get(url).status_code == 403
    assert client.post(import_url(community), {"file": upload(xlsx([row()]))}).status_code == 403
    assert not Unit.objects.exists()


def test_the_committee_of_another_community_gets_403(client, community):
    register_import = RegisterImport.objects.create(community=community, original_name="a.xlsx")
    client.force_login(member(CommunityPageFactory(), Role.OWNERS_COMMITTEE))
    for url in [*register_urls(community), status_url(community, register_import)]:
        assert client.get(url).status_code == 403
    assert client.post(import_url(community), {"file": upload(xlsx([row()]))}).status_code == 403
    assert RegisterImport.objects.count() == 1


def test_an_import_of_another_community_is_not_found_through_this_one(client, community, secretary):
    other = CommunityPageFactory()
    foreign = RegisterImport.objects.create(community=other, original_name="a.xlsx")
    client.force_login(secretary)
    assert client.get(status_url(community, foreign)).status_code == 404


@pytest.mark.parametrize("role", [Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF])
def test_the_upload_form_is_in_chinese_and_links_the_template(client, community, role):
    client.force_login(member(community, role))
    response = client.get(import_url(community))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>导入房屋登记表</h1>" in html
    assert '<label for="id_file">房屋登记表文件（.xlsx）</label>' in html
    assert 'accept=".xlsx' in html
    assert 'aria-describedby="id_file_helptext"' in html
    assert reverse("home:register_template", args=[community.pk]) in html
    assert reverse("home:register_export", args=[community.pk]) in html
    assert "<script>" not in html and 'style="' not in html


def test_uploading_a_sheet_runs_the_import_and_shows_its_result(client, community, secretary):
    client.force_login(secretary)
    response = client.post(import_url(community), {"file": upload(xlsx(GOOD_SHEET))})
    register_import = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response.url == status_url(community, register_import)
    assert register_import.uploaded_by == secretary
    page = client.get(response.url).content.decode()
    assert "导入成功" in page
    assert "共检查并导入 6 行" in page
    assert "<meta http-equiv" not in page and "register-import.js" not in page


def test_a_failed_import_lists_its_errors_by_row_in_a_table(client, community, secretary):
    client.force_login(secretary)
    client.post(import_url(community), {"file": upload(xlsx([row(), row(room="102", registered_area="abc")]))})
    page = client.get(status_url(community, RegisterImport.objects.get())).content.decode()
    assert "未导入：没有写入任何数据" in page
    assert "表格中有 1 处问题" in page
    assert "第 3 行" in page
    assert '<span class="muted">E 列 · 不动产登记面积</span>' in page
    assert "“abc”不是数字" in page


def test_a_file_that_is_not_xlsx_is_refused_on_the_form_and_nothing_is_stored(client, community, secretary):
    client.force_login(secretary)
    response = client.post(import_url(community), {"file": upload(b"a,b\n", "名册.csv")})
    html = response.content.decode()
    assert response.status_code == 400
    assert "不是 Excel 工作簿" in html
    assert 'aria-invalid="true"' in html and "id_file_error" in html
    assert not RegisterImport.objects.exists()


def test_posting_without_a_file_asks_for_one(client, community, secretary):
    client.force_login(secretary)
    response = client.post(import_url(community), {})
    assert response.status_code == 400
    assert "请选择房屋登记表的 .xlsx 文件" in response.content.decode()


def test_a_running_import_shows_a_progress_bar_and_refreshes_itself(client, community, secretary):
    running = RegisterImport.objects.create(
        community=community, original_name="a.xlsx", status="validating", total_rows=600, processed_rows=300
    )
    client.force_login(secretary)
    html = client.get(status_url(community, running)).content.decode()
    assert '<progress id="import-progress" class="progress" max="100" value="50">' in html
    assert '<label for="import-progress">' in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert "portal/js/register-import.js" in html
    assert f'data-import-status-url="{status_url(community, running)}?format=json"' in html
    assert "已检查 300 / 600 行" in html


def test_the_progress_is_available_as_json_for_the_script(client, community, secretary):
    running = RegisterImport.objects.create(
        community=community, original_name="a.xlsx", status="validating", total_rows=600, processed_rows=150
    )
    client.force_login(secretary)
    response = client.get(status_url(community, running), {"format": "json"})
    assert response.json() == {
        "status": "validating",
        "status_label": "校验中",
        "percent": 25,
        "processed_rows": 150,
        "total_rows": 600,
        "finished": False,
    }
    assert response["Cache-Control"] == "no-store"


def test_the_status_page_query_count_does_not_grow_with_the_errors(
    client, community, secretary, django_assert_max_num_queries
):
    few = RegisterImport.objects.create(
        community=community, original_name="a.xlsx", status="failed", errors=[{"row": 2, "message": "x"}]
    )
    many = RegisterImport.objects.create(
        community=community,
        original_name="b.xlsx",
        status="failed",
        errors=[{"row": n, "column": "房号", "letter": "C", "message": "x"} for n in range(500)],
    )
    client.force_login(secretary)
    client.get(status_url(community, few))  # warm caches shared by every page
    with django_assert_max_num_queries(20) as few_queries:
        client.get(status_url(community, few))
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        client.get(status_url(community, many))


def test_the_import_page_lists_recent_imports_with_a_flat_query_count(
    client, community, secretary, django_assert_max_num_queries
):
    client.force_login(secretary)
    RegisterImport.objects.create(community=community, original_name="a.xlsx", uploaded_by=secretary)
    client.get(import_url(community))
    with django_assert_max_num_queries(20) as one:
        client.get(import_url(community))
    for n in range(8):
        RegisterImport.objects.create(community=community, original_name=f"{n}.xlsx", uploaded_by=secretary)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(import_url(community)).content.decode()
    assert "7.xlsx" in html


def test_errors_are_worded_in_the_site_language_whatever_the_worker_runs_in(community, secretary):
    with translation.override("en"):
        result = run_import(community, secretary, [row(registered_area="abc")])
    assert result.errors[0]["message"] == "“abc”不是数字。请填写以平方米为单位的面积，例如 75.36。"


def test_the_developer_is_one_person_across_its_retained_units_and_imports(community, secretary):
    developer = PersonFactory(full_name="某房地产开发有限公司", phone="", is_developer=True)
    sheet_rows = [
        row(room=str(room), owner_name="某房地产开发有限公司", owner_status="建设单位保留") for room in (101, 102, 103)
    ]
    result = run_import(community, secretary, sheet_rows)
    assert result.summary["people_created"] == 0
    assert set(Ownership.objects.values_list("person", flat=True)) == {developer.pk}
