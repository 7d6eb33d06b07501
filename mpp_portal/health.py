"""Health endpoints. ``/livez``: the process answers. ``/readyz`` (also ``/healthz``):
the database and the broker answer, and the scheduled jobs and the outbox watch have
reported within ``HEARTBEAT_STALE_SECONDS``."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from mpp_portal.tasks import HEARTBEAT_KEY
from queueing.notifications.watcher import WATCH_HEARTBEAT_KEY


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means the dependency is down
        return "down"


def _broker() -> str:
    if settings.EMBEDDED:
        return "embedded"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
        return "ok"
    except redis.RedisError:
        return "down"


def _heartbeat(key: str) -> str | None:
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is Redis, already reported as broker
        return None


def _fresh(heartbeat: str | None) -> str:
    """``ok`` when ``heartbeat`` (an ISO time) is younger than HEARTBEAT_STALE_SECONDS."""
    try:
        age = timezone.now() - dt.datetime.fromisoformat(heartbeat)
    except (TypeError, ValueError):
        return "stopped"
    return "ok" if age <= dt.timedelta(seconds=settings.HEARTBEAT_STALE_SECONDS) else "stopped"


@never_cache
def readyz(request):
    body = {"database": _database(), "broker": _broker(), "worker_heartbeat": _heartbeat(HEARTBEAT_KEY)}
    body["scheduled_jobs"] = _fresh(body["worker_heartbeat"])
    if settings.EMBEDDED:
        # No watch in embedded mode: the writers enqueue their notifications themselves.
        body["outbox_watch_heartbeat"] = None
        body["outbox_watch"] = "embedded"
    else:
        body["outbox_watch_heartbeat"] = _heartbeat(WATCH_HEARTBEAT_KEY)
        body["outbox_watch"] = _fresh(body["outbox_watch_heartbeat"])
    healthy = (
        body["database"] == "ok"
        and body["broker"] in ("ok", "embedded")
        and body["scheduled_jobs"] == "ok"
        and body["outbox_watch"] in ("ok", "embedded")
    )
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def livez(request):
    """Touches nothing: a process that answers at all is alive."""
    return JsonResponse({"status": "alive"})
