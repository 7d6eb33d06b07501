"""Which hours apply on a day: a level decides only for the weekdays (and dated ranges)
it has rows for; every other day falls back to the wider level. A weekday can be marked
closed at any level."""

import datetime as dt

import pytest

from services.models import OpeningHours
from services.schedule import hours_on
from tests.factories import OpeningHoursFactory, ServiceFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 1, 4)
EIGHT_TO_THREE = [(dt.time(8), dt.time(15))]


def day(weekday: int, week: int = 0) -> dt.date:
    return MONDAY + dt.timedelta(days=weekday + 7 * week)


@pytest.fixture
def mall_week(db):
    for weekday in range(5):
        OpeningHoursFactory(weekday=weekday, opens=dt.time(8), closes=dt.time(15))


def test_an_agency_row_for_friday_decides_friday_only(mall_week, disdukcapil):
    service = ServiceFactory(agency=disdukcapil)
    OpeningHoursFactory(agency=disdukcapil, weekday=4, opens=dt.time(8), closes=dt.time(11, 30))

    assert [hours_on(service, day(weekday)) for weekday in range(4)] == [EIGHT_TO_THREE] * 4
    assert hours_on(service, day(4)) == [(dt.time(8), dt.time(11, 30))]
    assert hours_on(service, day(5)) == []


def test_a_service_row_falls_back_to_the_agency_then_the_mall(mall_week, disdukcapil):
    service = ServiceFactory(agency=disdukcapil)
    OpeningHoursFactory(agency=disdukcapil, weekday=1, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(service=service, agency=disdukcapil, weekday=2, opens=dt.time(10), closes=dt.time(11))

    assert hours_on(service, day(0)) == EIGHT_TO_THREE
    assert hours_on(service, day(1)) == [(dt.time(9), dt.time(12))]
    assert hours_on(service, day(2)) == [(dt.time(10), dt.time(11))]


def test_a_weekday_marked_closed_closes_it_at_that_level_only(mall_week, disdukcapil, samsat):
    service = ServiceFactory(agency=disdukcapil)
    elsewhere = ServiceFactory(agency=samsat)
    OpeningHours.objects.create(agency=disdukcapil, weekday=2, closed=True)

    assert hours_on(service, day(2)) == []
    assert hours_on(service, day(1)) == EIGHT_TO_THREE
    assert hours_on(elsewhere, day(2)) == EIGHT_TO_THREE


def test_a_closed_service_day_is_closed_though_the_agency_opens(mall_week, disdukcapil):
    service = ServiceFactory(agency=disdukcapil)
    OpeningHoursFactory(agency=disdukcapil, weekday=0, opens=dt.time(7), closes=dt.time(16))
    OpeningHours.objects.create(service=service, agency=disdukcapil, weekday=0, closed=True)

    assert hours_on(service, day(0)) == []


def test_dated_rows_decide_their_weekdays_within_their_range_only(mall_week, disdukcapil):
    service = ServiceFactory(agency=disdukcapil)
    # Ramadan hours for Mondays in the second week; the mall's closed Saturday in it.
    ramadan = {"valid_from": day(0, week=1), "valid_until": day(6, week=1)}
    OpeningHoursFactory(weekday=0, opens=dt.time(8), closes=dt.time(14), **ramadan)

    assert hours_on(service, day(0, week=1)) == [(dt.time(8), dt.time(14))]
    assert hours_on(service, day(1, week=1)) == EIGHT_TO_THREE  # no dated Tuesday: the usual hours
    assert hours_on(service, day(0, week=2)) == EIGHT_TO_THREE  # after the range

    OpeningHours.objects.create(weekday=1, closed=True, **ramadan)
    assert hours_on(service, day(1, week=1)) == []
    assert hours_on(service, day(1, week=2)) == EIGHT_TO_THREE


def test_a_closed_row_needs_no_times_and_an_open_row_needs_both(disdukcapil):
    from django.core.exceptions import ValidationError

    OpeningHours(agency=disdukcapil, weekday=3, closed=True).full_clean()
    with pytest.raises(ValidationError) as raised:
        OpeningHours(agency=disdukcapil, weekday=3, opens=dt.time(8)).full_clean()
    assert "closes" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        OpeningHours(agency=disdukcapil, weekday=3, closed=True, opens=dt.time(8), closes=dt.time(9)).full_clean()
    assert "closed" in raised.value.message_dict
