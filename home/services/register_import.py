"""Import of a community's unit register from an .xlsx sheet (one row = one unit and one owner).

Flow: `register_import_start` (the upload view) stores the file and queues `home.tasks.register_import_process`;
the task calls `register_import_run`, which
1. reads the first worksheet (openpyxl, read-only),
2. validates every row and the sheet as a whole (home/domain/register_sheet.py) and checks the ID numbers
   against the register, updating `processed_rows` every PROGRESS_EVERY rows in short transactions so that
   the status page of another process sees the progress,
3. if anything is wrong, stores every error (row, column, Chinese message) and writes NOTHING;
4. else writes all units and owners in one transaction, records the summary and one audit entry.

Units already in the community are updated to the sheet's areas and flags; people are recognised by ID
number, else by name and phone (V-18), so importing the same file twice changes nothing the second time.
Owners missing from the sheet are left alone: a sheet may cover part of a community.
"""

import io
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

import openpyxl
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from home.domain import register_sheet as sheet
from home.domain.masking import mask_name
from home.fields import identifier_hash
from home.models import Building, CommunityPage, Entrance, Ownership, Person, RegisterImport, Unit
from home.services.audit import audit_record
from home.services.registry import ensure_may_manage, id_number_message

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 100
MAX_STORED_ERRORS = 500
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls and other OLE compound files

E_NOT_XLSX = "not_xlsx"
E_OLD_XLS = "old_xls"
E_UNREADABLE = "unreadable"
E_ID_NUMBER_REGISTERED_TO_OTHER = "id_number_registered_to_other"
E_INTERNAL = "internal"


def error_message(error: sheet.SheetError) -> str:
    """The Chinese wording of one sheet error."""
    params = {**error.params, "header": error.header}
    if error.code == sheet.E_INVALID_ID_NUMBER:
        return id_number_message(params.get("reason", ""))
    if error.code == sheet.E_REQUIRED:
        return (
            _(
                "“%(header)s” is empty. Every row needs the building, entrance and room; "
                "if cells were merged, unmerge them and fill in every row."
            )
            % params
        )
    messages = {
        E_NOT_XLSX: _(
            "The file is not an Excel workbook (.xlsx). Save it in Excel as “Excel workbook (*.xlsx)” "
            "and upload it again."
        ),
        E_OLD_XLS: _(
            "This file is in the old Excel 97–2003 format or protected by a password. Save it in Excel as an "
            "unprotected “Excel workbook (*.xlsx)” and upload it again."
        ),
        E_UNREADABLE: _("The file could not be read. Open it in Excel, save it again as .xlsx and upload it again."),
        E_INTERNAL: _(
            "The import stopped because of an unexpected error. Nothing was changed. "
            "Please try again or tell the site administrator."
        ),
        sheet.E_NO_DATA: _("The first worksheet is empty: it needs the header row and at least one row of units."),
        sheet.E_TOO_MANY_ROWS: _(
            "The sheet has more than %(limit)s rows of units. Split it, for example by building, "
            "and import the parts one after another."
        ),
        sheet.E_UNKNOWN_HEADER: _(
            "Unknown column “%(header)s”. Use the column names of the template: delete or rename this column."
        ),
        sheet.E_DUPLICATE_HEADER: _("The column “%(header)s” appears twice."),
        sheet.E_MISSING_HEADER: _("The required column “%(header)s” is missing from the header row (row 1)."),
        sheet.E_MISSING_AREA_HEADER: _("At least one area column is required: %(headers)s."),
        sheet.E_TOO_LONG: _("Too long: at most %(max_length)s characters."),
        sheet.E_LOOKS_LIKE_DATE: _(
            "Excel has turned this value into a date. Format the column as text and type the value again."
        ),
        sheet.E_AREA_NOT_NUMBER: _("“%(value)s” is not a number. Enter the area in square metres, e.g. 75.36."),
        sheet.E_AREA_NOT_POSITIVE: _("The area must be greater than 0 (it is %(value)s)."),
        sheet.E_AREA_TOO_PRECISE: _("The area %(value)s has more than two decimals."),
        sheet.E_AREA_TOO_LARGE: _("The area %(value)s is too large."),
        sheet.E_NO_AREA: _("The unit has no area: fill in at least one of %(headers)s."),
        sheet.E_INVALID_CHOICE: _("“%(value)s” is not allowed here. Use one of: %(choices)s."),
        sheet.E_OWNER_NAME_MISSING: _("The owner's name is missing, but other owner columns are filled in."),
        sheet.E_INVALID_PHONE: _("“%(value)s” is not a mainland mobile number (11 digits, beginning with 1)."),
        sheet.E_ID_NUMBER_AS_NUMBER: _(
            "Excel stored the ID number as a number and its last digits are lost. "
            "Format the column as text and type the number again."
        ),
        sheet.E_VALUE_WITHOUT_HEADER: _("This column has no header but contains a value."),
        sheet.E_UNIT_CONFLICT: _("This unit is already in row %(first_row)s with a different “%(header)s”."),
        sheet.E_DUPLICATE_OWNER: _("This owner is already listed for this unit in row %(first_row)s."),
        sheet.E_TWO_DESIGNATED_VOTERS: _(
            "Row %(first_row)s already names the designated voter of this unit: co-owners name only one person."
        ),
        sheet.E_ID_NUMBER_NAME_CONFLICT: _("The same ID number is in row %(first_row)s under another name."),
        E_ID_NUMBER_REGISTERED_TO_OTHER: _("This ID number is already registered under another name (%(name)s)."),
    }
    template = messages.get(error.code)
    if template is None:  # pragma: no cover - every code has a message; keep the import usable if one is added
        return error.code
    return template % params


def error_entry(error: sheet.SheetError) -> dict:
    """The stored form of an error: RegisterImport.errors is [{row, column, letter, code, message}]."""
    return {
        "row": error.row,
        "column": error.header,
        "letter": error.column_letter,
        "code": error.code,
        "message": error_message(error),
    }


# --- Upload ---------------------------------------------------------------------------------------------


def check_upload(uploaded_file) -> None:
    """Refuse at once what is certainly not an .xlsx register, before anything is stored."""
    name = uploaded_file.name or ""
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if head.startswith(_OLE_MAGIC) or PurePath(name).suffix.lower() == ".xls":
        raise ValidationError(error_message(sheet.SheetError(None, None, E_OLD_XLS)))
    if PurePath(name).suffix.lower() != ".xlsx" or not head.startswith(_XLSX_MAGIC):
        raise ValidationError(error_message(sheet.SheetError(None, None, E_NOT_XLSX)))
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB. Split the sheet, for example by building.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )


def register_import_start(*, actor, community: CommunityPage, uploaded_file) -> RegisterImport:
    """Store the upload and queue its import. The file is stored under a random name: it holds personal data."""
    ensure_may_manage(actor, community)
    check_upload(uploaded_file)
    register_import = RegisterImport(
        community=community, uploaded_by=actor, original_name=PurePath(uploaded_file.name).name[:200]
    )
    register_import.file.save(f"{uuid.uuid4().hex}.xlsx", uploaded_file, save=False)
    register_import.save()
    from home.tasks import register_import_process

    # The database queue stores the task in the current transaction, so a worker cannot see it before the
    # import row it refers to is committed.
    register_import_process.enqueue(register_import.pk)
    return register_import


# --- Reading and validating -------------------------------------------------------------------------------


@dataclass
class _Sheet:
    header_cells: tuple = ()
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    errors: list[sheet.SheetError] = field(default_factory=list)


def _read_workbook(data: bytes) -> _Sheet:
    if not data.startswith(_XLSX_MAGIC):
        code = E_OLD_XLS if data.startswith(_OLE_MAGIC) else E_NOT_XLSX
        return _Sheet(errors=[sheet.SheetError(None, None, code)])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken or foreign zip
        return _Sheet(errors=[sheet.SheetError(None, None, E_NOT_XLSX)])
    try:
        return _read_rows(workbook)
    except Exception:
        logger.warning("register import: unreadable worksheet", exc_info=True)
        return _Sheet(errors=[sheet.SheetError(None, None, E_UNREADABLE)])
    finally:
        workbook.close()


def _read_rows(workbook) -> _Sheet:
    result = _Sheet()
    if not workbook.worksheets:
        result.errors.append(sheet.SheetError(None, None, sheet.E_NO_DATA))
        return result
    for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
        if number == 1:
            result.header_cells = cells
            continue
        if sheet.is_blank_row(cells):
            continue
        if len(result.rows) == sheet.MAX_ROWS:
            result.errors.append(sheet.SheetError(None, None, sheet.E_TOO_MANY_ROWS, {"limit": sheet.MAX_ROWS}))
            result.rows = []
            return result
        result.rows.append((number, cells))
    if sheet.is_blank_row(result.header_cells) or not result.rows:
        result.errors.append(sheet.SheetError(None, None, sheet.E_NO_DATA))
    return result


def _set_progress(register_import: RegisterImport, **values) -> None:
    """A short write of its own (no surrounding transaction), so that the status page sees it at once."""
    for name, value in values.items():
        setattr(register_import, name, value)
    RegisterImport.objects.filter(pk=register_import.pk).update(**values)


def _registered_id_conflicts(plans: Iterable[sheet.UnitPlan], header: sheet.Header) -> list[sheet.SheetError]:
    """An ID number the register already holds under another name is a typo on one side (V-18)."""
    rows_by_hash: dict[str, list[tuple[int, sheet.OwnerRecord]]] = {}
    for plan in plans:
        for row, owner in plan.owners:
            if owner.id_number:
                rows_by_hash.setdefault(identifier_hash(owner.id_number), []).append((row, owner))
    if not rows_by_hash:
        return []
    errors = []
    letter = header.letter(sheet.OWNER_ID_NUMBER)
    for id_hash, full_name in Person.objects.filter(id_number_hash__in=rows_by_hash).values_list(
        "id_number_hash", "full_name"
    ):
        for row, owner in rows_by_hash[id_hash]:
            if owner.full_name != full_name:
                errors.append(
                    sheet.SheetError(
                        row,
                        sheet.OWNER_ID_NUMBER,
                        E_ID_NUMBER_REGISTERED_TO_OTHER,
                        {"name": mask_name(full_name)},
                        letter,
                    )
                )
    return errors


def _validate(register_import: RegisterImport, read: _Sheet) -> tuple[list[sheet.UnitPlan], list[sheet.SheetError]]:
    header, errors = sheet.read_header(read.header_cells)
    fatal = {sheet.E_MISSING_HEADER, sheet.E_MISSING_AREA_HEADER}
    if any(error.code in fatal for error in errors):
        return [], errors
    _set_progress(register_import, total_rows=len(read.rows), processed_rows=0)
    today = timezone.localdate()
    valid_rows = []
    for done, (number, cells) in enumerate(read.rows, start=1):
        parsed, row_errors = sheet.parse_row(number, cells, header, today=today)
        errors.extend(row_errors)
        if parsed is not None:
            valid_rows.append(parsed)
        if done % PROGRESS_EVERY == 0:
            _set_progress(register_import, processed_rows=done)
    plans, sheet_errors = sheet.plan_units(valid_rows, header)
    errors.extend(sheet_errors)
    errors.extend(_registered_id_conflicts(plans, header))
    errors.sort(key=lambda error: (error.row or 0, len(error.column_letter), error.column_letter))
    _set_progress(register_import, processed_rows=len(read.rows))
    return plans, errors


# --- Writing ----------------------------------------------------------------------------------------------


def _sort_order(name: str) -> int:
    """3号楼 → 3, so that 10号楼 comes after 2号楼; names without a number go last."""
    match = re.search(r"\d+", name)
    return min(int(match.group()), 9_999) if match else 9_999


def _bulk_create(model, objects: list) -> None:
    if not objects:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects, batch_size=500)
    else:  # pragma: no cover - SQLite ≥ 3.35 and PostgreSQL return the new keys
        for obj in objects:
            obj.save(force_insert=True)


class _Writer:
    """Brings the community's register in line with the validated plans, in bulk, inside one transaction."""

    UNIT_VALUES = ("kind", "registered_area", "surveyed_area", "contract_area", "delivered")

    def __init__(self, community: CommunityPage, plans: list[sheet.UnitPlan]):
        self.community = community
        self.plans = plans
        self.summary = dict.fromkeys(
            (
                "buildings_created",
                "entrances_created",
                "units_created",
                "units_updated",
                "units_unchanged",
                "people_created",
                "people_updated",
                "ownerships_created",
                "ownerships_updated",
            ),
            0,
        )

    def write(self) -> dict:
        buildings = self._buildings()
        entrances = self._entrances(buildings)
        units = self._units(entrances)
        self._owners(units)
        return self.summary

    def _buildings(self) -> dict[str, Building]:
        existing = {b.name: b for b in Building.objects.filter(community=self.community)}
        new = {}
        for plan in self.plans:
            if plan.building not in existing and plan.building not in new:
                new[plan.building] = Building(
                    community=self.community, name=plan.building, sort_order=_sort_order(plan.building)
                )
        _bulk_create(Building, list(new.values()))
        self.summary["buildings_created"] = len(new)
        return existing | new

    def _entrances(self, buildings: dict[str, Building]) -> dict[tuple[str, str], Entrance]:
        existing = {
            (e.building.name, e.name): e
            for e in Entrance.objects.filter(building__community=self.community).select_related("building")
        }
        new = {}
        for plan in self.plans:
            key = (plan.building, plan.entrance)
            if key not in existing and key not in new:
                new[key] = Entrance(
                    building=buildings[plan.building], name=plan.entrance, sort_order=_sort_order(plan.entrance)
                )
        _bulk_create(Entrance, list(new.values()))
        self.summary["entrances_created"] = len(new)
        return existing | new

    def _units(self, entrances: dict[tuple[str, str], Entrance]) -> dict[tuple[str, str, str], Unit]:
        existing = {
            (u.entrance.building.name, u.entrance.name, u.room): u
            for u in Unit.objects.filter(entrance__building__community=self.community).select_related(
                "entrance__building"
            )
        }
        new, changed = {}, []
        for plan in self.plans:
            values = {name: getattr(plan, name) for name in self.UNIT_VALUES}
            unit = existing.get(plan.key)
            if unit is None:
                new[plan.key] = Unit(entrance=entrances[(plan.building, plan.entrance)], room=plan.room, **values)
            elif any(getattr(unit, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(unit, name, value)
                changed.append(unit)
        _bulk_create(Unit, list(new.values()))
        if changed:
            Unit.objects.bulk_update(changed, list(self.UNIT_VALUES), batch_size=500)
        self.summary["units_created"] = len(new)
        self.summary["units_updated"] = len(changed)
        self.summary["units_unchanged"] = len(self.plans) - len(new) - len(changed)
        return existing | new

    def _owners(self, units: dict[tuple[str, str, str], Unit]) -> None:
        current: dict[int, list[Ownership]] = {}
        for ownership in Ownership.objects.filter(
            unit__entrance__building__community=self.community, ended_on__isnull=True
        ).select_related("person"):
            current.setdefault(ownership.unit_id, []).append(ownership)
        people = _PeopleResolver(self.plans, current)

        wanted: list[tuple[Unit, Person, sheet.OwnerRecord]] = []
        for plan in self.plans:
            unit = units[plan.key]
            for _row, owner in plan.owners:
                wanted.append((unit, people.resolve(unit.pk, owner), owner))
        people.save()
        self.summary["people_created"] = people.created
        self.summary["people_updated"] = people.updated
        self._ownerships(wanted, current)

    def _ownerships(self, wanted, current: dict[int, list[Ownership]]) -> None:
        final: dict[int, tuple[str, bool]] = {}  # ownership pk → (status, voter) for existing ones
        new = []
        voter_named = {unit.pk for unit, _person, owner in wanted if owner.designated_voter}
        for unit, person, owner in wanted:
            ownership = next((o for o in current.get(unit.pk, []) if o.person_id == person.pk), None)
            if ownership is None:
                new.append(
                    Ownership(
                        unit=unit,
                        person=person,
                        owner_status=owner.status,
                        is_designated_voter=bool(owner.designated_voter),
                    )
                )
            else:
                final[ownership.pk] = (owner.status, bool(owner.designated_voter))
        # Naming a voter in the sheet takes the flag from any other current owner of that unit (V-19).
        for unit_id in voter_named:
            for ownership in current.get(unit_id, []):
                if ownership.pk not in final and ownership.is_designated_voter:
                    final[ownership.pk] = (ownership.owner_status, False)

        changed = [
            o
            for ownerships in current.values()
            for o in ownerships
            if o.pk in final and (o.owner_status, o.is_designated_voter) != final[o.pk]
        ]
        # Clear voters first: the one-voter-per-unit constraint is checked row by row.
        losing = [o for o in changed if o.is_designated_voter and not final[o.pk][1]]
        for ownership in losing:
            ownership.is_designated_voter = False
        if losing:
            Ownership.objects.bulk_update(losing, ["is_designated_voter"], batch_size=500)
        for ownership in changed:
            ownership.owner_status, ownership.is_designated_voter = final[ownership.pk]
        if changed:
            Ownership.objects.bulk_update(changed, ["owner_status", "is_designated_voter"], batch_size=500)
        _bulk_create(Ownership, new)
        self.summary["ownerships_created"] = len(new)
        self.summary["ownerships_updated"] = len(changed)


def _held_by_developer(owner: sheet.OwnerRecord) -> bool:
    return owner.status == sheet.STATUS_DEVELOPER_RETAINED


class _PeopleResolver:
    """Finds the person each owner row means (V-18): by ID number; else among the unit's current owners by
    name (and phone, and the masked ID number of an exported sheet); else by name and phone; the holder of a
    developer-retained unit is the developer, a legal person found by its name (V-21); else a new person.
    Blank phone or ID numbers of known people are filled in; nothing is overwritten."""

    def __init__(self, plans, current: dict[int, list[Ownership]]):
        self.current = current
        owners = [owner for plan in plans for _row, owner in plan.owners]
        hashes = {identifier_hash(o.id_number) for o in owners if o.id_number}
        phones = {o.phone for o in owners if o.phone}
        self.by_hash = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=hashes)} if hashes else {}
        self.by_name_phone: dict[tuple[str, str], Person] = {}
        if phones:
            for person in Person.objects.filter(phone__in=phones, is_developer=False).order_by("-pk"):
                self.by_name_phone[(person.full_name, person.phone)] = person
        developer_names = {o.full_name for o in owners if _held_by_developer(o)}
        self.developers: dict[str, Person] = {}
        if developer_names:
            for person in Person.objects.filter(is_developer=True, full_name__in=developer_names).order_by("-pk"):
                self.developers[person.full_name] = person
        self.new: list[Person] = []
        self.filled: dict[int, Person] = {}
        self.created = self.updated = 0

    def resolve(self, unit_id: int, owner: sheet.OwnerRecord) -> Person:
        id_hash = identifier_hash(owner.id_number) if owner.id_number else ""
        person = self.by_hash.get(id_hash) if id_hash else None
        if person is None:
            person = self._current_owner(unit_id, owner)
        if person is None and owner.phone:
            candidate = self.by_name_phone.get((owner.full_name, owner.phone))
            if candidate is not None and not (id_hash and candidate.id_number_hash):
                person = candidate
        developer = _held_by_developer(owner)
        if person is None and developer and not id_hash:
            person = self.developers.get(owner.full_name)
        if person is None:
            person = Person(full_name=owner.full_name, phone=owner.phone, is_developer=developer)
            self.new.append(person)
            if developer:
                self.developers.setdefault(owner.full_name, person)
        self._fill_blanks(person, owner, id_hash)
        if id_hash:
            self.by_hash[id_hash] = person
        if owner.phone:
            self.by_name_phone.setdefault((owner.full_name, owner.phone), person)
        return person

    def _current_owner(self, unit_id: int, owner: sheet.OwnerRecord) -> Person | None:
        for ownership in self.current.get(unit_id, []):
            person = ownership.person
            if person.full_name != owner.full_name:
                continue
            if owner.phone and person.phone and owner.phone != person.phone:
                continue
            if owner.id_number and person.id_number_hash:
                continue  # a different ID number: the by-hash lookup would have found the same one
            if owner.masked_id_number and person.id_number and person.masked_id_number != owner.masked_id_number:
                continue
            return person
        return None

    def _fill_blanks(self, person: Person, owner: sheet.OwnerRecord, id_hash: str) -> None:
        changed = False
        if owner.phone and not person.phone:
            person.phone, changed = owner.phone, True
        if id_hash and not person.id_number_hash:
            person.id_number, person.id_number_hash, changed = owner.id_number, id_hash, True
        if changed and person.pk is not None:
            self.filled[person.pk] = person

    def save(self) -> None:
        _bulk_create(Person, self.new)
        if self.filled:
            Person.objects.bulk_update(list(self.filled.values()), ["phone", "id_number", "id_number_hash"])
        self.created, self.updated = len(self.new), len(self.filled)


# --- The job ----------------------------------------------------------------------------------------------


def _fail(register_import: RegisterImport, errors: list[sheet.SheetError], total_rows: int) -> None:
    _set_progress(
        register_import,
        status=RegisterImport.Status.FAILED,
        errors=[error_entry(error) for error in errors[:MAX_STORED_ERRORS]],
        summary={"rows": total_rows, "error_count": len(errors)},
        finished_at=timezone.now(),
    )


def _write(register_import: RegisterImport, plans: list[sheet.UnitPlan], total_rows: int) -> None:
    community = register_import.community
    with transaction.atomic():
        # One import at a time per community: every import of the community locks all of their rows.
        list(RegisterImport.objects.select_for_update().filter(community=community).values_list("pk", flat=True))
        summary = {"rows": total_rows, "units": len(plans), **_Writer(community, plans).write()}
        register_import.status = RegisterImport.Status.SUCCEEDED
        register_import.summary = summary
        register_import.errors = []
        register_import.finished_at = timezone.now()
        register_import.save(update_fields=["status", "summary", "errors", "finished_at"])
        audit_record(
            actor=register_import.uploaded_by,
            community=community,
            action="register.import",
            target=register_import,
            after=summary,
            note=register_import.original_name,
        )


def _forget_file(register_import: RegisterImport) -> None:
    """Personal data is kept once, in the register (D-03 minimisation): the uploaded copy goes."""
    if register_import.file:
        register_import.file.delete(save=False)
        RegisterImport.objects.filter(pk=register_import.pk).update(file="")


def register_import_run(import_id: int) -> RegisterImport:
    """Validate, then write or refuse, one queued import. Runs in the background worker."""
    register_import = RegisterImport.objects.select_related("community", "uploaded_by").get(pk=import_id)
    if register_import.status != RegisterImport.Status.QUEUED:
        return register_import  # delivered twice: the first run owns it
    _set_progress(register_import, status=RegisterImport.Status.VALIDATING)
    total_rows = 0
    try:
        with register_import.file.open("rb") as stored:
            read = _read_workbook(stored.read())
        total_rows = len(read.rows)
        if read.errors:
            _fail(register_import, read.errors, total_rows)
            return register_import
        plans, errors = _validate(register_import, read)
        if errors:
            _fail(register_import, errors, total_rows)
            return register_import
        _set_progress(register_import, status=RegisterImport.Status.WRITING)
        _write(register_import, plans, total_rows)
    except Exception:
        logger.exception("register import %s failed", import_id)
        _fail(register_import, [sheet.SheetError(None, None, E_INTERNAL)], total_rows)
    finally:
        _forget_file(register_import)
    return register_import
