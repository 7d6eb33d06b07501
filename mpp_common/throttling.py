import ipaddress

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle

# Longer than any address written out (an IPv6 one with its zone is under 64): a
# header entry beyond this is not looked at.
_LONGEST_ADDRESS = 64


def client_address(request) -> str:
    """The address every rate limit counts by: the connection's, unless
    ``TRUSTED_PROXIES`` proxies stand in front. Each of them appends the address it
    saw to X-Forwarded-For, so the Nth entry from the right is the one the first of
    them saw; anything left of it the client wrote itself. A header with fewer
    entries, or an entry there that is no address, is not believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", proxies)
    if len(hops) < proxies:
        return remote
    seen = hops[-proxies].strip()
    if len(seen) > _LONGEST_ADDRESS:
        return remote
    try:
        return str(ipaddress.ip_address(seen))
    except ValueError:
        return remote


class _ByClientAddress:
    def get_ident(self, request) -> str:
        return client_address(request)

    def allow_request(self, request, view) -> bool:
        return not settings.RATELIMIT_ENABLED or super().allow_request(request, view)


class SwitchableAnonRateThrottle(_ByClientAddress, AnonRateThrottle):
    """Per client address; RATELIMIT_ENABLED=0 switches it off (load tests)."""


class SwitchableScopedRateThrottle(_ByClientAddress, ScopedRateThrottle):
    """Per client address and the view's ``throttle_scope``; off with RATELIMIT_ENABLED=0."""
