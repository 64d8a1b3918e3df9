"""Live delivery of 议事厅 replies over WebSocket, on the real ASGI server (issue 4).

    .venv/bin/python bench/discussions_ws.py                         # 200 clients, a post every 50 ms for 10 s
    .venv/bin/python bench/discussions_ws.py --layer redis           # channels_redis on 127.0.0.1:6379/14
    .venv/bin/python bench/discussions_ws.py --layer redis --posts-via gunicorn   # scale-out shape
    .venv/bin/python bench/discussions_ws.py --clients 50 --seconds 5 --interval-ms 100

Builds one community, one topic and --clients residents with signed-in sessions in a throwaway SQLite
database (or the database of DATABASE_URL), starts daphne on a free loopback port, connects every resident's
socket to the topic, then posts a reply every --interval-ms for --seconds through HTTP POST to the reply view
(governance:post_reply), the posting user rotating so that the per-user posting limit is never hit. Each
reply's text carries a sequence token; the script notes when each POST was sent and when each client received
that token, and reports the delivery latency (POST sent → post.created frame received: writing, committing,
rendering, the channel layer and the socket), the messages lost (clients × posts accepted − received), and
how much CPU the servers and the clients used.

--layer memory: the in-process channel layer, so the POSTs must reach the same daphne that holds the sockets.
--layer redis: REDIS_URL=redis://127.0.0.1:6379/<--redis-db> (flushed before and after: keep that database
for this script); the POSTs go to daphne too, or with --posts-via gunicorn to a separate WSGI server
(`gunicorn portal.wsgi`) as in the scale-out shape, where only the sockets stay on daphne.

A benchmark, not a test: it exits 1 when the target (p99 ≤ --target-p99-ms, nothing lost) is missed.
Loopback only, bounded in time; the servers it starts are stopped and the temporary directory deleted.
"""

import argparse
import asyncio
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

TOKEN = re.compile(r"BENCH(\d{6})X")
POST_CREATED = '"type": "post.created"'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--interval-ms", type=float, default=50.0)
    parser.add_argument("--layer", choices=["memory", "redis"], default="memory")
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--posts-via", choices=["daphne", "gunicorn"], default="daphne")
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=10, help="posts sent first and not measured")
    parser.add_argument("--drain-seconds", type=float, default=10.0, help="how long to wait for stragglers")
    parser.add_argument("--target-p99-ms", type=float, default=150.0)
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="postgres: a throwaway database on the server of DATABASE_URL "
        "(default postgres://postgres@127.0.0.1:5432/postgres), created and dropped by this script",
    )
    parser.add_argument("--conn-max-age", type=int, help="DB_CONN_MAX_AGE (default: 60 on PostgreSQL, 0 on SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (server logs)")
    parser.add_argument("--profile", action="store_true", help="run daphne under cProfile; prints its top functions")
    args = parser.parse_args()
    if args.layer == "memory" and args.posts_via == "gunicorn":
        parser.error("the in-memory layer lives in daphne's process: POSTs elsewhere would never reach the sockets")
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- data


def build_data(env: dict, clients: int):
    """Migrate, then one community, one topic and `clients` residents each with a session. In this process."""
    os.environ.update(env)
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from governance.services.discussions import topic_open
    from home.models import CommunityRole, District, HomePage, SubDistrict
    from home.services.communities import community_create, community_index_ensure

    home = HomePage.objects.get()
    index = community_index_ensure(actor=None, home_page=home, title="小区", slug="xiaoqu")
    district, _ = District.objects.get_or_create(name="基准区")
    sub, _ = SubDistrict.objects.get_or_create(district=district, name="基准街道")
    community = community_create(
        actor=None,
        index_page=index,
        title="基准议事小区",
        slug="bench-discussions",
        sub_district=sub,
        address="基准路1号",
        year_built=1990,
        management_mode="market_company",
        renovation_status="under_way",
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"bench-{i:04d}", full_name=f"基准居民{i}", phone=f"+86139{i:08d}", phone_verified=True)
        for i in range(clients)
    )
    users = list(User.objects.filter(username__startswith="bench-").order_by("username"))
    CommunityRole.objects.get(community=community, role=CommunityRole.Role.RESIDENT).group.user_set.add(*users)
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    topic = topic_open(actor=users[0], community=community, title="基准话题：加装电梯", body="请大家讨论。")

    from django.db import connections

    connections.close_all()
    return topic.pk, sessions


# ---------------------------------------------------------------- servers


class Server:
    def __init__(self, name, argv, env, log_path):
        self.name = name
        self.log = open(log_path, "wb")  # closed in stop()
        self.process = subprocess.Popen(  # noqa: S603
            argv, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server and its children (gunicorn's workers)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        pids = [self.process.pid]
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            pids += [int(c) for c in children]
        except OSError:
            pass
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except OSError:
                pass
        return total

    def stop(self):
        if self.process.poll() is None:
            # SIGINT first: daphne stops its reactor cleanly (and cProfile writes its file); then TERM.
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()


def wait_until_serving(port: int, server: Server, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited early; see its log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz-bench-probe/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{server.name} did not start within {timeout:.0f} s")


# ---------------------------------------------------------------- the run


def post_reply(port: int, topic_id: int, session: str, seq: int) -> tuple[int, float]:
    """POST one reply as a browser would (session cookie, CSRF cookie and header). Returns (status, seconds)."""
    csrf = secrets.token_hex(16)
    body = f"body=%E5%9F%BA%E5%87%86%E5%9B%9E%E5%A4%8D+BENCH{seq:06d}X&show_as=name".encode()
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            f"/topics/{topic_id}/reply/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    except OSError:
        return 0, time.perf_counter() - started
    finally:
        conn.close()


async def run(args, ws_port: int, post_port: int, topic_id: int, sessions: list[str], servers: list[Server]):
    from websockets.asyncio.client import connect

    received: list[dict[int, float]] = [{} for _ in sessions]
    duplicates = [0]
    closed_early = []
    url = f"ws://127.0.0.1:{ws_port}/ws/discussions/topics/{topic_id}/"

    async def client(i: int, ready: asyncio.Event, opened: list):
        try:
            async with connect(
                url,
                origin=f"http://127.0.0.1:{ws_port}",
                additional_headers={"Cookie": f"sessionid={sessions[i]}"},
                compression=None,
                open_timeout=30,
                max_queue=None,
                ping_interval=None,
            ) as ws:
                opened.append(i)
                if len(opened) == len(sessions):
                    ready.set()
                mine = received[i]
                async for frame in ws:
                    if POST_CREATED not in frame[:40]:
                        continue
                    match = TOKEN.search(frame)
                    if match:
                        seq = int(match.group(1))
                        if seq in mine:
                            duplicates[0] += 1
                        else:
                            mine[seq] = time.perf_counter()
        except Exception as error:  # a refused or dropped socket is a finding, not a crash
            closed_early.append((i, repr(error)))

    ready = asyncio.Event()
    opened: list[int] = []
    connect_started = time.perf_counter()
    tasks = []
    for i in range(len(sessions)):
        tasks.append(asyncio.create_task(client(i, ready, opened)))
        if i % 20 == 19:
            await asyncio.sleep(0.05)  # do not SYN-flood daphne's accept queue
    try:
        await asyncio.wait_for(ready.wait(), timeout=60)
    except TimeoutError:
        pass
    connect_seconds = time.perf_counter() - connect_started
    await asyncio.sleep(1.0)  # let group_add settle everywhere
    loop = asyncio.get_running_loop()

    # Warm-up, not measured: the first requests of a fresh server load templates, open connections and run
    # code paths for the first time. Posted by the last users, so no one nears the per-user posting limit.
    for i in range(args.warmup):
        await loop.run_in_executor(None, post_reply, post_port, topic_id, sessions[-1 - i % len(sessions)], 900000 + i)
        await asyncio.sleep(args.interval_ms / 1000)
    await asyncio.sleep(1.0 if args.warmup else 0)
    for mine in received:
        mine.clear()
    duplicates[0] = 0

    posts = int(args.seconds * 1000 / args.interval_ms)
    sent: dict[int, float] = {}
    statuses: dict[int, int] = {}
    post_seconds: list[float] = []
    cpu_before = [s.cpu_seconds() for s in servers]
    client_cpu_before = time.process_time()
    wall_before = time.perf_counter()

    async def one_post(seq: int):
        sent[seq] = time.perf_counter()
        status, seconds = await loop.run_in_executor(
            executor, post_reply, post_port, topic_id, sessions[seq % len(sessions)], seq
        )
        statuses[seq] = status
        post_seconds.append(seconds)

    from concurrent.futures import ThreadPoolExecutor

    executor = ThreadPoolExecutor(max_workers=32)
    start = time.perf_counter() + 0.1
    post_tasks = []
    for seq in range(posts):
        delay = start + seq * args.interval_ms / 1000 - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        post_tasks.append(asyncio.create_task(one_post(seq)))
    await asyncio.gather(*post_tasks)
    posting_wall = time.perf_counter() - wall_before

    accepted = [seq for seq, status in statuses.items() if status == 302]
    expected = len(opened) * len(accepted)
    deadline = time.perf_counter() + args.drain_seconds
    while time.perf_counter() < deadline:
        if sum(len(r) for r in received) >= expected:
            break
        await asyncio.sleep(0.1)
    wall = time.perf_counter() - wall_before
    cpu = [s.cpu_seconds() - b for s, b in zip(servers, cpu_before, strict=True)]
    client_cpu = time.process_time() - client_cpu_before
    executor.shutdown(wait=False)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    accepted_set = set(accepted)
    latencies = [(at - sent[seq]) * 1000 for mine in received for seq, at in mine.items() if seq in accepted_set]
    worst: dict[int, float] = {}
    for mine in received:
        for seq, at in mine.items():
            if seq in accepted_set:
                worst[seq] = max(worst.get(seq, 0.0), (at - sent[seq]) * 1000)
    got = len(latencies)
    # The fan-out alone: how long after the first client each other client got the same post.
    first = {}
    for mine in received:
        for seq, at in mine.items():
            if seq not in first or at < first[seq]:
                first[seq] = at
    spread = [(at - first[seq]) * 1000 for mine in received for seq, at in mine.items() if seq in accepted_set]
    return {
        "posts": posts,
        "accepted": len(accepted),
        "refused_posts": {s: c for s, c in _count(statuses.values()).items() if s != 302},
        "clients": len(sessions),
        "connected": len(opened),
        "connect_seconds": connect_seconds,
        "closed_early": closed_early,
        "expected": expected,
        "received": got,
        "lost": expected - got,
        "duplicates": duplicates[0],
        "latencies": latencies,
        "spread": spread,
        "slowest": sorted(worst.items(), key=lambda item: -item[1])[:5],
        "post_ms": [s * 1000 for s in post_seconds],
        "posting_wall": posting_wall,
        "wall": wall,
        "server_cpu": cpu,
        "client_cpu": client_cpu,
    }


def _count(values):
    counts = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def report(args, result, servers) -> bool:
    lat, post_ms = result["latencies"], result["post_ms"]
    p99 = percentile(lat, 99)
    print(
        f"layer={args.layer} database={args.database} posts via {args.posts_via}; "
        f"clients {result['connected']}/{result['clients']} "
        f"connected in {result['connect_seconds']:.1f} s; posts {result['accepted']}/{result['posts']} accepted "
        f"(every {args.interval_ms:g} ms for {args.seconds:g} s, took {result['posting_wall']:.1f} s)"
    )
    if result["refused_posts"]:
        print(f"  POSTs not redirected (status: count): {result['refused_posts']}")
    if result["closed_early"]:
        print(f"  sockets that failed or closed: {len(result['closed_early'])}, e.g. {result['closed_early'][:3]}")
    print(
        f"  delivered {result['received']}/{result['expected']}, lost {result['lost']}, "
        f"duplicates {result['duplicates']}"
    )
    if lat:
        print(
            f"  delivery latency ms: p50 {percentile(lat, 50):.1f}  p95 {percentile(lat, 95):.1f}  "
            f"p99 {p99:.1f}  max {max(lat):.1f}  (mean {statistics.fmean(lat):.1f})"
        )
    if result["slowest"]:
        slowest = ", ".join(f"#{seq} {ms:.0f} ms" for seq, ms in result["slowest"])
        print(f"  slowest posts (sequence number, last client's latency): {slowest}")
    if result["spread"]:
        spread = result["spread"]
        print(
            f"  fan-out (first client → each other client) ms: p50 {percentile(spread, 50):.1f}  "
            f"p99 {percentile(spread, 99):.1f}  max {max(spread):.1f}"
        )
    if post_ms:
        print(
            f"  POST round trip ms: p50 {percentile(post_ms, 50):.1f}  p95 {percentile(post_ms, 95):.1f}  "
            f"max {max(post_ms):.1f}"
        )
    wall = result["wall"]
    for server, cpu in zip(servers, result["server_cpu"], strict=True):
        print(f"  CPU {server.name}: {cpu:.1f} s over {wall:.1f} s = {100 * cpu / wall:.0f}% of one core")
    print(
        f"  CPU benchmark clients (this process): {result['client_cpu']:.1f} s = "
        f"{100 * result['client_cpu'] / wall:.0f}% of one core; load average {os.getloadavg()[0]:.2f}; "
        f"{os.cpu_count()} cores"
    )
    met = result["lost"] == 0 and result["accepted"] == result["posts"] and p99 <= args.target_p99_ms
    print(f"  target (p99 ≤ {args.target_p99_ms:g} ms, none lost): {'met' if met else 'MISSED'}")
    return met


def postgres_database(create: bool) -> str:
    """Create (or drop) this run's throwaway database on the PostgreSQL server; returns its URL."""
    import psycopg

    server = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    base, _, _name = server.rpartition("/")
    name = f"bench_discussions_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        if create:
            conn.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def main() -> int:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-discussions-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": postgres_database(True)
        if args.database == "postgres"
        else f"sqlite:///{tmp / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    # Persistent connections, as a deployment on PostgreSQL would have; SQLite keeps the project default (0).
    env["DB_CONN_MAX_AGE"] = str(
        args.conn_max_age if args.conn_max_age is not None else 60 * (args.database == "postgres")
    )
    redis_url = ""
    if args.layer == "redis":
        redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
        env["REDIS_URL"] = redis_url
        flush_redis(redis_url)
    else:
        os.environ.pop("REDIS_URL", None)
    servers: list[Server] = []
    try:
        print(f"building {args.clients} residents with sessions in {env['DATABASE_URL'].split('@')[-1]} …")
        topic_id, sessions = build_data(env, args.clients)
        server_env = {**os.environ, **env}
        ws_port = free_port()
        daphne_argv = [str(VENV_BIN / "daphne"), "-b", "127.0.0.1", "-p", str(ws_port), "portal.asgi:application"]
        if args.profile:
            daphne_argv = [sys.executable, "-m", "cProfile", "-o", str(tmp / "daphne.prof"), *daphne_argv]
        daphne = Server(
            "daphne",
            daphne_argv,
            server_env,
            tmp / "daphne.log",
        )
        servers.append(daphne)
        wait_until_serving(ws_port, daphne)
        post_port = ws_port
        if args.posts_via == "gunicorn":
            post_port = free_port()
            gunicorn = Server(
                "gunicorn",
                [
                    str(VENV_BIN / "gunicorn"),
                    "-b",
                    f"127.0.0.1:{post_port}",
                    "-w",
                    str(args.gunicorn_workers),
                    "portal.wsgi:application",
                ],
                server_env,
                tmp / "gunicorn.log",
            )
            servers.append(gunicorn)
            wait_until_serving(post_port, gunicorn)
        result = asyncio.run(run(args, ws_port, post_port, topic_id, sessions, servers))
        met = report(args, result, servers)
        return 0 if met else 1
    finally:
        for server in servers:
            server.stop()
        if args.profile and (tmp / "daphne.prof").exists():
            import pstats

            pstats.Stats(str(tmp / "daphne.prof")).sort_stats("tottime").print_stats(35)
            pstats.Stats(str(tmp / "daphne.prof")).sort_stats("cumulative").print_stats(60)
        if redis_url:
            flush_redis(redis_url)
        if args.database == "postgres":
            from django.db import connections

            connections.close_all()
            postgres_database(False)
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
