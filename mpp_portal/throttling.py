from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle


class SwitchableAnonRateThrottle(AnonRateThrottle):
    """Per client address; RATELIMIT_ENABLED=0 switches it off (load tests)."""

    def allow_request(self, request, view) -> bool:
        return not settings.RATELIMIT_ENABLED or super().allow_request(request, view)


class SwitchableScopedRateThrottle(ScopedRateThrottle):
    """Per client address and the view's ``throttle_scope``; off with RATELIMIT_ENABLED=0."""

    def allow_request(self, request, view) -> bool:
        return not settings.RATELIMIT_ENABLED or super().allow_request(request, view)
