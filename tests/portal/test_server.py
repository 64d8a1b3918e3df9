"""The ASGI server as `make run` starts it: daphne serves pages over HTTP and /ws/ over WebSocket.

Daphne runs in a subprocess on a port the OS picks (port 0): never a fixed one, other processes on the machine
may hold 8000. It gets its own freshly migrated SQLite database; REDIS_URL, when set, is passed on, so the
PostgreSQL+Redis run of CI exercises the Redis channel layer here too.
"""

import base64
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = Path(sys.executable).with_name("daphne")
LISTENING = re.compile(r"Listening on TCP address 127\.0\.0\.1:(\d+)")

MAKE_SESSION = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.create_user(username="ws-probe", password="ws-probe-9x!", phone="+8613900009999")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _manage(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class Daphne:
    """A daphne subprocess; its log is kept so that a failing test can show it."""

    def __init__(self, env: dict[str, str]):
        self.log: deque[str] = deque(maxlen=200)
        self.port: int | None = None
        self._ready = threading.Event()
        self.process = subprocess.Popen(  # noqa: S603
            [str(DAPHNE), "-b", "127.0.0.1", "-p", "0", "portal.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self):
        for line in self.process.stdout:
            self.log.append(line.rstrip())
            match = LISTENING.search(line)
            if match:
                self.port = int(match.group(1))
                self._ready.set()
        self._ready.set()

    def wait_ready(self, timeout: float = 60) -> int:
        self._ready.wait(timeout)
        assert self.port, "daphne did not start:\n" + "\n".join(self.log)
        return self.port

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("daphne")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=f"sqlite:///{workdir / 'server.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        PYTHONPATH=str(ROOT),
    )
    _manage(["migrate", "--no-input", "-v0"], env)
    session_key = _manage(["shell", "-c", MAKE_SESSION], env).strip().splitlines()[-1]
    daphne = Daphne(env)
    try:
        daphne.wait_ready()
        yield daphne, session_key
    finally:
        daphne.stop()
    assert daphne.process.returncode is not None


def _websocket_handshake(port: int, path: str, cookie: str = "") -> str:
    """Send a WebSocket upgrade request and return the status line of the answer."""
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        f"Origin: http://127.0.0.1:{port}",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        deadline = time.monotonic() + 20
        while b"\r\n" not in answer and time.monotonic() < deadline:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


def test_home_page_is_served_in_chinese_over_http(server):
    daphne, _ = server
    with urllib.request.urlopen(f"http://127.0.0.1:{daphne.port}/", timeout=30) as response:
        body = response.read().decode()
        assert response.status == 200
    assert 'lang="zh-hans"' in body.lower() or "lang=zh-hans" in body.lower()
    assert "社区共治平台" in body


def test_anonymous_websocket_to_notifications_is_refused(server):
    daphne, _ = server
    status = _websocket_handshake(daphne.port, "/ws/notifications/")
    assert status.startswith("HTTP/1.1 403"), status


def test_logged_in_websocket_to_notifications_is_accepted(server):
    daphne, session_key = server
    status = _websocket_handshake(daphne.port, "/ws/notifications/", cookie=f"sessionid={session_key}")
    assert status.startswith("HTTP/1.1 101"), status


def test_unknown_websocket_path_is_not_upgraded(server):
    daphne, session_key = server
    status = _websocket_handshake(daphne.port, "/ws/nowhere/", cookie=f"sessionid={session_key}")
    assert not status.startswith("HTTP/1.1 101"), status
