"""Excel exports of the fee ledgers and reports (.xlsx), for those who keep the accounts and the bureau.

Every export is for ``permissions.can_read_fee_reports`` only and is logged (D-12). Amounts are numbers with
two decimals (format ``0.00``) so the sheet adds up; units appear by their address label (3号楼2单元301室);
people's names are masked to the surname (``mask_name``); a phone number never appears — not even one typed
into a free-text field (``scrub``). The rows are read in chunks and written as SpreadsheetML directly (see the
writer below: openpyxl was too slow for a community's 36,000 charges); the queries do not grow with the rows.
"""

import io
import re
import zipfile
from collections import defaultdict
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from home.domain.masking import mask_name, mask_phone
from home.services.audit import audit_record
from property import permissions, selectors
from property.domain import fees
from property.models import Allocation, Book, Charge, Fund, LedgerEntry

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "0.00"
CHUNK = 2000
COLLECTION_MONTHS = 24
# A mainland mobile or a landline with its area code, with or without +86, spaces or dashes.
PHONE = re.compile(r"(?:\+?86[\s-]?)?(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})(?!\d)")


def scrub(text: str) -> str:
    """Free text as it may leave the system: any phone number in it masked (138****5678)."""
    return PHONE.sub(lambda match: mask_phone(match.group(0)), text or "")


# ------------------------------------------------------------------ a streaming .xlsx writer
#
# openpyxl (write-only mode, without lxml) spends ~30 µs a cell: 12–40 s for a community's 36,000 charges on
# this 2-core machine, past a request timeout. The sheets here are plain tables (text, numbers, dates, a bold
# header), so they are written directly as SpreadsheetML: one string per row, about a second for the same
# sheet. openpyxl (and Excel, WPS) read them back; the tests open every workbook with openpyxl.

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
STYLE_MONEY, STYLE_DATE, STYLE_BOLD = 1, 2, 3  # indexes into cellXfs below
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
# XML 1.0 refuses these control characters even escaped; a stray one in a description would break the file.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EPOCH = date(1899, 12, 30)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


COLUMNS = [_column(i) for i in range(64)]


def _cell(ref: str, value, money: bool, bold: bool = False) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, Decimal | int | float):
        if money:
            return f'<c r="{ref}" s="{STYLE_MONEY}"><v>{fees.money(value)}</v></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    text = escape(ILLEGAL_XML.sub("", str(value)))
    style = f' s="{STYLE_BOLD}"' if bold else ""
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


class _Sheet:
    """One worksheet: a bold header row, then rows of values; amounts in ``money_columns`` formatted 0.00."""

    def __init__(self, workbook: "_Workbook", title: str, header: list[str], money_columns: set[int]):
        self.title = ILLEGAL_XML.sub("", re.sub(r"[\[\]:*?/\\]", " ", title))[:31]
        self.money_columns = money_columns
        self.lines: list[str] = []
        self.rows = 0
        workbook.sheets.append(self)
        self._write(header, bold=True)

    def _write(self, values, bold=False) -> None:
        number = len(self.lines) + 1
        cells = "".join(
            _cell(f"{COLUMNS[i]}{number}", value, i in self.money_columns and not bold, bold)
            for i, value in enumerate(values)
        )
        self.lines.append(f'<row r="{number}">{cells}</row>')

    def append(self, values: list) -> None:
        self._write(values)
        self.rows += 1

    def xml(self) -> str:
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">'
            f"<sheetData>{''.join(self.lines)}</sheetData></worksheet>"
        )


class _Workbook:
    def __init__(self):
        self.sheets: list[_Sheet] = []

    def save(self, buffer) -> None:
        count = len(self.sheets)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, count + 1)
        )
        content_types = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        )
        root_rels = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        )
        sheets = "".join(
            f'<sheet name={quoteattr(sheet.title)} sheetId="{n}" r:id="rId{n}"/>'
            for n, sheet in enumerate(self.sheets, start=1)
        )
        workbook = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets>{sheets}</sheets></workbook>'
        )
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        )
        workbook_rels = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">{rels}'
            f'<Relationship Id="rId{count + 1}" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'
        )
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", content_types)
            archive.writestr("_rels/.rels", root_rels)
            archive.writestr("xl/workbook.xml", workbook)
            archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
            archive.writestr("xl/styles.xml", STYLES)
            for n, sheet in enumerate(self.sheets, start=1):
                archive.writestr(f"xl/worksheets/sheet{n}.xml", sheet.xml())


def _workbook() -> "_Workbook":
    return _Workbook()


def _to_bytes(workbook: "_Workbook") -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unit_labels(community) -> dict[int, str]:
    """{unit id: 3号楼2单元301室} for every unit of the community, in one query."""
    return {
        row[0]: f"{row[1]}{row[2]}{row[3]}室"
        for row in selectors.units_of(community).values_list("pk", "entrance__building__name", "entrance__name", "room")
    }


def _check(actor, community, fund: str = Fund.PROPERTY_FEES) -> None:
    if not permissions.can_read_fund_reports(actor, community, fund):
        raise PermissionDenied("只有管理本小区账目的人员和住房管理部门可以导出账目和报表。")


def _fund_label(fund: str) -> str:
    return str(Fund(fund).label)


def _logged(actor, community, fund: str, action: str, build) -> bytes:
    """Build the workbook and record the export in the same transaction (D-12)."""
    _check(actor, community, fund)
    if fund not in Fund.values:
        raise PermissionDenied("没有这个账户。")
    with transaction.atomic():
        workbook, rows = build()
        data = _to_bytes(workbook)
        audit_record(
            actor=actor,
            community=community,
            action=f"fees.{action}",
            target=community,
            after={"fund": fund, "rows": rows, "names": "masked"},
        )
    return data


# ------------------------------------------------------------------ the journal


def ledger_workbook(community, fund: str) -> tuple[_Workbook, int]:
    """Every journal entry of the account, oldest first, with the reversal links both ways."""
    labels = unit_labels(community)
    kinds = dict(LedgerEntry.Kind.choices)
    books = dict(Book.choices)
    workbook = _workbook()
    sheet = _Sheet(
        workbook,
        _("Ledger"),
        [
            _("Entry no."),
            _("Date"),
            _("Entry type"),
            _("Debit"),
            _("Credit"),
            _("Amount (yuan)"),
            _("Cash in (yuan)"),
            _("Cash out (yuan)"),
            _("Unit"),
            _("Category"),
            _("Counterparty"),
            _("Voucher or receipt no."),
            _("Reverses entry"),
            _("Reversed by entry"),
            _("Description"),
        ],
        {5, 6, 7},
    )
    entries = (
        LedgerEntry.objects.filter(community=community, fund=fund)
        .order_by("booked_on", "id")
        .values(
            "pk",
            "booked_on",
            "kind",
            "debit",
            "credit",
            "amount",
            "unit_id",
            "category",
            "counterparty",
            "voucher_no",
            "reverses_id",
            "reversed_by__id",
            "description",
            "payment_id",
            "donation_id",
        )
    )
    for row in entries.iterator(chunk_size=CHUNK):
        # A household's or a donor's name is masked; a supplier's (an expense's counterparty) is not personal.
        household = any(row[key] is not None for key in ("unit_id", "payment_id", "donation_id"))
        amount = row["amount"]
        sheet.append(
            [
                row["pk"],
                row["booked_on"],
                str(kinds.get(row["kind"], row["kind"])),
                str(books.get(row["debit"], row["debit"])),
                str(books.get(row["credit"], row["credit"])),
                amount,
                amount if row["debit"] == Book.CASH else None,
                amount if row["credit"] == Book.CASH else None,
                labels.get(row["unit_id"], ""),
                scrub(row["category"]),
                mask_name(row["counterparty"]) if household else scrub(row["counterparty"]),
                row["voucher_no"],
                row["reverses_id"] or "",
                row["reversed_by__id"] or "",
                scrub(row["description"]),
            ]
        )
    return workbook, sheet.rows


def ledger_export(*, actor, community, fund: str) -> bytes:
    return _logged(actor, community, fund, "export_ledger", lambda: ledger_workbook(community, fund))


# ------------------------------------------------------------------ arrears


def arrears_workbook(community, fund: str, today: date) -> tuple[_Workbook, int]:
    """Overdue charges per unit (largest first) and per building, as of ``today``. No names (D-06)."""
    by_unit = selectors.arrears_by_unit(community, fund, today)
    by_building = selectors.arrears_by_building(community, fund, today, by_unit)
    workbook = _workbook()
    units = _Sheet(
        workbook,
        _("Arrears by unit"),
        [_("Unit"), _("Building"), _("Overdue (yuan)"), _("Months open"), _("Oldest month"), _("Band (D-06)")],
        {2},
    )
    for row in by_unit:
        units.append(
            [
                row.label,
                row.building,
                row.overdue,
                row.open_months,
                f"{row.oldest_period:%Y-%m}" if row.oldest_period else "",
                fees.arrears_band(row.overdue),
            ]
        )
    units.append([_("Total"), "", sum((row.overdue for row in by_unit), fees.ZERO), "", "", ""])
    buildings = _Sheet(
        workbook,
        _("Arrears by building"),
        [_("Building"), _("Units"), _("Units owing"), _("Overdue (yuan)")],
        {3},
    )
    for row in by_building:
        buildings.append([row.building, row.units, row.units_owing, row.overdue])
    buildings.append(
        [
            _("Total"),
            sum(row.units for row in by_building),
            sum(row.units_owing for row in by_building),
            sum((row.overdue for row in by_building), fees.ZERO),
        ]
    )
    return workbook, units.rows


def arrears_export(*, actor, community, fund: str, today: date | None = None) -> bytes:
    today = today or timezone.localdate()
    return _logged(actor, community, fund, "export_arrears", lambda: arrears_workbook(community, fund, today))


# ------------------------------------------------------------------ collection


def collection_months(today: date, months: int = COLLECTION_MONTHS) -> tuple[date, date]:
    """The last ``months`` complete billing months before ``today``'s."""
    last = fees.add_months(fees.period_start(today), -1)
    return fees.add_months(last, -(months - 1)), last


def collection_workbook(community, fund: str, today: date) -> tuple[_Workbook, int]:
    first, last = collection_months(today)
    rows = {row.period: row for row in selectors.collection_by_month(community, fund, first, last)}
    workbook = _workbook()
    sheet = _Sheet(
        workbook,
        _("Collection by month"),
        [_("Month"), _("Charged (yuan)"), _("Collected (yuan)"), _("Open (yuan)"), _("Collection rate (%)")],
        {1, 2, 3},
    )
    charged_total = collected_total = fees.ZERO
    for period in fees.months_between(first, last):
        row = rows.get(period)
        charged = row.charged if row else fees.ZERO
        collected = row.collected if row else fees.ZERO
        charged_total += charged
        collected_total += collected
        rate = fees.collection_rate(collected, charged)
        sheet.append([f"{period:%Y-%m}", charged, collected, charged - collected, "" if rate is None else rate])
    rate = fees.collection_rate(collected_total, charged_total)
    sheet.append(
        [_("Total"), charged_total, collected_total, charged_total - collected_total, "" if rate is None else rate]
    )
    return workbook, sheet.rows


def collection_export(*, actor, community, fund: str, today: date | None = None) -> bytes:
    today = today or timezone.localdate()
    return _logged(actor, community, fund, "export_collection", lambda: collection_workbook(community, fund, today))


# ------------------------------------------------------------------ charges


def charges_workbook(community, fund: str) -> tuple[_Workbook, int]:
    """Every charge of the account with what is paid, cancelled and open; the payer's name masked.

    Three queries whatever the number of charges: unit labels, settled amounts per charge, then the charges
    read in chunks and written row by row (write-only mode).
    """
    labels = unit_labels(community)
    settled: dict[int, dict[str, object]] = defaultdict(lambda: {"payment": fees.ZERO, "reversal": fees.ZERO})
    for charge_id, kind, total in (
        Allocation.objects.filter(community=community, fund=fund)
        .values("charge_id", "kind")
        .annotate(total=Sum("amount"))
        .values_list("charge_id", "kind", "total")
        .iterator(chunk_size=CHUNK)
    ):
        settled[charge_id][kind] = fees.money(total)
    kinds = dict(Charge.Kind.choices)
    developer = _("developer")
    workbook = _workbook()
    sheet = _Sheet(
        workbook,
        _("Charges"),
        [
            _("Charge no."),
            _("Month"),
            _("Unit"),
            _("Charge type"),
            _("Amount (yuan)"),
            _("Paid (yuan)"),
            _("Cancelled (yuan)"),
            _("Open (yuan)"),
            _("Due on"),
            _("Payer"),
            _("Corrects charge"),
            _("Description"),
        ],
        {4, 5, 6, 7},
    )
    charges = (
        Charge.objects.filter(community=community, fund=fund)
        .order_by("unit_id", "period", "id")
        .values_list(
            "pk",
            "period",
            "unit_id",
            "kind",
            "amount",
            "due_on",
            "charged_to_developer",
            "corrects_id",
            "description",
            "payer__full_name",
        )
    )
    for pk, period, unit_id, kind, amount, due_on, to_developer, corrects, description, payer in charges.iterator(
        chunk_size=CHUNK
    ):
        parts = settled.get(pk) or {"payment": fees.ZERO, "reversal": fees.ZERO}
        sheet.append(
            [
                pk,
                f"{period:%Y-%m}",
                labels.get(unit_id, ""),
                str(kinds.get(kind, kind)),
                amount,
                parts["payment"],
                parts["reversal"],
                amount - parts["payment"] - parts["reversal"],
                due_on,
                developer if to_developer else mask_name(payer or ""),
                corrects or "",
                scrub(description),
            ]
        )
    return workbook, sheet.rows


def charges_export(*, actor, community, fund: str) -> bytes:
    return _logged(actor, community, fund, "export_charges", lambda: charges_workbook(community, fund))
