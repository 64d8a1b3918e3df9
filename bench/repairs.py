"""How fast the repair pages answer with 20,000 requests over 50 communities (issue 9).

    .venv/bin/python bench/repairs.py                                    # SQLite in a temporary directory
    .venv/bin/python bench/repairs.py --requests 5000 --repeat 10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_repairs .venv/bin/python bench/repairs.py
        # (an empty PostgreSQL database: it is migrated and filled, and kept)

Builds ``--communities`` (50) communities (CommunityPageFactory, with their role groups), one company whose
manager holds the property-staff role in all of them, a committee member and a resident of the first community,
and ``--requests`` (20,000) repair requests in bulk over the communities and the last two years: statuses spread
(open, repaired, confirmed with a rating, cancelled), urgent one in five, a tenth overdue, each with its filing
event; the resident filed 300 of them. Then, ``--repeat`` (20) times each after one unmeasured warm-up, through
the test client (DEBUG off): the resident's list, the first community's queue (open; all; overdue only), its
oversight page, a request page; and ``company_quality`` alone over all the requests. Prints median, p95 and
query counts; exits 1 when a median misses its target (TARGET_MS).
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = {
    "my requests": 200,
    "queue": 200,
    "queue all": 200,
    "queue overdue": 200,
    "oversight": 300,
    "request page": 200,
    "company_quality()": 500,  # one company over all 20,000 requests (the company page)
}
STATUSES = [("submitted", 8), ("assigned", 6), ("in_progress", 6), ("done", 10), ("closed", 65), ("cancelled", 5)]


from harness import measure_page, percentile, setup_django, timer  # noqa: E402  (bench/ is on sys.path)


def build(args):
    """The communities and requests in bulk; returns (community, company, resident, manager, committee, a request)."""
    from django.db import transaction
    from django.utils import timezone

    from home.models import CommunityRole
    from property.domain import management as rules
    from property.models import CompanyStaff, PropertyCompany, RepairEvent, RepairRequest
    from tests.factories import CommunityPageFactory, UserFactory

    Role = CommunityRole.Role
    rng = random.Random(9)  # noqa: S311 (test data, not secrets)
    company = PropertyCompany.objects.create(
        name="基准物业服务有限公司", credit_code="91410700MA00000001", service_phone="0373-1234567"
    )
    manager, resident, committee = UserFactory(), UserFactory(full_name="王桂芳"), UserFactory()
    CompanyStaff.objects.create(company=company, user=manager, title="项目经理", is_manager=True)
    communities = [
        CommunityPageFactory(title=f"报修基准小区{i}", slug=f"repair-bench-{i}") for i in range(args.communities)
    ]
    groups = {(r.community_id, r.role): r.group for r in CommunityRole.objects.select_related("group")}
    for community in communities:
        groups[(community.pk, Role.PROPERTY_STAFF)].user_set.add(manager)
    first = communities[0]
    groups[(first.pk, Role.RESIDENT)].user_set.add(resident)
    groups[(first.pk, Role.OWNERS_COMMITTEE)].user_set.add(committee)
    statuses = [s for s, _w in STATUSES]
    weights = [w for _s, w in STATUSES]
    categories = RepairRequest.Category.values
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for i in range(args.requests):
            urgency = rules.URGENT if rng.random() < 0.2 else rules.NORMAL
            overdue = rng.random() < 0.1
            status = (
                rng.choice(("submitted", "assigned", "in_progress")) if overdue else rng.choices(statuses, weights)[0]
            )
            hours = rules.RESPONSE_HOURS[urgency]
            filed_at = (
                now - timedelta(hours=hours + rng.randint(1, 500))
                if overdue
                else now - timedelta(minutes=rng.randint(1, 2 * 365 * 24 * 60))
            )
            if status in rules.REPAIR_OPEN and not overdue:
                filed_at = now - timedelta(minutes=rng.randint(1, hours * 60 - 1))
            done_at = filed_at + timedelta(hours=rng.uniform(1, hours * 1.5)) if status in ("done", "closed") else None
            rows.append(
                RepairRequest(
                    community=first if i % 60 == 0 else communities[i % len(communities)],
                    company=company,
                    where="common",
                    location=f"{i % 12 + 1}号楼楼道",
                    category=rng.choice(categories),
                    urgency=urgency,
                    description="楼道灯不亮",
                    filed_by=resident if i % 60 == 0 and i // 60 < 300 else manager,
                    filed_at=filed_at,
                    due_at=rules.repair_due(filed_at, urgency),
                    status=status,
                    assigned_to=manager if status not in ("submitted", "cancelled") else None,
                    done_at=done_at,
                    closed_at=done_at + timedelta(hours=5) if status == "closed" else None,
                    rating=rng.randint(2, 5) if status == "closed" else None,
                )
            )
        RepairRequest.objects.bulk_create(rows, batch_size=1000)
        requests = list(RepairRequest.objects.values_list("pk", "filed_by_id", "filed_at"))
        RepairEvent.objects.bulk_create(
            [
                RepairEvent(request_id=pk, action="file", to_status="submitted", actor_id=actor, at=at)
                for pk, actor, at in requests
            ],
            batch_size=1000,
        )
    showcase = RepairRequest.objects.filter(community=first, filed_by=resident).order_by("pk").first()
    print(f"  {args.requests} requests over {args.communities} communities")
    return first, company, resident, manager, committee, showcase


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--communities", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-bench-repairs-") as workdir:
        engine = setup_django(Path(workdir))
        from django.test import Client
        from django.urls import reverse

        started = time.perf_counter()
        community, company, resident, manager, committee, showcase = build(args)
        print(f"— {engine}: built in {time.perf_counter() - started:.1f} s")
        queue = reverse("property:repair_queue", args=[community.pk])
        pages = [
            ("my requests", resident, reverse("property:repair_list")),
            ("queue", manager, queue),
            ("queue all", manager, f"{queue}?status=all"),
            ("queue overdue", manager, f"{queue}?status=all&overdue=1"),
            ("oversight", committee, reverse("property:repair_oversight", args=[community.pk])),
            ("request page", resident, reverse("property:repair", args=[showcase.pk])),
        ]
        missed = []
        for name, user, url in pages:
            client = Client()
            client.force_login(user)
            timings, queries = measure_page(client, url, args.repeat)
            median = statistics.median(timings)
            flag = "" if median <= TARGET_MS[name] else f"  MISSED (target {TARGET_MS[name]} ms)"
            if flag:
                missed.append(name)
            print(
                f"  {name:<16} median {median:7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   "
                f"{queries:3d} queries{flag}"
            )
        from property import repair_selectors as selectors

        timings = []
        for _ in range(args.repeat):
            with timer(timings):
                selectors.company_quality([company.pk])
        median = statistics.median(timings)
        name = "company_quality()"
        flag = "" if median <= TARGET_MS[name] else f"  MISSED (target {TARGET_MS[name]} ms)"
        if flag:
            missed.append(name)
        print(f"  {name:<20} median {median:7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms{flag}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
