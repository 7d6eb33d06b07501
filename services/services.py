"""Writes of the services app."""

import holidays as holidays_lib
from django.db import transaction

from services.models import ClosureDay, ClosureSource


@transaction.atomic
def closure_days_sync_holidays(*, years: list[int]) -> int:
    """Add Indonesia's public holidays and cuti bersama as mall-wide closure days.

    Days staff added or removed by hand are left as they are: an existing day on the
    same date is not touched, so running it again changes nothing.
    """
    calendar = holidays_lib.country_holidays("ID", years=years, categories=("public", "government"), language="id")
    created = 0
    for day, name in sorted(calendar.items()):
        _, was_created = ClosureDay.objects.get_or_create(
            date=day, agency=None, defaults={"name": name[:200], "source": ClosureSource.HOLIDAYS}
        )
        created += was_created
    return created
