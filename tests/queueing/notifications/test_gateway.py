"""The HTTP gateway client: one kept-alive connection per worker thread, and what
happens when the gateway closes it."""

import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from queueing.notifications import gateway


class KeepAliveGateway:
    """An HTTP/1.1 gateway, as real ones are: it keeps connections open and records,
    for each request, which connection carried it. ``close_after_answer`` makes it
    drop the connection after answering without saying so (as a gateway does with
    idle connections)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.close_after_answer = False
        self.script: list[int] = []
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> "KeepAliveGateway":
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status = recorder.script.pop(0) if recorder.script else 200
                recorder.received.append(
                    {
                        **body,
                        "connection": self.client_address[1],
                        "authorization": self.headers.get("Authorization"),
                        "answer": status,
                    }
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")
                self.wfile.flush()
                self.close_connection = recorder.close_after_answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def keep_alive(settings):
    fake = KeepAliveGateway().start()
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_GATEWAY_TOKEN = "gateway-token"
    yield fake
    fake.stop()
    gateway._drop_connection(gateway.urllib.parse.urlsplit(fake.url))


def send(notification_id: str) -> gateway.Outcome:
    return gateway.deliver(
        notification_id=notification_id, channel="sms", to="+6281234567890", subject="", message="Hai"
    )


def test_messages_share_one_connection_and_each_carries_its_token_and_id(keep_alive):
    outcomes = [send(f"id-{n}") for n in range(3)]
    assert [outcome.result for outcome in outcomes] == ["sent"] * 3
    assert [item["id"] for item in keep_alive.received] == ["id-0", "id-1", "id-2"]
    assert {item["authorization"] for item in keep_alive.received} == {"Bearer gateway-token"}
    assert len({item["connection"] for item in keep_alive.received}) == 1


def test_a_gateway_that_writes_headers_and_body_apart_costs_no_delayed_ack(keep_alive):
    """The test gateway answers in two writes, as Python's http.server does; on a
    kept-alive connection a delayed ACK would make each message wait about 40 ms."""
    started = time.monotonic()
    for n in range(20):
        assert send(f"id-{n}").result == "sent"
    assert time.monotonic() - started < 0.4


def test_a_connection_the_gateway_closed_is_replaced_without_a_lost_or_failed_message(keep_alive):
    keep_alive.close_after_answer = True
    outcomes = [send(f"id-{n}") for n in range(3)]
    assert [outcome.result for outcome in outcomes] == ["sent"] * 3
    assert [item["id"] for item in keep_alive.received] == ["id-0", "id-1", "id-2"]  # each once


def test_error_answers_keep_the_connection_and_are_sorted(keep_alive):
    keep_alive.script = [503, 429, 400]
    outcomes = [send("same-id") for _ in range(4)]
    assert [(outcome.result, outcome.status_code) for outcome in outcomes] == [
        ("retry", 503),
        ("retry", 429),
        ("failed", 400),
        ("sent", 200),
    ]
    assert {item["id"] for item in keep_alive.received} == {"same-id"}
    assert len({item["connection"] for item in keep_alive.received}) == 1


def test_each_thread_has_its_own_connection(keep_alive):
    send("main")
    thread = threading.Thread(target=send, args=("other",))
    thread.start()
    thread.join()
    assert len({item["connection"] for item in keep_alive.received}) == 2


def test_a_gateway_that_went_away_is_a_retry(keep_alive):
    keep_alive.close_after_answer = True
    send("first")
    keep_alive.stop()  # the kept connection is closed and a new one is refused
    outcome = send("second")
    assert outcome.result == "retry"
    assert outcome.status_code is None
    assert outcome.detail


def test_a_proxy_from_the_environment_is_still_used(settings, monkeypatch):
    """Behind HTTP_PROXY the request goes through urllib, which knows proxies."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    settings.SMS_GATEWAY_URL = "http://gateway.example/send"
    gateway._proxied.cache_clear()  # the environment is read once per process
    outcome = send("proxied")
    gateway._proxied.cache_clear()
    assert outcome.result == "retry"
    assert "refused" in outcome.detail.lower()


def test_the_send_task_keeps_no_result_and_is_acknowledged_after_it_ran():
    from queueing.tasks import send_notifications

    assert send_notifications.ignore_result
    assert send_notifications.acks_late


def test_a_proxy_is_used_even_after_other_code_opened_a_url_without_one(settings, monkeypatch):
    """urlopen's process-wide opener keeps the proxies of its first use; the gateway
    must not depend on it."""
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.setattr(urllib.request, "_opener", None)
    urllib.request.install_opener(urllib.request.build_opener())  # built with no proxy
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    settings.SMS_GATEWAY_URL = "http://gateway.example/send"
    gateway._proxied.cache_clear()
    outcome = send("proxied")
    gateway._proxied.cache_clear()
    assert outcome.result == "retry"
    assert "refused" in outcome.detail.lower()
