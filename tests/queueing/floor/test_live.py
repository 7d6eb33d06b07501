"""The live event stream delivers a call to a listening board (Redis pub/sub in CI,
the file cache in embedded mode)."""

import datetime as dt
import http.client
import json
import time
from urllib.parse import urlsplit

import pytest

from queueing.floor.tickets import ticket_call_next, ticket_issue_walk_in
from tests.factories import OpeningHoursFactory, ServiceFactory


def read_events(response, until: str, timeout: float = 10.0) -> list[dict]:
    """Reads server-sent events until one of type ``until`` arrives."""
    seen, event_type, deadline = [], None, time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = response.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event_type = line.removeprefix("event: ")
        elif line.startswith("data: "):
            seen.append({"type": event_type, "data": json.loads(line.removeprefix("data: "))})
            if event_type == until:
                return seen
    raise AssertionError(f"no {until} event within {timeout} s; saw {seen}")


@pytest.fixture
def stream(live_server):
    def open_stream(query=""):
        parts = urlsplit(live_server.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        connection.request("GET", f"/live/events/{query}")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream"
        read_events(response, "hello")
        return response

    return open_stream


@pytest.mark.django_db(transaction=True)
def test_a_call_reaches_a_listening_board(stream, kk, counter, bob):
    board = stream(f"?agency={kk.agency_id}")
    ticket_issue_walk_in(service=kk)
    issued = read_events(board, "ticket")[-1]["data"]
    assert (issued["action"], issued["number"]) == ("issued", "B-001")
    ticket_call_next(counter=counter, officer=bob)
    called = read_events(board, "ticket")[-1]["data"]
    assert (called["action"], called["number"], called["counter"], called["spoken"]) == ("called", "B-001", 3, "B 1")
    assert "code" not in called and "ticket" not in called


@pytest.mark.django_db(transaction=True)
def test_a_board_of_another_agency_gets_only_its_own_events(stream, kk, samsat):
    pajak = ServiceFactory(agency=samsat, name="Pajak kendaraan")
    for weekday in range(7):
        OpeningHoursFactory(agency=samsat, weekday=weekday, opens=dt.time(0), closes=dt.time.max)
    board = stream(f"?agency={samsat.pk}")
    ticket_issue_walk_in(service=kk)
    ticket_issue_walk_in(service=pajak)
    events = [event for event in read_events(board, "ticket") if event["type"] == "ticket"]
    assert [event["data"]["number"] for event in events] == ["S-001"]


@pytest.mark.django_db
def test_a_garbage_agency_filter_is_a_400(client):
    assert client.get("/live/events/?agency=<x>").status_code == 400


def test_a_listener_ends_quietly_while_redis_is_down(settings):
    import socket

    from queueing.floor import live

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMBEDDED, settings.REDIS_URL = False, f"redis://127.0.0.1:{port}/0"
    live.redis_client.cache_clear()
    try:
        assert list(live.listen(heartbeat_seconds=0.1, stop_after=1)) == []
        live._send({"type": "called"})  # dropped with a log line, never raised
    finally:
        live.redis_client.cache_clear()
