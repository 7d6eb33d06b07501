"""Notices to staff of MoUs that end soon: 90, 30 and 7 days before an MoU's last day,
by email to the agency's supervisors and to DPMPTSP's administrators, written to the
outbox by a scan beat runs every morning (``notifications_write_mou_expiry``).

Each notice is written once per MoU, end date, threshold and person (its dedupe key):
running the scan twice on a day, or on every day in between, writes nothing more. A
day the scan missed is caught up by the next run, with the notice of the nearest
threshold only (an MoU found 20 days before its end gets the 30-day notice, not the
90-day one too). A renewal, whether a new MoU or a later end date on the same one,
starts notices of its own; an MoU that a later one of the same agency already covers
gets none.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone, translation

from agencies.models import Agreement, User
from queueing.models import Channel, Notification, NotificationEvent
from queueing.notifications.composing import link
from queueing.notifications.outbox import dedupe_key, message_rows, save_rows

# Days before an MoU's last day when its staff are told.
THRESHOLDS = (90, 30, 7)
LANGUAGE = "id"


def notice_threshold(days_left: int) -> int | None:
    """The notice due for an MoU that ends in ``days_left`` days: the nearest threshold
    at or above it; None before the first one and once it has ended."""
    due = [threshold for threshold in THRESHOLDS if 0 <= days_left <= threshold]
    return min(due) if due else None


def notice_key(agreement: Agreement, threshold: int, user_id: int) -> str:
    return f"{NotificationEvent.MOU_EXPIRING}:{agreement.pk}:{agreement.valid_until.isoformat()}:{threshold}:{user_id}"


def _values(agreement: Agreement, days_left: int) -> dict:
    with translation.override(LANGUAGE):
        day = formats.date_format(agreement.valid_until, "j M Y")
    return {
        "agency": agreement.agency.name,
        "number": agreement.number,
        "date": day,
        "days": days_left,
        "link": link(reverse("office-mou")),
    }


def notifications_write_mou_expiry(*, today: dt.date | None = None) -> int:
    """Write the MoU notices due ``today`` (beat runs this every morning) and have them
    sent; answers how many rows were written."""
    today = today or timezone.localdate()
    # An MoU another one of its agency outlasts (a renewal already signed) needs no notice.
    outlasted = Exists(
        Agreement.objects.filter(agency=OuterRef("agency"))
        .exclude(pk=OuterRef("pk"))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until")))
    )
    agreements = list(
        Agreement.objects.expiring(on=today, within=max(THRESHOLDS))
        .filter(agency__active=True)
        .exclude(outlasted)
        .select_related("agency")
        .order_by("valid_until", "pk")
    )
    if not agreements:
        return 0
    admins, supervisors = User.objects.office_staff_to_tell({agreement.agency_id for agreement in agreements})
    due = []
    for agreement in agreements:
        days_left = agreement.days_left(today)
        threshold = notice_threshold(days_left)
        if threshold is None:
            continue
        people = {user.pk: user for user in [*supervisors.get(agreement.agency_id, []), *admins]}
        due += [(agreement, days_left, notice_key(agreement, threshold, pk), user) for pk, user in people.items()]
    with transaction.atomic():
        written = set(
            Notification.objects.filter(
                dedupe_key__in=[dedupe_key(key, Channel.EMAIL) for _a, _d, key, _u in due]
            ).values_list("dedupe_key", flat=True)
        )
        rows = []
        for agreement, days_left, key, user in due:
            if dedupe_key(key, Channel.EMAIL) in written:
                continue
            for row in message_rows(
                event=NotificationEvent.MOU_EXPIRING,
                language=LANGUAGE,
                values=_values(agreement, days_left),
                recipients=[(Channel.EMAIL, user.email)],
                key=key,
                due_at=timezone.now(),
            ):
                # The agency's own, for the staff's filter of the outbox.
                row.agency_id = agreement.agency_id
                rows.append(row)
        save_rows(rows)
    return len(rows)
