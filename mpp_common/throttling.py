import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle


class SwitchableAnonRateThrottle(AnonRateThrottle):
    """Per client address; RATELIMIT_ENABLED=0 switches it off (load tests)."""

    def allow_request(self, request, view) -> bool:
        return not settings.RATELIMIT_ENABLED or super().allow_request(request, view)


class SwitchableScopedRateThrottle(ScopedRateThrottle):
    """Per client address and the view's ``throttle_scope``; off with RATELIMIT_ENABLED=0."""

    def allow_request(self, request, view) -> bool:
        return not settings.RATELIMIT_ENABLED or super().allow_request(request, view)


def too_many(request, *, scope: str, limit: int, period: int = 60) -> bool:
    """True once a client address has made more than ``limit`` requests of ``scope``
    in the current ``period`` seconds (for pages outside the API, such as a login)."""
    if not settings.RATELIMIT_ENABLED:
        return False
    window = int(time.time() // period)
    key = f"throttle:{scope}:{request.META.get('REMOTE_ADDR', '')}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False
