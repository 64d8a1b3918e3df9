"""Export of a community's unit register, and the blank template for the import, as .xlsx.

What the export shows (D-04, D-12): the register is personal data restricted to the owners' committee and
the community staff (permissions.can_manage_register), and every export is written to the audit log.
- Names and mobile numbers in full: the committee uses the sheet to notify owners of meetings (A-09) and to
  hand out and collect ballots (V-03), which needs a name and a number to call.
- ID numbers MASKED (mask_id_number): a sensitive identifier (D-04) that committee work does not need in a
  spreadsheet; identity checks go through the register or the 街道 (D-12). The import reads a masked number
  as "not given" and matches the owner by name and phone, so an exported sheet can be corrected and
  imported again.
"""

import io

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from home.domain import register_sheet as sheet
from home.domain.masking import mask_id_number
from home.models import CommunityPage, Ownership, Unit
from home.services.audit import audit_record
from home.services.registry import ensure_may_manage

SHEET_TITLE = "房屋登记表"  # the file format, like the headers (register_sheet.COLUMNS)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_rows(community: CommunityPage) -> list[list]:
    """The sheet rows of the community's register: one per unit and current owner, a unit without a known
    owner on a row of its own. Two queries whatever the size of the community."""
    units = list(
        Unit.objects.filter(entrance__building__community=community)
        .select_related("entrance__building")
        .order_by(
            "entrance__building__sort_order",
            "entrance__building__name",
            "entrance__sort_order",
            "entrance__name",
            "room",
        )
    )
    owners: dict[int, list[Ownership]] = {}
    for ownership in (
        Ownership.objects.filter(unit__entrance__building__community=community, ended_on__isnull=True)
        .select_related("person")
        .order_by("-is_designated_voter", "pk")
    ):
        owners.setdefault(ownership.unit_id, []).append(ownership)
    rows = []
    for unit in units:
        for ownership in owners.get(unit.pk) or [None]:
            rows.append(_row(unit, ownership))
    return rows


def _row(unit: Unit, ownership: Ownership | None) -> list:
    owner = None
    if ownership is not None:
        person = ownership.person
        owner = sheet.OwnerRecord(
            full_name=person.full_name,
            phone=person.phone,
            masked_id_number=mask_id_number(person.id_number),
            status=ownership.owner_status,
            designated_voter=ownership.is_designated_voter,
        )
    return sheet.unit_row_values(
        building=unit.entrance.building.name,
        entrance=unit.entrance.name,
        room=unit.room,
        kind=unit.kind,
        registered_area=unit.registered_area,
        surveyed_area=unit.surveyed_area,
        contract_area=unit.contract_area,
        delivered=unit.delivered,
        owner=owner,
    )


def _workbook(rows: list[list]) -> Workbook:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(SHEET_TITLE)
    for index, column in enumerate(sheet.COLUMNS):
        worksheet.column_dimensions[sheet.column_letter(index)].width = column.width + 2
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in sheet.COLUMNS:
        cell = WriteOnlyCell(worksheet, value=column.header)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    for values in rows:
        cells = []
        for column, value in zip(sheet.COLUMNS, values, strict=True):
            cell = WriteOnlyCell(worksheet, value=value)
            if column.text_format:
                cell.number_format = "@"
            elif column.field in sheet.AREA_FIELDS:
                cell.number_format = "0.00"
            cells.append(cell)
        worksheet.append(cells)
    return workbook


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_export_workbook(*, actor, community: CommunityPage) -> bytes:
    """The community's register as .xlsx (ID numbers masked, see the module docstring); logged (D-12)."""
    ensure_may_manage(actor, community)
    with transaction.atomic():
        rows = register_rows(community)
        data = _to_bytes(_workbook(rows))
        audit_record(
            actor=actor,
            community=community,
            action="register.export",
            target=community,
            after={"rows": len(rows), "id_numbers": "masked"},
        )
    return data


def _instructions() -> list[tuple[str, str]]:
    headers = {column.field: column.header for column in sheet.COLUMNS}
    kinds = sheet.KIND_LABELS
    statuses = sheet.STATUS_LABELS
    return [
        (_("What the sheet is for"), _("One row is one unit and one owner. Co-owners of a unit: one row each.")),
        (
            _("Required"),
            _("%(building)s, %(entrance)s and %(room)s, and at least one of the three areas.") % headers,
        ),
        (
            _("Areas"),
            _(
                "Square metres, a positive number with at most two decimals. The register area counts first, "
                "then the surveyed area, then the contract area."
            ),
        ),
        (
            headers[sheet.KIND],
            _("%(residence)s or %(special)s. Empty means %(residence)s.")
            % {"residence": kinds[sheet.KIND_RESIDENCE], "special": kinds[sheet.KIND_SPECIAL_SPACE]},
        ),
        (
            headers[sheet.DELIVERED],
            _("%(yes)s or %(no)s. Empty means %(yes)s. Units sold but not delivered count with the developer.")
            % {"yes": sheet.YES, "no": sheet.NO},
        ),
        (
            headers[sheet.OWNER_STATUS],
            _("%(registered)s, %(pending)s or %(developer)s. Empty means %(registered)s.")
            % {
                "registered": statuses[sheet.STATUS_REGISTERED],
                "pending": statuses[sheet.STATUS_POSSESSION_PENDING],
                "developer": statuses[sheet.STATUS_DEVELOPER_RETAINED],
            },
        ),
        (
            headers[sheet.DESIGNATED_VOTER],
            _(
                "%(yes)s or %(no)s. Co-owners name one person to vote. "
                "Empty means %(yes)s for a sole owner and %(no)s for co-owners."
            )
            % {"yes": sheet.YES, "no": sheet.NO},
        ),
        (
            _("Owner columns"),
            _(
                "May be empty when the owner is not known. A mobile number has 11 digits; an ID number has 18 "
                "characters. A masked ID number from an export is kept as it is."
            ),
        ),
        (
            _("Importing again"),
            _(
                "Units already registered take the areas of the sheet. Owners missing from the sheet are not "
                "removed. Importing the same sheet twice changes nothing."
            ),
        ),
        (_("Example row"), _("Delete the example row (row 2) before you import.")),
    ]


def register_template_workbook() -> bytes:
    """The blank register: the header row, one example row and a sheet of instructions."""
    example = sheet.unit_row_values(
        building="1号楼",
        entrance="1单元",
        room="101",
        kind=sheet.KIND_RESIDENCE,
        registered_area=None,
        surveyed_area=None,
        contract_area=None,
        delivered=True,
        owner=sheet.OwnerRecord(full_name="张三", phone="13800000000", designated_voter=True),
    )
    example[sheet.COLUMNS.index(sheet.COLUMN_BY_FIELD[sheet.REGISTERED_AREA])] = 75.36
    workbook = _workbook([example])
    notes = workbook.create_sheet(_("Instructions"))
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 80
    wrap = Alignment(wrap_text=True, vertical="top")
    for topic, text in _instructions():
        topic_cell = WriteOnlyCell(notes, value=str(topic))
        topic_cell.font = Font(bold=True)
        text_cell = WriteOnlyCell(notes, value=str(text))
        text_cell.alignment = wrap
        notes.append([topic_cell, text_cell])
    return _to_bytes(workbook)
