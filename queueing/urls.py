"""Every URL of the queueing app: each slice's pages and API, as one flat list (an
include per slice would make every request try each slice's patterns in a resolver of
its own, and build the list of what it tried when one does not match)."""

from queueing.bookings import urls as bookings
from queueing.floor import urls as floor
from queueing.office import urls as office
from queueing.surveys import urls as surveys

urlpatterns = [*bookings.urlpatterns, *floor.urlpatterns, *surveys.urlpatterns, *office.urlpatterns]
