"""Server-sent events for the display board and the officer console.

A stream sends ``retry`` (the browser reconnects by itself after 2 s), a ``hello``
event, then every live event of the chosen agency (or all), and a comment line as a
heartbeat every ``LIVE_HEARTBEAT_SECONDS`` (15 s) so proxies keep it open and a dead
client is noticed. It ends after five minutes; the browser reconnects and the worker
thread is freed. Events carry no personal data: numbers, counters, services and
agencies only.

Streams are few per web worker (``WEB_STREAMS``), and the staff's screens come first: a
stream opened by a signed-in account (an officer's console, or a board signed in with
the kiosk device account or a staff session) is always let through here, while
anonymous ones may take only ``LIVE_ANONYMOUS_SHARE`` of the worker's streams and
``LIVE_STREAMS_PER_ADDRESS`` per client address. A refused stream is answered 503 with
Retry-After; the pages' scripts wait longer after each refusal.
"""

import json

from django.conf import settings
from django.db import connection
from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mpp_common.params import parse_id
from mpp_common.throttling import client_address
from queueing.floor import live

RETRY_AFTER_SECONDS = 10


def _relevant(event: dict, agency_id: int | None) -> bool:
    return agency_id is None or agency_id in (event.get("agency"), event.get("issuing_agency"))


def _staff_screen(user) -> bool:
    # Every account is the mall's staff or one of its devices: citizens never sign in.
    return user.is_authenticated and user.is_active


def _refused(request, reason: str) -> JsonResponse:
    detail = {
        "full": _("Siaran langsung untuk umum sedang penuh; coba lagi sebentar lagi."),
        "address": _("Terlalu banyak siaran langsung dari alamat ini; tutup yang tidak dipakai atau coba lagi nanti."),
    }[reason]
    response = JsonResponse({"detail": detail, "code": f"live_{reason}"}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # The portal holding off a flood of screens, not a fault: a warning, which Django
    # then does not log again as the error it makes of every 5xx.
    log_response(
        "Live stream refused (%s): %s", reason, request.path, response=response, request=request, level="warning"
    )
    return response


class _Held:
    """The stream's chunks; closing them (at the end, or when the client is gone)
    gives its place back, even if the stream never started."""

    def __init__(self, chunks, give_back):
        self.chunks, self.give_back = chunks, give_back

    def __iter__(self):
        return self.chunks

    def close(self) -> None:
        try:
            self.chunks.close()
        finally:
            self.give_back()


# Only a GET is a stream the web worker runs on its stream threads (mpp_portal/web.py);
# any other method would hold a request thread for as long as the stream lasts.
@require_GET
def events(request):
    try:
        agency_id = parse_id(request.GET.get("agency"))
    except ValueError:
        return HttpResponseBadRequest("agency harus berupa angka / agency must be a number")
    give_back = None
    if not _staff_screen(request.user):
        admitted = live.anonymous_streams.admit(
            address=client_address(request),
            limit=int(settings.WEB_STREAMS * settings.LIVE_ANONYMOUS_SHARE),
            per_address=settings.LIVE_STREAMS_PER_ADDRESS,
        )
        if isinstance(admitted, str):
            return _refused(request, admitted)
        give_back = admitted
    # The stream holds no database connection while it waits.
    connection.close()

    def stream():
        yield "retry: 2000\n\n"
        yield "event: hello\ndata: {}\n\n"
        for event in live.listen(heartbeat_seconds=settings.LIVE_HEARTBEAT_SECONDS):
            if event is None:
                yield ": ping\n\n"
            elif _relevant(event, agency_id):
                yield f"event: {event.get('type', 'message')}\ndata: {json.dumps(event)}\n\n"

    chunks = stream() if give_back is None else _Held(stream(), give_back)
    response = StreamingHttpResponse(chunks, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
