"""The messages about complaints: the agency's answer to the citizen who left a contact
and consented, and the daily word to staff about complaints past their deadline. Each
runs inside the caller's transaction (``outbox``)."""

import datetime as dt

from django.urls import reverse
from django.utils import translation

from queueing.models import Channel, Complaint, ComplaintAct, Notification, NotificationEvent
from queueing.notifications.composing import link, page_link
from queueing.notifications.outbox import message_rows, save_rows

# An SMS carries the start of a long answer; the page linked has all of it.
ANSWER_IN_MESSAGE = 300


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def complaint_values(complaint: Complaint, act: ComplaintAct) -> dict:
    """What the answer's message says, in the citizen's language."""
    with translation.override(complaint.language):
        agency = complaint.agency.in_language(complaint.language).name if complaint.agency else "DPMPTSP"
        status = str(act.get_to_status_display())
    return {
        "code": complaint.display_code,
        "agency": agency,
        "status": status,
        "answer": _shortened(act.answer, ANSWER_IN_MESSAGE),
        "link": page_link("complaint-detail", complaint.display_code),
    }


def complaint_recipients(complaint: Complaint) -> list[tuple[str, str]]:
    """(channel, address): SMS to the phone and email to the address the citizen left,
    only with their consent."""
    if complaint.consent_at is None:
        return []
    pairs = []
    if complaint.phone:
        pairs.append((Channel.SMS, complaint.phone))
    if complaint.email:
        pairs.append((Channel.EMAIL, complaint.email))
    return pairs


def notify_complaint_answered(complaint: Complaint, act: ComplaintAct, *, now: dt.datetime) -> list[Notification]:
    """The agency's answer ``act`` to the citizen, once per answer and channel."""
    rows = message_rows(
        event=NotificationEvent.COMPLAINT_ANSWERED,
        language=complaint.language,
        values=complaint_values(complaint, act),
        recipients=complaint_recipients(complaint),
        key=f"{NotificationEvent.COMPLAINT_ANSWERED}:{complaint.code}:{act.pk}",
        due_at=now,
    )
    for row in rows:
        row.agency_id = complaint.agency_id
    return save_rows(rows)


def notify_complaints_overdue(
    *, email: str, complaints: list[Complaint], key: str, now: dt.datetime, agency_id: int | None = None
) -> list[Notification]:
    """One email to a staff member naming the complaints past their deadline (their
    numbers in the office's list and their deadlines, never the citizen's code, which
    opens the complaint to whoever holds it), with the link to the office's list.
    ``key`` keeps it to one."""
    if not complaints:
        return []
    listed = "; ".join(f"No. {c.pk} ({c.respond_by:%d-%m-%Y})" for c in complaints)
    rows = message_rows(
        event=NotificationEvent.COMPLAINTS_OVERDUE,
        language="id",
        values={
            "count": len(complaints),
            "complaints": listed,
            "link": link(reverse("office-complaints") + "?overdue=1"),
        },
        recipients=[(Channel.EMAIL, email)],
        key=key,
        due_at=now,
    )
    for row in rows:
        row.agency_id = agency_id
    return save_rows(rows)
