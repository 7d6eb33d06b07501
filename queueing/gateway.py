"""Delivery of one message: SMS and WhatsApp through the HTTP gateway of CONTRACT.md,
email through Django's mail. Each answer is sorted into delivered, retry or final."""

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


@dataclass
class Outcome:
    result: str  # "sent", "retry", "failed" or "logged"
    status_code: int | None = None
    detail: str = ""
    duration_ms: int = 0


def _post_gateway(*, notification_id: str, channel: str, to: str, message: str) -> Outcome:
    body = json.dumps({"to": to, "channel": channel, "message": message, "id": notification_id}).encode()
    request = urllib.request.Request(  # noqa: S310 - the gateway URL is the operator's setting
        settings.SMS_GATEWAY_URL,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Outcome("sent", response.status)
    except urllib.error.HTTPError as error:
        # 4xx: the gateway refuses this message; sending it again changes nothing.
        # 429 and 5xx: the gateway is overloaded or broken; try again later.
        retry = error.code == 429 or error.code >= 500
        return Outcome("retry" if retry else "failed", error.code, error.reason or "")
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        return Outcome("retry", None, str(getattr(error, "reason", error))[:300])


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
        # the outbox and written to the log, without the recipient's number.
        logger.info("%s message %s (no gateway configured): %s", channel, notification_id, message)
        outcome = Outcome("logged", detail="no gateway configured")
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome
