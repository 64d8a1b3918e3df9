"""What the in-process benchmarks share: Django set up on a scratch database in a work folder, a timer, a
percentile and a page fetched and timed. Run from the benchmark scripts (``python bench/<name>.py``), whose folder
is then on sys.path."""

import os
import time
from contextlib import contextmanager
from pathlib import Path


def setup_django(workdir: Path) -> str:
    """Django on ``DATABASE_URL`` (a SQLite file in ``workdir`` unless set), migrated; media in ``workdir``, mail
    dropped. Returns the database engine's short name."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import importlib

    import django

    module = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    module.MEDIA_ROOT = workdir / "media"
    module.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    django.setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    logging.disable(logging.INFO)
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


@contextmanager
def timer(into: list):
    start = time.perf_counter()
    yield
    into.append((time.perf_counter() - start) * 1000)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_page(client, url: str, repeat: int) -> tuple[list[float], int]:
    """One unmeasured warm-up (which must answer 200), then ``repeat`` timed fetches: (timings in ms, queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            with timer(timings):
                client.get(url)
        queries = len(captured)
    return timings, queries
