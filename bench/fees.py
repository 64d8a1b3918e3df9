"""How fast the fee reports read a city's ledger (issue 6): 100 communities × 1,000 homes × 36 months.

    .venv/bin/python bench/fees.py                                   # PostgreSQL at 127.0.0.1:5432, user postgres
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/fees.py --communities 20
    .venv/bin/python bench/fees.py --keep                            # keep the database to EXPLAIN by hand

PostgreSQL only (a SQLite file of 15 million rows says nothing about production). Creates a throwaway database
``gongzhi_bench_fees`` on the server of DATABASE_URL (default ``postgres://postgres@127.0.0.1:5432/postgres``),
migrates it, and fills it with SQL (``INSERT … SELECT generate_series``), not the ORM row by row:

- 100 communities (pages under one index, in 4 districts and 10 sub-districts), each 10 buildings × 5 entrances
  × 20 homes of 50–129.99 m² = 100,000 homes;
- 36 monthly property-fee charges per home, the 36 complete months before today: 3.6 M charges, each with its
  journal entry (receivable / income);
- payments once a quarter for the quarter's charges, by transfer, with receipt numbers, each with its journal
  entry (cash / receivable) and one allocation per charge it settles. 1 home in 20 never pays, 1 in 20 stops
  paying at a month of its own, the rest pay everything: ≈ 1.1 M payments, ≈ 3.3 M allocations, ≈ 4.7 M
  journal entries, consistent with each other as the writers would leave them (the charges' and payments'
  amounts, the allocations' sums per charge and per payment, the journal per unit);
- then ``VACUUM ANALYZE`` (what autovacuum does within minutes of a bulk load).

Then it times, best of ``--repeat`` (3), the selectors the pages and exports call:
``arrears_by_unit`` for one community, ``collection_by_community`` city-wide over 12 months,
``collection_by_month`` city-wide over 12 months, ``household_accounts`` of one home (36 months),
``fund_statement`` of one community for a quarter (the disclosure), and once each the Excel exports of one
community's charges (36,000 rows) and ledger (≈ 48,000 entries). Prints each with its query count and exits 1
when a selector misses its target (1 s). ``--explain`` prints EXPLAIN ANALYZE of each selector's queries.
The database is dropped at the end unless ``--keep``.
"""

import argparse
import os
import sys
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "gongzhi_bench_fees"
BUILDINGS, ENTRANCES, PER_ENTRANCE = 10, 5, 20  # 1,000 homes per community
MONTHS = 36
RATE = Decimal("1.20")  # 元/m²/月
TARGET_MS = 1000


def server_url() -> str:
    return os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    logging.disable(logging.INFO)


@contextmanager
def step(label: str):
    start = time.perf_counter()
    print(f"  {label} …", end="", flush=True)
    yield
    print(f" {time.perf_counter() - start:.1f} s", flush=True)


def build_city(communities: int, today: date) -> dict:
    """The registry through the page tree (100 pages), everything else in SQL. Returns the facts to measure."""
    from django.db import connection, transaction

    from home.models import CommunityPage
    from property.domain.fees import add_months, period_start
    from tests.factories import CommunityPageFactory, DistrictFactory, SubDistrictFactory

    last = add_months(period_start(today), -1)
    first = add_months(last, -(MONTHS - 1))
    with step(f"{communities} community pages"), transaction.atomic():
        districts = [DistrictFactory(name=f"基准{d + 1}区") for d in range(4)]
        subs = [SubDistrictFactory(district=districts[s % 4], name=f"基准{s + 1}街道") for s in range(10)]
        for c in range(communities):
            CommunityPageFactory(title=f"基准小区{c + 1:03d}", slug=f"bench-fees-{c + 1}", sub_district=subs[c % 10])
    ids = list(CommunityPage.objects.filter(slug__startswith="bench-fees-").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        # A bulk load: the rows are consistent by construction, so the per-row foreign-key triggers are
        # skipped (session_replication_role = replica, needs a superuser); the indexes are maintained.
        cursor.execute("SET session_replication_role = replica")
        with step(f"{communities * BUILDINGS * ENTRANCES * PER_ENTRANCE:,} homes"):
            cursor.execute(
                "INSERT INTO home_building (community_id, name, sort_order, floors) "
                "SELECT c, b || '号楼', b, 6 FROM unnest(%s::int[]) c, generate_series(1, %s) b",
                [ids, BUILDINGS],
            )
            cursor.execute(
                "INSERT INTO home_entrance (building_id, name, sort_order) "
                "SELECT b.id, e || '单元', e FROM home_building b, generate_series(1, %s) e "
                "WHERE b.community_id = ANY(%s)",
                [ENTRANCES, ids],
            )
            cursor.execute(
                "INSERT INTO home_unit (entrance_id, room, kind, registered_area, delivered) "
                "SELECT e.id, (u + 1) / 2 || '0' || (2 - u %% 2), 'residence', "
                "  50 + ((e.id * 37 + u * 101) %% 8000) / 100.0, true "
                "FROM home_entrance e JOIN home_building b ON b.id = e.building_id, generate_series(1, %s) u "
                "WHERE b.community_id = ANY(%s)",
                [PER_ENTRANCE, ids],
            )
        # Month index m = 0 … 35 from `first`; quarter q = m / 3. A home's `stop`: the month it stops paying.
        homes = (
            "SELECT u.id AS unit_id, b.community_id, round(u.registered_area * %(rate)s, 2) AS monthly, "
            "  CASE WHEN u.id %% 20 = 0 THEN 0 WHEN u.id %% 20 = 1 THEN (u.id / 20) %% 36 ELSE 36 END AS stop "
            "FROM home_unit u JOIN home_entrance e ON e.id = u.entrance_id "
            "JOIN home_building b ON b.id = e.building_id "
            "WHERE b.community_id = ANY(%(ids)s)"
        )
        params = {"rate": RATE, "ids": ids, "first": first}
        cursor.execute(f"CREATE TEMP TABLE bench_home AS {homes}", params)
        with step(f"{communities * 1000 * MONTHS:,} charges"):
            cursor.execute(
                "INSERT INTO property_charge (community_id, fund, kind, unit_id, period, due_on, amount, "
                "  charged_to_developer, area, rate, description, created_at) "
                "SELECT h.community_id, 'property_fees', 'periodic', h.unit_id, p, "
                "  (p + interval '1 month' - interval '1 day')::date, h.monthly, false, "
                "  round(h.monthly / %(rate)s, 2), %(rate)s, '', now() "
                "FROM bench_home h, generate_series(%(first)s::date, %(first)s::date + interval '35 months', "
                "  interval '1 month') p ORDER BY h.unit_id, p",
                params,
            )
        with step("charge journal entries"):
            cursor.execute(
                "INSERT INTO property_ledgerentry (community_id, fund, kind, booked_on, debit, credit, amount, "
                "  unit_id, charge_id, category, counterparty, voucher_no, description, created_at) "
                "SELECT community_id, fund, 'charge', period, 'receivable', 'income', amount, unit_id, id, "
                "  '周期性物业费', '', '', to_char(period, 'YYYY-MM'), now() FROM property_charge "
                "WHERE community_id = ANY(%(ids)s)",
                params,
            )
        with step("quarterly payments"):
            cursor.execute(
                "INSERT INTO property_payment (community_id, fund, kind, unit_id, method, amount, received_on, "
                "  payer_name, receipt_no, idempotency_key, reason, provider_reference, created_at) "
                "SELECT h.community_id, 'property_fees', 'payment', h.unit_id, 'transfer', "
                "  h.monthly * least(3, h.stop - 3 * q), "
                "  least((%(first)s::date + (3 * q + 3) * interval '1 month')::date + 9, current_date), '', "
                "  'BQ' || h.unit_id || '-' || q, 'bench-' || h.unit_id || '-' || q, '', '', now() "
                "FROM bench_home h, generate_series(0, 11) q WHERE h.stop > 3 * q ORDER BY h.unit_id, q",
                params,
            )
        with step("allocations"):
            cursor.execute(
                "INSERT INTO property_allocation (community_id, fund, kind, charge_id, payment_id, unit_id, "
                "  period, amount, created_at) "
                "SELECT c.community_id, c.fund, 'payment', c.id, p.id, c.unit_id, c.period, c.amount, now() "
                "FROM property_charge c JOIN bench_home h ON h.unit_id = c.unit_id "
                "JOIN property_payment p ON p.idempotency_key = 'bench-' || c.unit_id || '-' || "
                "  ((extract(year from age(c.period, %(first)s::date)) * 12 "
                "    + extract(month from age(c.period, %(first)s::date)))::int / 3) "
                "WHERE (extract(year from age(c.period, %(first)s::date)) * 12 "
                "    + extract(month from age(c.period, %(first)s::date))) < h.stop",
                params,
            )
        with step("payment journal entries"):
            cursor.execute(
                "INSERT INTO property_ledgerentry (community_id, fund, kind, booked_on, debit, credit, amount, "
                "  unit_id, payment_id, category, counterparty, voucher_no, description, created_at) "
                "SELECT community_id, fund, 'payment', received_on, 'cash', 'receivable', amount, unit_id, id, "
                "  '收款', '', receipt_no, '', now() FROM property_payment WHERE community_id = ANY(%(ids)s)",
                params,
            )
        cursor.execute("DROP TABLE bench_home")
        cursor.execute("SET session_replication_role = DEFAULT")
    with step("VACUUM ANALYZE"), connection.cursor() as cursor:
        for table in ("property_charge", "property_payment", "property_allocation", "property_ledgerentry"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE home_unit; ANALYZE home_entrance; ANALYZE home_building")
    with connection.cursor() as cursor:
        counts = {}
        for table in ("property_charge", "property_payment", "property_allocation", "property_ledgerentry"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        counts["size"] = cursor.fetchone()[0]
    return {"ids": ids, "first": first, "last": last, "counts": counts}


def reuse_city(today: date) -> dict:
    from django.db import connection

    from home.models import CommunityPage
    from property.domain.fees import add_months, period_start

    last = add_months(period_start(today), -1)
    ids = list(CommunityPage.objects.filter(slug__startswith="bench-fees-").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM property_charge")
        charges = cursor.fetchone()[0]
    return {"ids": ids, "first": add_months(last, -(MONTHS - 1)), "last": last, "counts": {"charges": charges}}


def measure(facts: dict, repeat: int, explain: bool, today: date) -> list[tuple[str, float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.models import CommunityPage, Unit
    from property import selectors
    from property.domain.fees import add_months
    from property.models import Fund

    community = CommunityPage.objects.get(pk=facts["ids"][len(facts["ids"]) // 2])
    unit = Unit.objects.filter(entrance__building__community=community).select_related("entrance__building")[17]
    last = facts["last"]
    year_first = add_months(last, -11)
    quarter_first = add_months(last, -2)
    fund = Fund.PROPERTY_FEES
    cases = [
        ("arrears_by_unit (1 community)", lambda: selectors.arrears_by_unit(community, fund, today)),
        (
            "collection_by_community (city, 12 months)",
            lambda: selectors.collection_by_community(fund, year_first, last),
        ),
        ("collection_by_month (city, 12 months)", lambda: selectors.collection_by_month(None, fund, year_first, last)),
        ("household_accounts (1 home, 36 months)", lambda: selectors.household_accounts(unit)),
        (
            "fund_statement (1 community, a quarter)",
            lambda: selectors.fund_statement(community, fund, quarter_first, last),
        ),
    ]
    results = []
    for label, call in cases:
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                value = call()
                if isinstance(value, dict):
                    list(value.values())
                timings.append((time.perf_counter() - start) * 1000)
        results.append((label, min(timings), len(queries.captured_queries)))
        print(f"  {label}: best {min(timings):.0f} ms of {repeat} ({len(queries.captured_queries)} queries)")
        if explain:
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    print("\n".join(row[0] for row in cursor.fetchall()))
                    print()
    try:
        from property.services import fee_exports
    except ImportError:
        print("  (property.services.fee_exports not there yet: exports skipped)")
        return results
    keeper = _keeper(community)
    for label, export in (
        ("export charges (1 community, 36,000 rows)", fee_exports.charges_export),
        ("export ledger (1 community)", fee_exports.ledger_export),
    ):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            data = export(actor=keeper, community=community, fund=fund)
            elapsed = (time.perf_counter() - start) * 1000
        print(f"  {label}: {elapsed:.0f} ms, {len(data) / 1e6:.1f} MB ({len(queries.captured_queries)} queries)")
        results.append((label, elapsed, len(queries.captured_queries)))
    return results


def _keeper(community):
    from home.models import CommunityRole
    from tests.factories import member

    return member(community, CommunityRole.Role.PROPERTY_STAFF, username="bench-fees-cashier")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE every measured query")
    parser.add_argument("--keep", action="store_true", help="keep the database (drop it yourself)")
    parser.add_argument("--reuse", action="store_true", help="measure the database kept by an earlier --keep")
    args = parser.parse_args()
    url = server_url()
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench/fees.py needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    if not args.reuse:
        admin(url, f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin(url, f"CREATE DATABASE {DB_NAME}")
    failed = []
    try:
        setup_django(with_database(url, DB_NAME))
        from django.db import connection
        from django.utils import timezone

        today = timezone.localdate()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"PostgreSQL {version}, {os.cpu_count()} cores; building the city ({today:%Y-%m-%d}):")
        start = time.perf_counter()
        facts = reuse_city(today) if args.reuse else build_city(args.communities, today)
        counts = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in facts["counts"].items())
        print(f"  built in {time.perf_counter() - start:.0f} s: {counts}")
        print("Measuring:")
        for label, best, _queries in measure(facts, args.repeat, args.explain, today):
            if not label.startswith("export") and best > TARGET_MS:
                failed.append(f"{label}: {best:.0f} ms > {TARGET_MS} ms")
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept database {DB_NAME}")
        else:
            admin(url, f"DROP DATABASE IF EXISTS {DB_NAME}")
    for line in failed:
        print("MISSED " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
