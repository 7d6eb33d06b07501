"""The shared cache, and what it answers while Redis is down.

Nothing the portal keeps in the cache is needed to answer a request: rate-limit
counters, estimates and wording copies, a kiosk form's ticket. So while Redis cannot be
reached, ``FailOpenRedisCache`` answers as an empty cache that forgets what it is given
(reads miss, writes are dropped, ``add`` succeeds, ``incr`` finds no key), and the
request goes on: rate limits and the per-number cap are open until Redis is back.
"""

import functools
import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# One warning in this many seconds per process, however many requests pass meanwhile.
_WARN_EVERY_SECONDS = 10.0
_last_warning = [0.0]


def unreachable(what: str) -> None:
    """Log that Redis could not be reached for ``what``, at most once in a while."""
    now = time.monotonic()
    if now - _last_warning[0] >= _WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning("Redis unreachable (%s): going on without it", what)


def _fail_open(method, answer):
    """``method`` of the Redis cache, answering ``answer(*args, **kwargs)`` instead of
    raising while Redis is unreachable."""

    @functools.wraps(method)
    def fail_open(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE:
            unreachable(f"cache {method.__name__}")
            return answer(*args, **kwargs)

    return fail_open


def _not_found(key, *_args, **_kwargs):
    raise ValueError(f"Key {key!r} not found: the cache is unreachable.")


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is unreachable."""

    get = _fail_open(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _fail_open(RedisCache.get_many, lambda *_args, **_kwargs: {})
    has_key = _fail_open(RedisCache.has_key, lambda *_args, **_kwargs: False)
    add = _fail_open(RedisCache.add, lambda *_args, **_kwargs: True)
    set = _fail_open(RedisCache.set, lambda *_args, **_kwargs: None)
    set_many = _fail_open(RedisCache.set_many, lambda data, *_args, **_kwargs: list(data))
    touch = _fail_open(RedisCache.touch, lambda *_args, **_kwargs: False)
    delete = _fail_open(RedisCache.delete, lambda *_args, **_kwargs: False)
    delete_many = _fail_open(RedisCache.delete_many, lambda *_args, **_kwargs: None)
    # As for a missing key, which every caller of incr handles already.
    incr = _fail_open(RedisCache.incr, _not_found)


_COUNT = """
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return value
"""


def count(key: str, delta: int, *, timeout: int) -> int | None:
    """Add ``delta`` to the counter ``key`` (made at 0 when missing, kept ``timeout``
    seconds from now) and return its new value: one atomic round trip on Redis; None
    while Redis cannot be reached. In embedded mode's file cache the step is not atomic
    across processes (one machine, a handful of users)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        try:
            # One script, not MULTI/EXEC: a single command for the server and the client.
            value = backend._cache.get_client(full_key, write=True).register_script(_COUNT)(
                keys=[full_key], args=[delta, timeout]
            )
        except UNREACHABLE:
            unreachable("counter")
            return None
        return value
    backend.add(key, 0, timeout)
    try:
        return backend.incr(key, delta)
    except ValueError:  # expired between add and incr
        backend.set(key, delta, timeout)
        return delta
