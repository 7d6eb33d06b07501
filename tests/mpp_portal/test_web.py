"""The production web server's worker (mpp_portal/web.py), run as `make run` runs it:
live streams on threads of their own, silent connections on no thread, new
connections to the worker holding the fewest."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from mpp_portal.management.commands.serve import gunicorn_command
from mpp_portal.web import STREAM_REQUEST

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def web_server(tmp_path, monkeypatch):
    """Starts gunicorn in embedded mode (a SQLite file, no Redis) with the given layout;
    returns its port and the process."""
    started = []

    def start(*, workers: int, threads: int):
        port = free_port()
        monkeypatch.setenv("WEB_CONCURRENCY", str(workers))  # read by gunicorn_command
        monkeypatch.setenv("WEB_THREADS", str(threads))
        env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
        env.update(
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            CACHE_DIR=str(tmp_path / "cache"),
            SECRET_KEY="insecure-key-for-the-test-suite-only",
            DJANGO_SETTINGS_MODULE="mpp_portal.settings",
            DEBUG="0",
        )
        process = subprocess.Popen([*gunicorn_command("127.0.0.1", port), "--log-level", "warning"], cwd=ROOT, env=env)
        started.append(process)
        deadline = time.monotonic() + 60
        while True:
            try:
                assert get(port, "/livez") == 200
                return port, process
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError("gunicorn did not start") from None
                time.sleep(0.2)

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def get(port: int, path: str, connection: http.client.HTTPConnection | None = None, timeout: float = 3.0) -> int:
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def open_stream(connection: http.client.HTTPConnection) -> http.client.HTTPResponse:
    path = reverse("live-events")
    assert path.encode().startswith(STREAM_REQUEST.removeprefix(b"GET ")), "the worker would not see a stream"
    connection.request("GET", path)
    response = connection.getresponse()
    assert response.status == 200
    while b"event: hello" not in response.fp.readline():
        pass
    return response


def test_live_streams_take_no_request_thread(web_server):
    port, _process = web_server(workers=1, threads=1)
    # The first stream comes on a connection that has just been answered and kept.
    kept = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    assert get(port, "/livez", kept) == 200
    streams = [open_stream(kept)]
    streams += [open_stream(http.client.HTTPConnection("127.0.0.1", port, timeout=5)) for _ in range(3)]
    # Four streams are open and the worker has one request thread: it still answers.
    assert get(port, "/livez") == 200
    for stream in streams:
        stream.close()


def test_a_connection_that_sends_nothing_takes_no_thread(web_server):
    port, _process = web_server(workers=1, threads=1)
    silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    # gunicorn's own threaded worker gives each silent connection a thread for 5 s.
    assert get(port, "/livez", timeout=3) == 200
    for connection in silent:
        connection.close()


def clients_per_worker(master: int, port: int) -> dict[int, set[int]]:
    """For each child of ``master``, the client ports of the connections to ``port``
    it holds (from /proc)."""
    client_of = {}  # socket inode → client port
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # ESTABLISHED
                client_of[fields[9]] = int(fields[2].rsplit(":", 1)[1], 16)
    held = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        inodes = (link.removeprefix("socket:[").removesuffix("]") for link in links)
        held[int(entry.name)] = {client_of[inode] for inode in inodes if inode in client_of}
    return held


def kept_connection(port: int) -> http.client.HTTPConnection:
    """A connection that has been answered once and stays open."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    assert get(port, "/livez", connection) == 200
    time.sleep(0.1)  # a worker that stopped listening looks at the others' counts every 20 ms
    return connection


def client_port(connection: http.client.HTTPConnection) -> int:
    return connection.sock.getsockname()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_new_connections_go_to_the_worker_holding_fewest(web_server):
    port, process = web_server(workers=2, threads=2)
    kept = [kept_connection(port) for _ in range(10)]
    counts = sorted(len(clients) for clients in clients_per_worker(process.pid, port).values())
    assert counts == [5, 5]
    for connection in kept:
        connection.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_streams_do_not_count_against_a_worker(web_server):
    port, process = web_server(workers=2, threads=2)
    kept = [kept_connection(port) for _ in range(4)]
    held = clients_per_worker(process.pid, port)
    emptied = next(pid for pid, clients in held.items() if client_port(kept[0]) in clients)
    for connection in kept:
        if client_port(connection) in held[emptied]:
            connection.close()
    kept = [connection for connection in kept if connection.sock is not None]
    deadline = time.monotonic() + 5
    while clients_per_worker(process.pid, port)[emptied] and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    # One worker holds two connections, the other none: both streams go to the other.
    streams = [open_stream(http.client.HTTPConnection("127.0.0.1", port, timeout=5)) for _ in range(2)]
    kept += [kept_connection(port) for _ in range(4)]
    held = clients_per_worker(process.pid, port)
    ours = {client_port(connection) for connection in kept}
    # Had the streams counted, the four would have gone two and two: 2 and 4.
    assert sorted(len(clients & ours) for clients in held.values()) == [3, 3]
    for connection in [*streams, *kept]:
        connection.close()
