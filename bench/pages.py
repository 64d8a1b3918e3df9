"""How fast the public pages render as the city grows, and whether their query counts stay flat.

    .venv/bin/python bench/pages.py                   # 6, 60 and 600 communities
    .venv/bin/python bench/pages.py --sizes 6,60 --repeat 15

Builds the city in a throwaway SQLite database (a temporary directory, deleted afterwards), grows it to
each size in turn, and renders each page in-process through Django's test client: first once to warm the
per-process caches, then --repeat times. Prints the median and 90th-percentile render time and the query
count per page, then checks them against the targets below. Exits 1 when a target is missed.

The targets are for one core of a small server, SQLite, DEBUG off, no cache in front: what a committee
secretary on a phone should never wait longer than for the HTML itself.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Median render time in milliseconds at the largest size, per page.
TARGET_MEDIAN_MS = {
    "home": 120,
    "index": 120,
    "community": 100,
    "community (resident)": 100,
    "residents area": 100,
}
BUILDINGS, ENTRANCES, UNITS_PER_ENTRANCE, PARKING = 4, 2, 12, 6


def setup_django(database_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)


def quiet_logging() -> None:
    import logging

    logging.disable(logging.INFO)


class City:
    """Grows a demo-like city: communities spread over 3 districts × 3 sub-districts, each with
    BUILDINGS × ENTRANCES × UNITS_PER_ENTRANCE homes and PARKING spaces."""

    MODES = ["market_company", "bundled", "self_managed", "none"]
    STATUSES = ["not_planned", "applying", "in_plan", "under_way", "completed"]

    def __init__(self):
        from governance.models import PolicyIndexPage
        from home.models import District, HomePage, SubDistrict
        from home.services.communities import child_page_ensure, community_index_ensure

        home = HomePage.objects.get()
        self.index = community_index_ensure(actor=None, home_page=home, title="小区", slug="xiaoqu")
        child_page_ensure(actor=None, parent=home, page_class=PolicyIndexPage, slug="zhengce", title="政策指引")
        self.sub_districts = []
        for d in range(3):
            district, _ = District.objects.get_or_create(name=f"基准{d + 1}区")
            for s in range(3):
                sub, _ = SubDistrict.objects.get_or_create(district=district, name=f"基准{d + 1}-{s + 1}街道")
                self.sub_districts.append(sub)
        self.communities = []

    def grow_to(self, size: int) -> None:
        while len(self.communities) < size:
            self.communities.append(self._add_community(len(self.communities)))

    def _add_community(self, n: int):
        from home.models import Building, Entrance, Unit
        from home.services.communities import community_create

        community = community_create(
            actor=None,
            index_page=self.index,
            title=f"基准{n + 1:04d}小区",
            slug=f"bench-{n + 1}",
            sub_district=self.sub_districts[n % len(self.sub_districts)],
            address=f"基准路{n + 1}号",
            year_built=1975 + n % 25,
            management_mode=self.MODES[n % len(self.MODES)],
            renovation_status=self.STATUSES[n % len(self.STATUSES)],
        )
        buildings = Building.objects.bulk_create(
            Building(community=community, name=f"{b + 1}号楼", sort_order=b, floors=6) for b in range(BUILDINGS)
        )
        entrances = Entrance.objects.bulk_create(
            Entrance(building=building, name=f"{e + 1}单元", sort_order=e)
            for building in buildings
            for e in range(ENTRANCES)
        )
        units = [
            Unit(entrance=entrance, room=f"{u // 2 + 1}0{u % 2 + 1}", registered_area=75 + u)
            for entrance in entrances
            for u in range(UNITS_PER_ENTRANCE)
        ]
        units += [
            Unit(entrance=entrances[0], room=f"车位{p + 1}", kind=Unit.Kind.SPECIAL_SPACE, surveyed_area=12)
            for p in range(PARKING)
        ]
        Unit.objects.bulk_create(units)
        return community


def resident_of(communities):
    """A resident of the first community who also owns in a few others (a realistic header switcher)."""
    from django.contrib.auth import get_user_model

    from home.models import CommunityRole
    from home.services.roles import role_grant

    user, created = get_user_model().objects.get_or_create(
        username="bench-resident", defaults={"full_name": "基准居民", "phone": "+8613800000000"}
    )
    if created:
        role_grant(user, communities[0], CommunityRole.Role.RESIDENT)
        for community in communities[1:3]:
            role_grant(user, community, CommunityRole.Role.OWNER)
        for _ in range(5):
            committee = get_user_model().objects.create(
                username=f"bench-committee-{_}", full_name=f"委员{_}", phone=f"+861390000000{_}"
            )
            role_grant(committee, communities[0], CommunityRole.Role.OWNERS_COMMITTEE)
    return user


def measure(client, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return timings, queries


def pages_for(city, resident):
    from django.test import Client
    from django.urls import reverse

    visitor, member = Client(), Client()
    member.force_login(resident)
    middle = city.communities[len(city.communities) // 2]
    first = city.communities[0]
    return [
        ("home", visitor, "/"),
        ("index", visitor, city.index.url + "?page=2" if len(city.communities) > 20 else city.index.url),
        ("community", visitor, middle.url),
        ("community (resident)", member, first.url),
        ("residents area", member, reverse("home:community_residents", args=[first.pk])),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="6,60,600", help="community counts, comma-separated, ascending")
    parser.add_argument("--repeat", type=int, default=9, help="timed renders per page and size")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as workdir:
        setup_django(Path(workdir) / "bench.sqlite3")
        quiet_logging()
        city = City()
        results: dict[str, dict[int, tuple[float, float, int]]] = {}
        for size in sizes:
            started = time.perf_counter()
            city.grow_to(size)
            resident = resident_of(city.communities)
            print(f"— {size} communities ({size * (BUILDINGS * ENTRANCES * UNITS_PER_ENTRANCE + PARKING)} units), "
                  f"built in {time.perf_counter() - started:.1f} s")  # fmt: skip
            for name, client, url in pages_for(city, resident):
                timings, queries = measure(client, url, args.repeat)
                median, p90 = statistics.median(timings), percentile(timings, 0.9)
                results.setdefault(name, {})[size] = (median, p90, queries)
                print(f"  {name:<22} median {median:7.1f} ms   p90 {p90:7.1f} ms   {queries:3d} queries")

    return report(results, sizes)


def report(results, sizes) -> int:
    failures = []
    largest = sizes[-1]
    for name, by_size in results.items():
        query_counts = {size: by_size[size][2] for size in sizes}
        if len(set(query_counts.values())) > 1:
            failures.append(f"{name}: query count grows with the city {query_counts}")
        median = by_size[largest][0]
        if median > TARGET_MEDIAN_MS[name]:
            failures.append(f"{name}: median {median:.1f} ms at {largest} communities > {TARGET_MEDIAN_MS[name]} ms")
    print()
    if failures:
        print("MISSED:\n  " + "\n  ".join(failures))
        return 1
    print(f"OK: flat query counts; every median within its target at {largest} communities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
