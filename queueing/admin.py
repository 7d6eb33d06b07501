"""The app's administration, where Django's discovery looks for it: each slice
registers its own models."""

from queueing.bookings import admin as bookings_admin
from queueing.floor import admin as floor_admin
from queueing.notifications import admin as notifications_admin
from queueing.surveys import admin as surveys_admin

__all__ = ["bookings_admin", "floor_admin", "notifications_admin", "surveys_admin"]
