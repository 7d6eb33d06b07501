"""Server-sent events for the display board and the officer console.

A stream sends ``retry`` (the browser reconnects by itself after 2 s), a ``hello``
event, then every live event of the chosen agency (or all), and a comment line as a
heartbeat every 15 s so proxies keep it open and a dead client is noticed. It ends
after five minutes; the browser reconnects and the worker thread is freed. Events carry
no personal data: numbers, counters, services and agencies only.
"""

import json

from django.db import connection
from django.http import HttpResponseBadRequest, StreamingHttpResponse

from mpp_common.params import parse_id
from queueing.floor import live


def _relevant(event: dict, agency_id: int | None) -> bool:
    return agency_id is None or agency_id in (event.get("agency"), event.get("issuing_agency"))


def events(request):
    try:
        agency_id = parse_id(request.GET.get("agency"))
    except ValueError:
        return HttpResponseBadRequest("agency harus berupa angka / agency must be a number")
    # The stream holds no database connection while it waits.
    connection.close()

    def stream():
        yield "retry: 2000\n\n"
        yield "event: hello\ndata: {}\n\n"
        for event in live.listen():
            if event is None:
                yield ": ping\n\n"
            elif _relevant(event, agency_id):
                yield f"event: {event.get('type', 'message')}\ndata: {json.dumps(event)}\n\n"

    response = StreamingHttpResponse(stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
