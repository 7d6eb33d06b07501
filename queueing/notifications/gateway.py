"""Delivery of one message: SMS and WhatsApp through the HTTP gateway of CONTRACT.md,
email through Django's mail. Each answer is sorted into delivered, retry or final."""

import functools
import http.client
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# A kept-alive connection the gateway closed while it sat idle fails on the next
# request before any answer; those errors mean "send it again on a new connection".
STALE_CONNECTION_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass
class Outcome:
    result: str  # "sent", "retry", "failed" or "logged"
    status_code: int | None = None
    detail: str = ""
    duration_ms: int = 0


def _answer(status: int, reason: str) -> Outcome:
    if 200 <= status < 300:
        return Outcome("sent", status)
    # 4xx: the gateway refuses this message; sending it again changes nothing.
    # 429 and 5xx: the gateway is overloaded or broken; try again later.
    retry = status == 429 or status >= 500
    return Outcome("retry" if retry else "failed", status, reason or "")


# Connections to the gateway ------------------------------------------------------------

# One connection per worker thread and gateway address, kept open between messages: a
# worker sends many messages a second to the same gateway, and a new TCP (and TLS)
# connection for each one costs more than the request itself.
_connections = threading.local()


def _connection(url: urllib.parse.SplitResult) -> tuple[http.client.HTTPConnection, bool]:
    """This thread's connection to the gateway, and whether it has carried a request."""
    key = (url.scheme, url.hostname, url.port)
    pool = _connections.__dict__.setdefault("pool", {})
    if key in pool:
        return pool[key], True
    kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    pool[key] = kind(url.hostname, url.port, timeout=TIMEOUT_SECONDS)
    return pool[key], False


def _ack_at_once(connection: http.client.HTTPConnection) -> None:
    """On a kept-alive connection Linux delays its ACKs; a gateway that writes the
    headers and the body of its answer separately then holds the body back (Nagle)
    until that delayed ACK comes, for every message. Asking for the next ACK
    at once, before the answer arrives, avoids the wait (the flag does not stick,
    hence each time)."""
    if hasattr(socket, "TCP_QUICKACK") and connection.sock is not None:
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)


def _drop_connection(url: urllib.parse.SplitResult) -> None:
    connection = _connections.__dict__.get("pool", {}).pop((url.scheme, url.hostname, url.port), None)
    if connection is not None:
        connection.close()


def _post_kept_alive(url: urllib.parse.SplitResult, body: bytes, headers: dict) -> Outcome:
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    while True:
        connection, reused = _connection(url)
        try:
            connection.request("POST", path, body=body, headers=headers)
            _ack_at_once(connection)
            response = connection.getresponse()
            response.read()  # the whole answer, so the connection can carry the next request
        except STALE_CONNECTION_ERRORS:
            _drop_connection(url)
            if reused:
                continue  # the gateway closed it while idle; the same id, so no duplicate
            raise
        except BaseException:
            _drop_connection(url)
            raise
        if response.will_close:
            _drop_connection(url)
        return _answer(response.status, response.reason)


def _post_through_urllib(url: str, body: bytes, headers: dict) -> Outcome:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 - operator's URL
    try:
        # An opener of its own, not urlopen's process-wide one: that one keeps the proxies
        # of whenever any code first opened a URL.
        with urllib.request.build_opener().open(request, timeout=TIMEOUT_SECONDS) as response:
            return Outcome("sent", response.status)
    except urllib.error.HTTPError as error:
        return _answer(error.code, error.reason)


def _post_gateway(*, notification_id: str, channel: str, to: str, message: str) -> Outcome:
    body = json.dumps({"to": to, "channel": channel, "message": message, "id": notification_id}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"}
    url = urllib.parse.urlsplit(settings.SMS_GATEWAY_URL)
    try:
        if url.scheme in ("http", "https") and not _behind_proxy(url):
            return _post_kept_alive(url, body, headers)
        return _post_through_urllib(settings.SMS_GATEWAY_URL, body, headers)
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError, OSError) as error:
        return Outcome("retry", None, str(getattr(error, "reason", error) or type(error).__name__)[:300])


def _behind_proxy(url: urllib.parse.SplitResult) -> bool:
    """An operator who sends through an HTTP proxy (HTTPS_PROXY and the like) keeps
    it: those requests go through urllib, which knows proxies, one connection each."""
    return _proxied(url.scheme, url.hostname or "")


@functools.cache
def _proxied(scheme: str, host: str) -> bool:
    # Read once per gateway address: looking through the whole environment on every
    # message cost as much as the HTTP request itself.
    return scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(host)


def _send_email(*, to: str, subject: str, message: str) -> Outcome:
    try:
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception as error:  # noqa: BLE001 - SMTP and socket errors alike are retried
        return Outcome("retry", None, f"{type(error).__name__}: {error}"[:300])
    return Outcome("sent")


def deliver(*, notification_id: str, channel: str, to: str, subject: str, message: str) -> Outcome:
    started = time.monotonic()
    if channel == "email":
        outcome = _send_email(to=to, subject=subject, message=message)
    elif settings.SMS_GATEWAY_URL:
        outcome = _post_gateway(notification_id=notification_id, channel=channel, to=to, message=message)
    else:
        # No gateway configured (embedded mode, development): the message is kept in
        # the outbox, where staff read it; the log says only that it is there, since its
        # text carries the code and the name.
        logger.info("%s message %s kept in the outbox (no gateway configured)", channel, notification_id)
        outcome = Outcome("logged", detail="no gateway configured")
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome
