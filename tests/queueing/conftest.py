import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import OpeningHoursFactory, ServiceFactory

VALID_NIK = "3674011708900001"  # Tangerang Selatan, 17-08-1990
OTHER_NIK = "3674015708920002"  # a woman's NIK: day + 40


def nik(n: int) -> str:
    """A distinct valid NIK for each n (the last four digits vary)."""
    return f"367401170890{n % 10000:04d}"


@pytest.fixture
def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def ktp(disdukcapil):
    """KTP-el at Disdukcapil: open every day 08.00–12.00, 30-minute slots of 5 seats,
    20 a day of which 2 kept for walk-ins and 2 for priority groups."""
    service = ServiceFactory(
        agency=disdukcapil,
        code="ktp-el",
        name="Penerbitan KTP-el",
        slot_minutes=30,
        slot_capacity=5,
        daily_quota=20,
        walk_in_reserve=2,
        priority_reserve=2,
    )
    for weekday in range(7):
        OpeningHoursFactory(agency=disdukcapil, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
    return service
