"""The unit register sheet (业主名册 / 房屋登记表): its columns and the validation of its rows.

Pure functions (no Django, no openpyxl): the service reads the .xlsx into plain cell values, this module
turns them into records or into error codes with parameters, and the service words the errors in Chinese.

One row is one unit and one owner; co-owners of a unit are several rows of the same unit (V-19). A repeated
unit row may leave the unit columns blank; a value it does give must agree with the earlier rows.

The Chinese header texts and choice labels below are the file format agreed with committees, not interface
text: they stay the same whatever the interface language.
"""

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from home.domain.identity import (
    ID_EMPTY,
    id_number_problem,
    is_masked_id_number,
    normalise_id_number,
    normalise_mobile,
)

MAX_ROWS = 20_000
"""More data rows than this are refused before anything is validated: split the sheet by building."""

MAX_AREA = Decimal("99999999.99")  # Unit.*_area is DecimalField(max_digits=10, decimal_places=2)

BUILDING = "building"
ENTRANCE = "entrance"
ROOM = "room"
KIND = "kind"
REGISTERED_AREA = "registered_area"
SURVEYED_AREA = "surveyed_area"
CONTRACT_AREA = "contract_area"
DELIVERED = "delivered"
OWNER_NAME = "owner_name"
OWNER_PHONE = "owner_phone"
OWNER_ID_NUMBER = "owner_id_number"
OWNER_STATUS = "owner_status"
DESIGNATED_VOTER = "designated_voter"

AREA_FIELDS = (REGISTERED_AREA, SURVEYED_AREA, CONTRACT_AREA)
UNIT_FIELDS = (KIND, *AREA_FIELDS, DELIVERED)
OWNER_DETAIL_FIELDS = (OWNER_PHONE, OWNER_ID_NUMBER, OWNER_STATUS, DESIGNATED_VOTER)


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    max_length: int = 0
    text_format: bool = False  # the template formats the column as text so Excel keeps leading zeros
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column(BUILDING, "楼栋", max_length=30, text_format=True),
    Column(ENTRANCE, "单元", max_length=30, text_format=True),
    Column(ROOM, "房号", max_length=20, text_format=True),
    Column(KIND, "房屋类型", width=16),
    Column(REGISTERED_AREA, "不动产登记面积", width=16),
    Column(SURVEYED_AREA, "实测面积"),
    Column(CONTRACT_AREA, "合同面积"),
    Column(DELIVERED, "已交付", width=8),
    Column(OWNER_NAME, "业主姓名", max_length=100),
    Column(OWNER_PHONE, "业主手机号", text_format=True, width=16),
    Column(OWNER_ID_NUMBER, "业主身份证号", text_format=True, width=22),
    Column(OWNER_STATUS, "业主身份", width=16),
    Column(DESIGNATED_VOTER, "指定投票人", width=12),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
COLUMN_BY_HEADER = {column.header: column for column in COLUMNS}
REQUIRED_FIELDS = (BUILDING, ENTRANCE, ROOM)

KIND_RESIDENCE = "residence"
KIND_SPECIAL_SPACE = "special_space"
KIND_LABELS = {KIND_RESIDENCE: "住宅", KIND_SPECIAL_SPACE: "车位等特定空间"}
_KIND_ALIASES = {"车位": KIND_SPECIAL_SPACE, "车库": KIND_SPECIAL_SPACE, "特定空间": KIND_SPECIAL_SPACE}

STATUS_REGISTERED = "registered"
STATUS_POSSESSION_PENDING = "possession_pending_registration"
STATUS_DEVELOPER_RETAINED = "developer_retained"
STATUS_LABELS = {
    STATUS_REGISTERED: "已登记",
    STATUS_POSSESSION_PENDING: "已占有待登记",
    STATUS_DEVELOPER_RETAINED: "建设单位保留",
}
YES, NO = "是", "否"

# Error codes. The service maps each to a Chinese message; `params` fill its placeholders.
E_UNKNOWN_HEADER = "unknown_header"  # header
E_DUPLICATE_HEADER = "duplicate_header"  # header
E_MISSING_HEADER = "missing_header"  # header
E_MISSING_AREA_HEADER = "missing_area_header"  # headers
E_NO_DATA = "no_data"
E_TOO_MANY_ROWS = "too_many_rows"  # limit
E_REQUIRED = "required"
E_TOO_LONG = "too_long"  # max_length
E_LOOKS_LIKE_DATE = "looks_like_date"
E_AREA_NOT_NUMBER = "area_not_number"  # value
E_AREA_NOT_POSITIVE = "area_not_positive"  # value
E_AREA_TOO_PRECISE = "area_too_precise"  # value
E_AREA_TOO_LARGE = "area_too_large"  # value
E_NO_AREA = "no_area"  # headers
E_INVALID_CHOICE = "invalid_choice"  # value, choices
E_OWNER_NAME_MISSING = "owner_name_missing"
E_INVALID_PHONE = "invalid_phone"  # value
E_INVALID_ID_NUMBER = "invalid_id_number"  # reason (identity.ID_* code)
E_ID_NUMBER_AS_NUMBER = "id_number_as_number"
E_VALUE_WITHOUT_HEADER = "value_without_header"
E_UNIT_CONFLICT = "unit_conflict"  # first_row
E_DUPLICATE_OWNER = "duplicate_owner"  # first_row
E_TWO_DESIGNATED_VOTERS = "two_designated_voters"  # first_row
E_ID_NUMBER_NAME_CONFLICT = "id_number_name_conflict"  # first_row


@dataclass(frozen=True)
class SheetError:
    """One problem, located as the user sees it in Excel: row number (1 = header) and column."""

    row: int | None
    field: str | None
    code: str
    params: dict = field(default_factory=dict)
    column_letter: str = ""

    @property
    def header(self) -> str:
        column = COLUMN_BY_FIELD.get(self.field or "")
        return column.header if column else self.params.get("header", "")


@dataclass(frozen=True)
class Header:
    """Which sheet column (0-based) holds which field; columns without a header are kept to catch data in them."""

    positions: dict[str, int]
    unlabelled: tuple[int, ...] = ()

    def letter(self, field_name: str) -> str:
        return column_letter(self.positions[field_name]) if field_name in self.positions else ""


@dataclass(frozen=True)
class UnitRecord:
    """A unit as one row states it. None = the cell was blank (a repeated row may leave it to earlier rows)."""

    building: str
    entrance: str
    room: str
    kind: str | None = None
    registered_area: Decimal | None = None
    surveyed_area: Decimal | None = None
    contract_area: Decimal | None = None
    delivered: bool | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.building, self.entrance, self.room)


@dataclass(frozen=True)
class OwnerRecord:
    """`phone` in E.164 or ""; `id_number` normalised or "" (a masked number from an export counts as "")."""

    full_name: str
    phone: str = ""
    id_number: str = ""
    masked_id_number: str = ""
    status: str = STATUS_REGISTERED
    designated_voter: bool | None = None


@dataclass(frozen=True)
class SheetRow:
    row: int
    unit: UnitRecord
    owner: OwnerRecord | None


@dataclass(frozen=True)
class UnitPlan:
    """One unit of the sheet with its merged attributes and its owners (row number, owner)."""

    first_row: int
    building: str
    entrance: str
    room: str
    kind: str
    registered_area: Decimal | None
    surveyed_area: Decimal | None
    contract_area: Decimal | None
    delivered: bool
    owners: tuple[tuple[int, OwnerRecord], ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.building, self.entrance, self.room)


def column_letter(index: int) -> str:
    """Excel's name of the 0-based column `index`: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def is_blank_row(cells: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def read_header(cells: Sequence[Any]) -> tuple[Header, list[SheetError]]:
    """Map the header row to fields; report unknown, repeated and missing headers (row 1)."""
    positions: dict[str, int] = {}
    unlabelled: list[int] = []
    errors: list[SheetError] = []
    for index, cell in enumerate(cells):
        text = _fold(str(cell)) if cell is not None else ""
        if not text:
            unlabelled.append(index)
            continue
        column = COLUMN_BY_HEADER.get(text)
        letter = column_letter(index)
        if column is None:
            errors.append(SheetError(1, None, E_UNKNOWN_HEADER, {"header": text}, letter))
        elif column.field in positions:
            errors.append(SheetError(1, column.field, E_DUPLICATE_HEADER, {"header": text}, letter))
        else:
            positions[column.field] = index
    for field_name in REQUIRED_FIELDS:
        if field_name not in positions:
            header = COLUMN_BY_FIELD[field_name].header
            errors.append(SheetError(1, field_name, E_MISSING_HEADER, {"header": header}))
    if not any(field_name in positions for field_name in AREA_FIELDS):
        errors.append(SheetError(1, None, E_MISSING_AREA_HEADER, {"headers": _area_headers()}))
    return Header(positions=positions, unlabelled=tuple(unlabelled)), errors


def _area_headers() -> str:
    return "、".join(COLUMN_BY_FIELD[name].header for name in AREA_FIELDS)


class _RowReader:
    """Reads one data row cell by cell, collecting errors located at (row, column)."""

    def __init__(self, row: int, cells: Sequence[Any], header: Header):
        self.row = row
        self.cells = cells
        self.header = header
        self.errors: list[SheetError] = []

    def raw(self, field_name: str) -> Any:
        index = self.header.positions.get(field_name)
        if index is None or index >= len(self.cells):
            return None
        value = self.cells[index]
        if isinstance(value, str):
            value = _fold(value)
            return value or None
        return value

    def error(self, field_name: str | None, code: str, **params) -> None:
        letter = self.header.letter(field_name) if field_name else ""
        self.errors.append(SheetError(self.row, field_name, code, params, letter))

    def text(self, field_name: str) -> str:
        """A text cell; numbers typed into it (room 201) become their digits."""
        value = self.raw(field_name)
        if value is None:
            return ""
        if isinstance(value, datetime | date | time):
            self.error(field_name, E_LOOKS_LIKE_DATE)
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        max_length = COLUMN_BY_FIELD[field_name].max_length
        if max_length and len(text) > max_length:
            self.error(field_name, E_TOO_LONG, max_length=max_length)
            return ""
        return text

    def required_text(self, field_name: str) -> str:
        value = self.text(field_name)
        if not value and not self._has_error(field_name):
            self.error(field_name, E_REQUIRED)
        return value

    def _has_error(self, field_name: str) -> bool:
        return any(error.field == field_name for error in self.errors)

    def area(self, field_name: str) -> Decimal | None:
        value = self.raw(field_name)
        if value is None:
            return None
        area = parse_area(value)
        if isinstance(area, str):
            self.error(field_name, area, value=str(value))
            return None
        return area

    def choice(self, field_name: str, labels: dict[str, str], aliases: dict[str, str] | None = None) -> str | None:
        value = self.raw(field_name)
        if value is None:
            return None
        text = str(value).strip()
        by_label = {label: key for key, label in labels.items()} | (aliases or {})
        if text in by_label:
            return by_label[text]
        self.error(field_name, E_INVALID_CHOICE, value=text, choices="、".join(labels.values()))
        return None

    def yes_no(self, field_name: str) -> bool | None:
        value = self.raw(field_name)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip()
        if text in (YES, NO):
            return text == YES
        self.error(field_name, E_INVALID_CHOICE, value=text, choices=f"{YES}、{NO}")
        return None

    def phone(self) -> str:
        value = self.raw(OWNER_PHONE)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
        phone = normalise_mobile(text)
        if phone is None:
            self.error(OWNER_PHONE, E_INVALID_PHONE, value=text)
            return ""
        return phone

    def id_number(self, today: date) -> tuple[str, str]:
        """(ID number, masked ID number): at most one of them is non-empty."""
        value = self.raw(OWNER_ID_NUMBER)
        if value is None:
            return "", ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Excel keeps 15 significant digits: the last digits of an 18-digit number are already lost.
            self.error(OWNER_ID_NUMBER, E_ID_NUMBER_AS_NUMBER)
            return "", ""
        text = normalise_id_number(str(value))
        if is_masked_id_number(text):
            return "", text
        problem = id_number_problem(text, today=today)
        if problem is not None and problem != ID_EMPTY:
            self.error(OWNER_ID_NUMBER, E_INVALID_ID_NUMBER, reason=problem)
            return "", ""
        return text, ""

    def values_without_header(self) -> None:
        for index in self.header.unlabelled:
            if index < len(self.cells) and not is_blank_row([self.cells[index]]):
                self.errors.append(SheetError(self.row, None, E_VALUE_WITHOUT_HEADER, {}, column_letter(index)))


def parse_area(value: Any) -> Decimal | str:
    """A positive area in m² with at most two decimals, or the error code explaining why not."""
    if isinstance(value, bool):
        return E_AREA_NOT_NUMBER
    if isinstance(value, float):
        if not math.isfinite(value):
            return E_AREA_NOT_NUMBER
        value = repr(value)  # the shortest text that reads back as this float: 75.1, not 75.09999…
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        return E_AREA_NOT_NUMBER
    try:
        area = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above only lets decimals through
        return E_AREA_NOT_NUMBER
    if area <= 0:
        return E_AREA_NOT_POSITIVE
    if area.as_tuple().exponent < -2 and area != area.quantize(Decimal("0.01")):
        return E_AREA_TOO_PRECISE
    if area > MAX_AREA:
        return E_AREA_TOO_LARGE
    return area.quantize(Decimal("0.01"))


def parse_row(
    row: int, cells: Sequence[Any], header: Header, *, today: date
) -> tuple[SheetRow | None, list[SheetError]]:
    """One data row (Excel row number `row`) → a SheetRow, or None with every problem found in it."""
    reader = _RowReader(row, cells, header)
    reader.values_without_header()
    unit = UnitRecord(
        building=reader.required_text(BUILDING),
        entrance=reader.required_text(ENTRANCE),
        room=reader.required_text(ROOM),
        kind=reader.choice(KIND, KIND_LABELS, _KIND_ALIASES),
        registered_area=reader.area(REGISTERED_AREA),
        surveyed_area=reader.area(SURVEYED_AREA),
        contract_area=reader.area(CONTRACT_AREA),
        delivered=reader.yes_no(DELIVERED),
    )
    owner = _read_owner(reader, today)
    if reader.errors:
        return None, reader.errors
    return SheetRow(row=row, unit=unit, owner=owner), []


def _read_owner(reader: _RowReader, today: date) -> OwnerRecord | None:
    name = reader.text(OWNER_NAME)
    phone = reader.phone()
    id_number, masked = reader.id_number(today)
    status = reader.choice(OWNER_STATUS, STATUS_LABELS)
    voter = reader.yes_no(DESIGNATED_VOTER)
    details_given = any(reader.raw(field_name) is not None for field_name in OWNER_DETAIL_FIELDS)
    if not name:
        if details_given and not any(error.field == OWNER_NAME for error in reader.errors):
            reader.error(OWNER_NAME, E_OWNER_NAME_MISSING)
        return None
    return OwnerRecord(
        full_name=name,
        phone=phone,
        id_number=id_number,
        masked_id_number=masked,
        status=status or STATUS_REGISTERED,
        designated_voter=voter,
    )


def _same_owner(a: OwnerRecord, b: OwnerRecord) -> bool:
    if a.id_number and a.id_number == b.id_number:
        return True
    different_ids = a.id_number and b.id_number and a.id_number != b.id_number
    return a.full_name == b.full_name and not different_ids


def _merge_unit(first: SheetRow, rows: list[SheetRow], errors: list[SheetError], header: Header) -> UnitPlan:
    merged: dict[str, Any] = {}
    source_row: dict[str, int] = {}
    for sheet_row in rows:
        for field_name in UNIT_FIELDS:
            value = getattr(sheet_row.unit, field_name)
            if value is None:
                continue
            if field_name not in merged:
                merged[field_name], source_row[field_name] = value, sheet_row.row
            elif merged[field_name] != value:
                errors.append(
                    SheetError(
                        sheet_row.row,
                        field_name,
                        E_UNIT_CONFLICT,
                        {"first_row": source_row[field_name]},
                        header.letter(field_name),
                    )
                )
    if not any(merged.get(name) is not None for name in AREA_FIELDS):
        errors.append(SheetError(first.row, None, E_NO_AREA, {"headers": _area_headers()}))

    owners = [(sheet_row.row, sheet_row.owner) for sheet_row in rows if sheet_row.owner is not None]
    _check_owners(owners, errors, header)
    sole_owner = len(owners) == 1
    owners = [(row, _with_voter_default(owner, sole_owner=sole_owner)) for row, owner in owners]
    return UnitPlan(
        first_row=first.row,
        building=first.unit.building,
        entrance=first.unit.entrance,
        room=first.unit.room,
        kind=merged.get(KIND, KIND_RESIDENCE),
        registered_area=merged.get(REGISTERED_AREA),
        surveyed_area=merged.get(SURVEYED_AREA),
        contract_area=merged.get(CONTRACT_AREA),
        delivered=merged.get(DELIVERED, True),
        owners=tuple(owners),
    )


def _with_voter_default(owner: OwnerRecord, *, sole_owner: bool) -> OwnerRecord:
    """A blank 指定投票人 means "yes" for a unit's only owner and "no" for co-owners (V-19)."""
    if owner.designated_voter is not None:
        return owner
    return OwnerRecord(
        full_name=owner.full_name,
        phone=owner.phone,
        id_number=owner.id_number,
        masked_id_number=owner.masked_id_number,
        status=owner.status,
        designated_voter=sole_owner,
    )


def _check_owners(owners: list[tuple[int, OwnerRecord]], errors: list[SheetError], header: Header) -> None:
    voter_row: int | None = None
    for index, (row, owner) in enumerate(owners):
        for earlier_row, earlier in owners[:index]:
            if _same_owner(earlier, owner):
                errors.append(
                    SheetError(
                        row, OWNER_NAME, E_DUPLICATE_OWNER, {"first_row": earlier_row}, header.letter(OWNER_NAME)
                    )
                )
                break
        if owner.designated_voter:
            if voter_row is not None:
                errors.append(
                    SheetError(
                        row,
                        DESIGNATED_VOTER,
                        E_TWO_DESIGNATED_VOTERS,
                        {"first_row": voter_row},
                        header.letter(DESIGNATED_VOTER),
                    )
                )
            else:
                voter_row = row


def _check_id_numbers(rows: Iterable[SheetRow], errors: list[SheetError], header: Header) -> None:
    """The same ID number under two names is a typo in one of them (V-18 relies on the ID number)."""
    first_seen: dict[str, tuple[int, str]] = {}
    for sheet_row in rows:
        owner = sheet_row.owner
        if owner is None or not owner.id_number:
            continue
        seen = first_seen.setdefault(owner.id_number, (sheet_row.row, owner.full_name))
        if seen[1] != owner.full_name:
            errors.append(
                SheetError(
                    sheet_row.row,
                    OWNER_ID_NUMBER,
                    E_ID_NUMBER_NAME_CONFLICT,
                    {"first_row": seen[0]},
                    header.letter(OWNER_ID_NUMBER),
                )
            )


def plan_units(rows: Sequence[SheetRow], header: Header) -> tuple[list[UnitPlan], list[SheetError]]:
    """Group valid rows into units (in sheet order) and check what spans rows: conflicting unit values,
    a unit without any area, the same owner twice on a unit, two designated voters (V-19), one ID number
    under two names."""
    by_unit: dict[tuple[str, str, str], list[SheetRow]] = {}
    for sheet_row in rows:
        by_unit.setdefault(sheet_row.unit.key, []).append(sheet_row)
    errors: list[SheetError] = []
    plans = [_merge_unit(unit_rows[0], unit_rows, errors, header) for unit_rows in by_unit.values()]
    _check_id_numbers(rows, errors, header)
    errors.sort(key=lambda error: (error.row or 0, len(error.column_letter), error.column_letter))
    return plans, errors


def unit_row_values(
    *,
    building: str,
    entrance: str,
    room: str,
    kind: str,
    registered_area: Decimal | None,
    surveyed_area: Decimal | None,
    contract_area: Decimal | None,
    delivered: bool,
    owner: OwnerRecord | None,
) -> list[Any]:
    """One sheet row in column order, as the export and the template write it."""
    values = {
        BUILDING: building,
        ENTRANCE: entrance,
        ROOM: room,
        KIND: KIND_LABELS.get(kind, kind),
        REGISTERED_AREA: registered_area,
        SURVEYED_AREA: surveyed_area,
        CONTRACT_AREA: contract_area,
        DELIVERED: YES if delivered else NO,
    }
    if owner is not None:
        values |= {
            OWNER_NAME: owner.full_name,
            OWNER_PHONE: owner.phone.removeprefix("+86"),
            OWNER_ID_NUMBER: owner.id_number or owner.masked_id_number,
            OWNER_STATUS: STATUS_LABELS.get(owner.status, owner.status),
            DESIGNATED_VOTER: YES if owner.designated_voter else NO,
        }
    return [values.get(column.field) for column in COLUMNS]
