"""A daphne subprocess for the tests that need the real ASGI server (HTTP and /ws/), on a port the OS picks."""

import os
import re
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path

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


def manage(args: list[str], env: dict[str, str]) -> str:
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


def server_env(workdir: Path) -> dict[str, str]:
    """The environment of a server subprocess: its own SQLite file and media folder; REDIS_URL passed on."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=f"sqlite:///{workdir / 'server.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        PYTHONPATH=str(ROOT),
    )
    return env
