"""Every table of the queueing app, one module per sub-domain; each name is
re-exported here, so ``from queueing.models import Booking`` works for all of them.
The slices (bookings, floor, notifications, surveys, office) sit above these and
import them; nothing here imports a slice."""

from queueing.models.bookings import ACTIVE_BOOKING, Booking, BookingQuerySet, BookingStatus, ServiceDay, mask_nik
from queueing.models.notifications import (
    MESSAGE_TEMPLATES_CACHE_KEY,
    URGENT_EVENTS,
    Channel,
    MessageTemplate,
    Notification,
    NotificationAttempt,
    NotificationEvent,
    NotificationQuerySet,
    NotificationStatus,
    local_wording,
)
from queueing.models.shared import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Language,
    PriorityGroup,
    format_code,
    new_code,
    normalize_code,
)
from queueing.models.surveys import SURVEY_ELEMENTS, Survey
from queueing.models.tickets import (
    AT_COUNTER,
    OPEN_TICKET,
    Announcement,
    DailySequence,
    RequestStatus,
    ServiceRequest,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketQuerySet,
    TicketStatus,
)

__all__ = [
    "ACTIVE_BOOKING",
    "AT_COUNTER",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MESSAGE_TEMPLATES_CACHE_KEY",
    "OPEN_TICKET",
    "SURVEY_ELEMENTS",
    "URGENT_EVENTS",
    "Announcement",
    "Booking",
    "BookingQuerySet",
    "BookingStatus",
    "Channel",
    "DailySequence",
    "Language",
    "MessageTemplate",
    "Notification",
    "NotificationAttempt",
    "NotificationEvent",
    "NotificationQuerySet",
    "NotificationStatus",
    "PriorityGroup",
    "RequestStatus",
    "ServiceDay",
    "ServiceRequest",
    "Survey",
    "Ticket",
    "TicketAction",
    "TicketEvent",
    "TicketQuerySet",
    "TicketStatus",
    "format_code",
    "local_wording",
    "mask_nik",
    "new_code",
    "normalize_code",
]
