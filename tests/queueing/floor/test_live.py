"""The live event stream delivers a call to a listening board (Redis pub/sub in CI,
the file cache in embedded mode); anonymous streams are capped, signed-in screens come
first (the real server's caps: tests/mpp_portal/test_web.py)."""

import datetime as dt
import http.client
import json
import logging
import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

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


@pytest.fixture
def few_streams(settings):
    """Four streams per worker, two of them for anonymous screens, at most two per address."""
    settings.WEB_STREAMS, settings.LIVE_ANONYMOUS_SHARE, settings.LIVE_STREAMS_PER_ADDRESS = 4, 0.5, 2


# The stream closes its database connection: no test transaction around it.
@pytest.mark.django_db(transaction=True)
def test_anonymous_streams_past_their_share_are_refused_in_the_readers_language(client, few_streams, bob):
    held = [client.get("/live/events/") for _ in range(2)]
    assert [response.status_code for response in held] == [200, 200]
    refused = client.get("/live/events/", REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 503
    assert int(refused["Retry-After"]) > 0
    assert refused.json() == {
        "detail": "Siaran langsung untuk umum sedang penuh; coba lagi sebentar lagi.",
        "code": "live_full",
    }
    english = client.get("/live/events/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "Live updates for the public are full; try again shortly."
    # A signed-in officer's console is let through all the same.
    client.force_login(bob)
    console = client.get("/live/events/")
    assert console.status_code == 200
    console.close()
    # A stream closed before it ever started gives its place back too.
    held.pop().close()
    client.logout()
    held.append(client.get("/live/events/"))
    assert held[-1].status_code == 200
    for response in held:
        response.close()


@pytest.mark.django_db(transaction=True)
def test_one_address_holds_at_most_its_own_few_streams(client, few_streams, settings):
    settings.WEB_STREAMS = 10
    held = [client.get("/live/events/") for _ in range(2)]
    refused = client.get("/live/events/")
    assert (refused.status_code, refused.json()["code"]) == (503, "live_address")
    assert refused.json()["detail"].startswith("Terlalu banyak siaran langsung dari alamat ini")
    held.append(client.get("/live/events/", REMOTE_ADDR="192.0.2.7"))
    assert held[-1].status_code == 200
    for response in held:
        response.close()


@pytest.mark.django_db(transaction=True)
def test_a_board_signed_in_with_the_kiosk_account_is_a_staff_screen(client, few_streams, kiosk):
    held = [client.get("/live/events/", REMOTE_ADDR=address) for address in ("192.0.2.7", "192.0.2.8")]
    assert client.get("/live/events/").status_code == 503
    # The board's screen signs in once with the mall's kiosk device account, then shows the board.
    board = reverse("display-board") + "?agency=1"
    signed_in = client.post(
        reverse("kiosk-login"), {"username": "kiosk-lobi", "password": "rahasia-uji-2026", "next": board}
    )
    assert signed_in["Location"] == board
    stream = client.get("/live/events/")
    assert stream.status_code == 200
    for response in [*held, stream]:
        response.close()


@pytest.mark.django_db
def test_only_a_get_opens_a_stream(client):
    # The web worker runs GET /live/… on its stream threads; anything else would hold a
    # request thread for five minutes.
    assert client.head("/live/events/").status_code == 405
    assert client.post("/live/events/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_refused_stream_is_a_warning_in_the_log_not_an_error(client, few_streams, caplog):
    # A flood of anonymous screens is the portal protecting itself, not a fault to page
    # an operator for.
    held = [client.get("/live/events/") for _ in range(2)]
    with caplog.at_level(logging.INFO):
        refused = client.get("/live/events/", REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 503
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert [record.levelno for record in caplog.records if "refused" in record.getMessage()] == [logging.WARNING]
    for response in held:
        response.close()
