"""The shared cache while Redis is unreachable: an empty cache that forgets, so rate
limits are open and nothing raises; and the atomic counter the per-number cap uses."""

import socket
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.test.client import RequestFactory

from mpp_common.cache import count
from mpp_common.throttling import SwitchableAnonRateThrottle
from tests.require import missing


@pytest.fixture
def redis_away(settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "mpp_common.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.RATELIMIT_ENABLED = True


def test_an_unreachable_redis_answers_as_an_empty_cache(redis_away):
    cache.set("a", 1)
    assert cache.get("a") is None
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is True
    assert cache.delete("a") is False
    with pytest.raises(ValueError):
        cache.incr("a")
    assert count("counter", 1, timeout=60) is None


def test_rate_limits_are_open_while_redis_is_unreachable(redis_away):
    request = RequestFactory().post("/api/v1/bookings/", REMOTE_ADDR="192.0.2.7")
    request.user = AnonymousUser()
    throttle = SwitchableAnonRateThrottle()
    assert all(throttle.allow_request(request, None) for _ in range(3))


@pytest.mark.redis
def test_the_counter_is_atomic_and_expires(settings):
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        missing("Redis (set REDIS_URL): the counter is atomic on Redis only")
    results = []

    def bump():
        results.append(count("atomic", 1, timeout=60))

    threads = [threading.Thread(target=bump) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(1, 21))
    assert count("atomic", -1, timeout=60) == 19
    assert cache.get("atomic") == 19
    key = caches["default"].make_and_validate_key("atomic")
    assert 0 < caches["default"]._cache.get_client(key).ttl(key) <= 60
