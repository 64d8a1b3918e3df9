"""The ASGI server as `make run` starts it: daphne serves pages over HTTP and /ws/ over WebSocket.

Daphne runs in a subprocess on a port the OS picks (port 0): never a fixed one, other processes on the machine
may hold 8000. It gets its own freshly migrated SQLite database; REDIS_URL, when set, is passed on, so the
PostgreSQL+Redis run of CI exercises the Redis channel layer here too.
"""

import base64
import secrets
import socket
import time
import urllib.request

import pytest

from tests.portal.servers import MAKE_SESSION, Daphne, manage, server_env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("daphne")
    env = server_env(workdir)
    manage(["migrate", "--no-input", "-v0"], env)
    session_key = manage(["shell", "-c", MAKE_SESSION], env).strip().splitlines()[-1]
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
