"""The access log of `manage.py serve` (gunicorn) writes each request without the
booking or ticket code in its URL, its query or its referer."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mpp_common.log_privacy import HIDDEN
from queueing.models.shared import format_code, new_code
from tests.mpp_portal.test_web import free_port

ROOT = Path(__file__).resolve().parents[2]


def _request(port: int, path: str, headers: dict | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_access_log_of_the_server_command_hides_codes(tmp_path, portal_env):
    env = portal_env | {"WEB_CONCURRENCY": "1"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "serve", "--no-celery", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    booking, ticket, other = new_code(), new_code(), new_code()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _request(port, "/livez")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.3)
        assert _request(port, f"/api/v1/bookings/{booking}/") == 404
        # Pages need the collected static files; the API shows the same log lines.
        assert _request(port, f"/api/v1/bookings/{format_code(booking)}/cancel/") == 405
        assert _request(port, f"/api/v1/display/?kode={booking.lower()}") == 200
        referer = {"Referer": f"http://127.0.0.1:{port}/antrean/{format_code(other)}/"}
        assert _request(port, f"/api/v1/tickets/{ticket}/", referer) == 404
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        log, _ = server.communicate(timeout=60)

    assert f'"GET /api/v1/bookings/{HIDDEN}/ HTTP/1.1" 404' in log, log
    assert f'"GET /api/v1/display/?kode={HIDDEN} HTTP/1.1" 200' in log
    assert f"/antrean/{HIDDEN}/" in log  # the referer
    leaked = [
        code for code in (booking, ticket, other) for form in (code, format_code(code), code.lower()) if form in log
    ]
    assert not leaked, log
