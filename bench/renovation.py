"""How fast the public renovation pages answer with a city of 2,000 projects (issue 8).

    .venv/bin/python bench/renovation.py                                    # SQLite in a temporary directory
    .venv/bin/python bench/renovation.py --projects 500 --repeat 10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_renovation .venv/bin/python bench/renovation.py
        # (an empty PostgreSQL database: it is migrated and filled, and kept)

Builds ``--districts`` (6) districts of 4 sub-districts each, ``--communities`` (200) communities spread over them
(CommunityPageFactory, with their role groups), and ``--projects`` (2,000) renovation projects over the
communities, in bulk: stages spread over the ten stages (about 75% in a plan of 2024, 2025 or 2026, from planned on),
each project with 5 items, 3 funding lines (central, district, residents), 4 receipts, 5 review steps and, from
under way on, 4 progress reports and its milestones. One showcase project has 30 of each (items, receipts,
reports). Then, ``--repeat`` (20) times each after one unmeasured warm-up, as a visitor through the test client
(DEBUG off): the city dashboard (figures per district and the county reward of the latest plan year), the
dashboard for 2025, the public list (first page, and filtered by district and year), and the showcase project's
page; and the dashboard's two readers alone (selectors.dashboard, county_rewards). Prints median, p95 and
query counts; exits 1 when a median misses its target (TARGET_MS).
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = {"dashboard": 500, "dashboard 2025": 500, "index": 200, "index filtered": 200, "project page": 200}
STAGES = [
    ("in_review", 8),
    ("returned", 2),
    ("rejected", 2),
    ("approved", 8),
    ("planned", 20),
    ("under_way", 20),
    ("completed", 15),
    ("accepted", 10),
    ("evaluated", 10),
    ("draft", 5),
]
PLANNED = {"planned", "under_way", "completed", "accepted", "evaluated"}
MILESTONES_BY_STAGE = {
    "planned": 1,
    "under_way": 3,
    "completed": 4,
    "accepted": 5,
    "evaluated": 6,
}


from harness import measure_page, percentile, setup_django, timer  # noqa: E402  (bench/ is on sys.path)


def build(args) -> int:
    """The city in bulk; returns the showcase project's id."""
    from django.db import transaction

    from home.models import District, SubDistrict
    from property.domain import renovation as rules
    from property.models import (
        AnnualPlan,
        FundingLine,
        FundingReceipt,
        Milestone,
        ProgressReport,
        RenovationItem,
        RenovationProject,
        ReviewStep,
    )
    from tests.factories import CommunityPageFactory, UserFactory

    rng = random.Random(8)  # noqa: S311 (test data, not secrets)
    user = UserFactory(full_name="王桂芳")
    plans = {
        year: AnnualPlan.objects.create(year=year, completion_deadline=date(year, 12, 31))
        for year in (2024, 2025, 2026)
    }
    districts = [District.objects.create(name=f"基准{i}区") for i in range(args.districts)]
    subs = [SubDistrict.objects.create(district=d, name=f"{d.name}{j}街道") for d in districts for j in range(4)]
    communities = [
        CommunityPageFactory(title=f"基准小区{i}", slug=f"bench-{i}", sub_district=subs[i % len(subs)])
        for i in range(args.communities)
    ]
    weights = [w for _s, w in STAGES]
    stages = [s for s, _w in STAGES]
    kinds = [k.code for k in rules.ITEM_KINDS]
    category = {k.code: k.category for k in rules.ITEM_KINDS}
    today = date(2026, 11, 1)
    with transaction.atomic():
        projects = []
        for i in range(args.projects):
            stage = rng.choices(stages, weights)[0]
            year = rng.choice((2024, 2025, 2026)) if stage in PLANNED else None
            done = stage in ("completed", "accepted", "evaluated")
            projects.append(
                RenovationProject(
                    community=communities[i % len(communities)],
                    title=f"基准小区{i % len(communities)}综合改造（{i}）",
                    stage=stage,
                    applicant=user,
                    applied_as="committee",
                    year_completed=rng.randint(1980, 2000),
                    buildings_count=rng.randint(2, 20),
                    households=rng.randint(40, 800),
                    problems="管网老化",
                    structure_safe=True,
                    verdict="core",
                    review_level="district" if stage == "in_review" else "",
                    plan=plans[year] if year else None,
                    percent_complete=100 if done else (rng.randint(0, 99) if stage == "under_way" else 0),
                    completed_on=date(year, rng.randint(6, 12), rng.randint(1, 28))
                    + timedelta(days=rng.choice((0, 0, 0, 40)))
                    if done
                    else None,
                )
            )
        projects = RenovationProject.objects.bulk_create(projects, batch_size=500)
        showcase = next(p for p in projects if p.stage == "under_way")
        items, lines, receipts, steps, reports, milestones = [], [], [], [], [], []
        for project in projects:
            many = 30 if project.pk == showcase.pk else None
            for k in range(many or 5):
                kind = kinds[(project.pk + k) % len(kinds)]
                items.append(
                    RenovationItem(
                        project=project,
                        kind=kind,
                        category=category[kind],
                        quantity=Decimal(rng.randint(1, 50)),
                        quantity_unit="处",
                        estimated_cost=Decimal(rng.randint(10_000, 400_000)),
                    )
                )
            for source, amount in (("central", 500_000), ("district", 300_000), ("residents", 200_000)):
                lines.append(FundingLine(project=project, source=source, amount=Decimal(amount)))
            for level in ("", *rules.LEVELS):
                steps.append(
                    ReviewStep(
                        project=project,
                        level=level,
                        decision="submit" if not level else "pass",
                        actor=user,
                        signed_as=f"某单位 {user.full_name}",
                        opinion="同意。",
                    )
                )
            if project.stage in PLANNED:
                for r in range(many or 4):
                    source = ("central", "district")[r % 2]
                    receipts.append(
                        FundingReceipt(
                            project=project,
                            source=source,
                            amount=Decimal(rng.randint(1_000, 100_000)),
                            received_on=today,
                            reference=f"R{project.pk}-{r}",
                            recorded_by=user,
                        )
                    )
                reached = MILESTONES_BY_STAGE[project.stage]
                for m, kind in enumerate(rules.MILESTONES[:reached]):
                    milestones.append(
                        Milestone(
                            project=project,
                            kind=kind,
                            reached_on=today - timedelta(days=60 - m),
                            note="完成",
                            recorded_by=user,
                        )
                    )
                if project.stage != "planned":
                    for r in range(many or 4):
                        reports.append(
                            ProgressReport(project=project, percent=min(100, r * 3), note=f"第{r}次", reported_by=user)
                        )
        for model, rows in (
            (RenovationItem, items),
            (FundingLine, lines),
            (ReviewStep, steps),
            (FundingReceipt, receipts),
            (Milestone, milestones),
            (ProgressReport, reports),
        ):
            model.objects.bulk_create(rows, batch_size=1000)
    print(
        f"  {len(projects)} projects in {len(communities)} communities, {len(items)} items, {len(lines)} funding lines,"
        f" {len(receipts)} receipts, {len(steps)} review steps, {len(milestones)} milestones, {len(reports)} reports"
    )
    return showcase.pk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--districts", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-bench-renovation-") as workdir:
        engine = setup_django(Path(workdir))
        from django.test import Client
        from django.urls import reverse

        from home.models import District

        started = time.perf_counter()
        showcase = build(args)
        print(f"— {engine}: built in {time.perf_counter() - started:.1f} s")
        district = District.objects.order_by("name").first()
        index = reverse("property:renovation_index")
        dashboard = reverse("property:renovation_dashboard")
        pages = {
            "dashboard": dashboard,
            "dashboard 2025": f"{dashboard}?year=2025",
            "index": index,
            "index filtered": f"{index}?district={district.pk}&year=2025&stage=completed",
            "project page": reverse("property:renovation_project", args=[showcase]),
        }
        client = Client()
        missed = []
        for name, url in pages.items():
            timings, queries = measure_page(client, url, args.repeat)
            median = statistics.median(timings)
            flag = "" if median <= TARGET_MS[name] else f"  MISSED (target {TARGET_MS[name]} ms)"
            if flag:
                missed.append(name)
            print(
                f"  {name:<16} median {median:7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   "
                f"{queries:3d} queries{flag}"
            )
        # The two readers of the dashboard alone (no template).
        from property import renovation_selectors as selectors

        for name, call in (
            ("dashboard()", selectors.dashboard),
            ("county_rewards(2026)", lambda: selectors.county_rewards(2026)),
        ):
            call()
            timings = []
            for _ in range(args.repeat):
                with timer(timings):
                    call()
            print(f"  {name:<20} median {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
