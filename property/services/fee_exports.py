"""Excel exports of the fee ledgers and reports (openpyxl), for those who keep the accounts and the bureau.

Every export is for ``permissions.can_read_fee_reports`` only and is logged (D-12). Amounts are numbers with
two decimals (format ``0.00``) so the sheet adds up; units appear by their address label (3号楼2单元301室);
people's names are masked to the surname (``mask_name``); a phone number never appears — not even one typed
into a free-text field (``scrub``). Large sheets (a community's 36,000 charges) are written in openpyxl's
write-only mode while the rows are read in chunks; the queries do not grow with the rows.
"""

import io
import re
from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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


class _Sheet:
    """A write-only worksheet with bold headers and amounts formatted 0.00."""

    def __init__(self, workbook: Workbook, title: str, header: list[str], money_columns: set[int]):
        self.sheet = workbook.create_sheet(title[:31])
        self.money_columns = money_columns
        self.rows = 0
        cells = []
        for value in header:
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.font = Font(bold=True)
            cells.append(cell)
        self.sheet.append(cells)

    def title_row(self, value: str) -> None:
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.font = Font(bold=True)
        self.sheet.append([cell])

    def append(self, values: list) -> None:
        cells = []
        for index, value in enumerate(values):
            if index in self.money_columns and value is not None and value != "":
                cell = WriteOnlyCell(self.sheet, value=fees.money(value))
                cell.number_format = MONEY_FORMAT
                cells.append(cell)
            else:
                cells.append(value)
        self.sheet.append(cells)
        self.rows += 1


def _workbook() -> Workbook:
    return Workbook(write_only=True)


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unit_labels(community) -> dict[int, str]:
    """{unit id: 3号楼2单元301室} for every unit of the community, in one query."""
    return {
        row[0]: f"{row[1]}{row[2]}{row[3]}室"
        for row in selectors.units_of(community).values_list("pk", "entrance__building__name", "entrance__name", "room")
    }


def _check(actor, community) -> None:
    if not permissions.can_read_fee_reports(actor, community):
        raise PermissionDenied("只有管理本小区账目的人员和住房管理部门可以导出账目和报表。")


def _fund_label(fund: str) -> str:
    return str(Fund(fund).label)


def _logged(actor, community, fund: str, action: str, build) -> bytes:
    """Build the workbook and record the export in the same transaction (D-12)."""
    _check(actor, community)
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


def ledger_workbook(community, fund: str) -> tuple[Workbook, int]:
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


def arrears_workbook(community, fund: str, today: date) -> tuple[Workbook, int]:
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


def collection_workbook(community, fund: str, today: date) -> tuple[Workbook, int]:
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


def charges_workbook(community, fund: str) -> tuple[Workbook, int]:
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
