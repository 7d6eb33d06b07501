from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from mpp_portal.tasks import HEARTBEAT_KEY


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


@never_cache
def healthz(request):
    body = {"database": _database(), "broker": _broker()}
    try:
        body["worker_heartbeat"] = cache.get(HEARTBEAT_KEY)
    except Exception:  # noqa: BLE001 - the cache is Redis, already reported as broker
        body["worker_heartbeat"] = None
    healthy = body["database"] == "ok" and body["broker"] in ("ok", "embedded")
    return JsonResponse(body, status=200 if healthy else 503)
