"""Time the unit register import and export on a throwaway SQLite database (not a test; prints figures).

    .venv/bin/python bench/register_import.py            # 600-unit community and a 5,000-row sheet
    .venv/bin/python bench/register_import.py 20000      # also a sheet at the row cap

For each sheet: read (.xlsx → cells), validate (every row, progress writes included), write (one
transaction), the same sheet imported again (everything unchanged), and the export of the result.
Set DATABASE_URL to time PostgreSQL instead (a database the script may fill and leave behind).
"""

import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-register-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("MEDIA_ROOT", str(WORKDIR / "media"))
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from home.domain import register_sheet as sheet  # noqa: E402
from home.domain.identity import id_number_check_char  # noqa: E402
from home.models import CommunityRole, RegisterImport  # noqa: E402
from home.services import register_import as service  # noqa: E402
from home.services.register_export import register_export_workbook  # noqa: E402
from tests.factories import CommunityPageFactory, member  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"


def sheet_rows(count: int, seed: int = 20261127) -> list[list]:
    """`count` rows: flats of 6 floors × 2 per floor per entrance, ~1 in 6 units with a co-owner, half of the
    owners with an ID number, a few units without owner."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    rows: list[list] = []
    unit_number = 0
    while len(rows) < count:
        building, rest = divmod(unit_number, 36)
        entrance, flat = divmod(rest, 12)
        floor, door = divmod(flat, 2)
        unit_number += 1
        area = round(rng.uniform(45, 130), 2)
        owners = 0 if rng.random() < 0.05 else (2 if rng.random() < 0.17 else 1)
        base = {
            "building": f"{building + 1}号楼",
            "entrance": f"{entrance + 1}单元",
            "room": f"{floor + 1}0{door + 1}",
            "registered_area": area,
        }
        if not owners:
            rows.append(sheet.unit_row_values(**_unit(base), owner=None))
        for index in range(owners):
            person = unit_number * 3 + index
            id_number = ""
            if person % 2 == 0:
                first17 = f"410702{1950 + person % 50}{1 + person % 12:02d}{1 + person % 28:02d}{person % 1000:03d}"
                id_number = first17 + id_number_check_char(first17)
            owner = sheet.OwnerRecord(
                full_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                phone=f"+86139{person:08d}",
                id_number=id_number,
                designated_voter=index == 0,
            )
            rows.append(sheet.unit_row_values(**_unit(base), owner=owner))
    return rows[:count]


def _unit(base: dict) -> dict:
    return {
        **base,
        "kind": sheet.KIND_RESIDENCE,
        "surveyed_area": None,
        "contract_area": None,
        "delivered": True,
    }


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet()
    worksheet.append([column.header for column in sheet.COLUMNS])
    for values in rows:
        worksheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def import_once(community, user, data: bytes) -> dict:
    register_import = RegisterImport(community=community, uploaded_by=user, original_name="bench.xlsx")
    register_import.file.save("bench.xlsx", ContentFile(data), save=False)
    register_import.save()
    read, t_read = timed(service._read_workbook, data)
    (plans, errors), t_validate = timed(service._validate, register_import, read)
    assert not errors, errors[:5]
    _, t_write = timed(service._write, register_import, plans, len(read.rows))
    return {
        "read": t_read,
        "validate": t_validate,
        "write": t_write,
        "summary": register_import.summary,
    }


def bench(label: str, row_count: int) -> None:
    community = CommunityPageFactory(title=f"基准{label}小区")
    user = member(community, CommunityRole.Role.OWNERS_COMMITTEE)
    rows = sheet_rows(row_count)
    data, t_build = timed(xlsx, rows)
    first = import_once(community, user, data)
    again = import_once(community, user, data)
    _, t_export = timed(lambda: register_export_workbook(actor=user, community=community))
    units = first["summary"]["units_created"]
    print(f"\n{label}: {row_count} rows, {units} units, sheet {len(data) / 1024:.0f} KiB (built in {t_build:.2f}s)")
    for name, run in (("first import", first), ("same sheet again", again)):
        total = run["read"] + run["validate"] + run["write"]
        print(
            f"  {name:17} read {run['read']:6.2f}s  validate {run['validate']:6.2f}s  "
            f"write {run['write']:6.2f}s  total {total:6.2f}s  ({row_count / total:,.0f} rows/s)"
        )
    print(f"  {'export':17} {t_export:6.2f}s")
    changed = {k: v for k, v in again["summary"].items() if k not in ("rows", "units", "units_unchanged") and v}
    print(f"  second import changed: {changed or 'nothing'}")


def main() -> None:
    sizes = [("600-unit community", 700), ("5,000-row sheet", 5000)]
    sizes += [(f"{int(arg):,}-row sheet", int(arg)) for arg in sys.argv[1:]]
    print(f"database: {settings.DATABASES['default']['ENGINE']} ({settings.DATABASES['default']['NAME']})")
    call_command("migrate", verbosity=0)
    try:
        for label, count in sizes:
            bench(label, count)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
