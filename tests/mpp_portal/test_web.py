"""The production web server's worker (mpp_portal/web.py), run as `make run` runs it:
live streams on threads of their own, silent connections on no thread, new
connections to the worker holding the fewest; streams capped per worker and per client
address, with room kept for the staff's screens."""

import http.client
import json
import os
import socket
import struct
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
def web_server(portal_env, monkeypatch):
    """Starts gunicorn with the given layout and settings; returns its port and the
    process."""
    started = []

    def start(*, workers: int, threads: int, **settings: str):
        port = free_port()
        monkeypatch.setenv("WEB_CONCURRENCY", str(workers))  # read by gunicorn_command
        monkeypatch.setenv("WEB_THREADS", str(threads))
        env = portal_env | settings
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


# Streams capped: a small pool, and at most three anonymous streams per client address,
# half the pool for anonymous ones. Behind one trusted proxy, X-Forwarded-For poses as
# many addresses; a heartbeat every second notices a client gone within two.
CAPPED = {
    "WEB_STREAMS": "12",
    "LIVE_STREAMS_PER_ADDRESS": "3",
    "LIVE_ANONYMOUS_SHARE": "0.5",
    "TRUSTED_PROXIES": "1",
    "LIVE_HEARTBEAT_SECONDS": "1",
}
# Documentation addresses (RFC 5737), never a real client.
ADDRESSES = ["192.0.2.1", "198.51.100.2", "203.0.113.3"]

STAFF = """
import json
from django.test import Client
from agencies.models import Agency, Role, User
agency = Agency.objects.create(code="disdukcapil", name="Disdukcapil", kind="opd", ticket_prefix="B")
cookies = {"agency": agency.pk}
for username, role, home in (("bob", Role.OFFICER, agency), ("papan-lobi", Role.KIOSK, None)):
    client = Client()
    client.force_login(User.objects.create_user(username, role=role, agency=home))
    cookies[username] = client.cookies["sessionid"].value
print(json.dumps(cookies))
"""

CALL = """
from queueing.floor import live
live.publish({"type": "ticket", "action": "called", "agency": %d, "number": "B-001", "counter": 3})
"""


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def staff(portal_env) -> dict:
    """An officer's and a signed-in board's session cookies (the board signs in with
    the mall's kiosk device account), and the officer's agency."""
    manage(portal_env, "migrate", "--noinput", "--verbosity", "0")
    return json.loads(manage(portal_env, "shell", "-c", STAFF).strip().splitlines()[-1])


class Refused(Exception):
    def __init__(self, status: int, retry_after: str | None, body: bytes, seconds: float):
        super().__init__(f"{status} after {seconds:.2f} s: {body!r}")
        self.status, self.retry_after, self.body, self.seconds = status, retry_after, body, seconds


def stream(port: int, *, address: str | None = None, session: str | None = None, query: str = ""):
    """An open stream (after its hello), or Refused with what the server answered."""
    headers = {}
    if address:
        headers["X-Forwarded-For"] = address
    if session:
        headers["Cookie"] = f"sessionid={session}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    started = time.monotonic()
    connection.request("GET", reverse("live-events") + query, headers=headers)
    response = connection.getresponse()
    if response.status != 200:
        body = response.read()
        connection.close()
        raise Refused(response.status, response.getheader("Retry-After"), body, time.monotonic() - started)
    while b"event: hello" not in response.fp.readline():
        pass
    return response


def refusal(port: int, **who) -> Refused:
    with pytest.raises(Refused) as refused:
        stream(port, **who).close()
    return refused.value


def assert_busy(refused: Refused) -> None:
    """A clear, quick 503 that says when to come back."""
    assert refused.status == 503
    assert refused.seconds < 2, "refused at once, not after waiting for a thread"
    assert int(refused.retry_after) > 0
    assert json.loads(refused.body)["detail"]


def cut_off(response: http.client.HTTPResponse) -> None:
    """The client vanishes: its socket is reset, not closed politely."""
    response.fp.raw._sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    response.fp.raw._sock.close()
    response.close()


def admitted_again(port: int, **who) -> http.client.HTTPResponse:
    deadline = time.monotonic() + 10
    while True:
        try:
            return stream(port, **who)
        except Refused as refused:
            assert refused.status == 503
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def test_one_client_address_holds_a_few_anonymous_streams(web_server):
    port, _process = web_server(workers=1, threads=2, **CAPPED)
    first = [stream(port, address=ADDRESSES[0]) for _ in range(3)]
    assert_busy(refusal(port, address=ADDRESSES[0]))
    # Another address still gets its streams, and requests are still answered.
    second = [stream(port, address=ADDRESSES[1])]
    assert get(port, "/livez") == 200
    for response in first + second:
        response.close()


def test_staff_screens_connect_while_anonymous_streams_are_at_their_cap(web_server, staff, portal_env):
    port, _process = web_server(workers=1, threads=2, **CAPPED)
    # Six anonymous streams, half the pool: the seventh is refused, from any address.
    anonymous = [stream(port, address=address) for address in ADDRESSES[:2] for _ in range(3)]
    assert_busy(refusal(port, address=ADDRESSES[2]))
    # The officer's console and a signed-in board still connect, and hear a call.
    console = stream(port, address=ADDRESSES[2], session=staff["bob"], query=f"?agency={staff['agency']}")
    board = stream(port, address=ADDRESSES[2], session=staff["papan-lobi"])
    manage(portal_env, "shell", "-c", CALL % staff["agency"])
    for screen in (console, board):
        while (line := screen.fp.readline()) != b"event: ticket\n":
            assert line, "the stream ended before the call came"
        assert json.loads(screen.fp.readline().removeprefix(b"data: "))["number"] == "B-001"
    # Staff may take the rest of the pool; past it every stream is refused at once.
    rest = [stream(port, session=staff["bob"]) for _ in range(4)]
    assert_busy(refusal(port, session=staff["bob"]))
    assert get(port, "/livez") == 200
    for response in [*anonymous, console, board, *rest]:
        response.close()


def test_streams_are_given_back_when_their_clients_leave(web_server):
    port, _process = web_server(workers=1, threads=2, **CAPPED)
    held = [stream(port, address=ADDRESSES[0]) for _ in range(3)]
    assert_busy(refusal(port, address=ADDRESSES[0]))
    held.pop().close()  # a board closed politely
    held.append(admitted_again(port, address=ADDRESSES[0]))
    cut_off(held.pop(0))  # a phone that lost its network
    held.append(admitted_again(port, address=ADDRESSES[0]))
    assert_busy(refusal(port, address=ADDRESSES[0]))
    for response in held:
        response.close()


def test_a_full_stream_pool_refuses_at_once_and_takes_streams_again(web_server, staff):
    port, _process = web_server(workers=1, threads=2, **CAPPED)
    screens = [stream(port, session=staff["bob"]) for _ in range(12)]
    assert_busy(refusal(port, session=staff["bob"]))
    assert_busy(refusal(port, address=ADDRESSES[0]))
    cut_off(screens.pop())
    screens.append(admitted_again(port, session=staff["bob"]))
    for response in screens:
        response.close()
