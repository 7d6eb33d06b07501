"""The MoU register (``/kantor/mou/``): each partner's MoU with its number, dates, scope
and signed document, the ones that have ended or end within ``MOU_WARNING_DAYS``
flagged. Administrators see every agency, a supervisor their own."""

import datetime as dt

from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from agencies.models import MOU_WARNING_DAYS, Agency, Agreement, MouStatus, mou_status
from queueing.office.access import agency_scope, office_staff

# The agency's status, most urgent first: the order of the register.
AGENCY_STATUSES = (MouStatus.EXPIRED, MouStatus.EXPIRING, MouStatus.NONE, MouStatus.IN_FORCE)


def _latest(agreements: list[Agreement]) -> Agreement | None:
    """The MoU that runs longest (one with no end before any other): the one that decides."""
    return max(agreements, key=lambda a: (a.valid_until or dt.date.max, a.valid_from, a.pk), default=None)


def mou_rows(*, scope: int | None, status: str = "", on: dt.date) -> list[dict]:
    agencies = Agency.objects.with_mou_status(status, on=on) if status else Agency.objects.with_mou()
    agencies = agencies.prefetch_related(
        Prefetch("agreements", queryset=Agreement.objects.order_by("-valid_from", "-pk"))
    )
    if scope is not None:
        agencies = agencies.filter(pk=scope)
    rows = []
    for agency in agencies:
        agreements = list(agency.agreements.all())
        latest = _latest(agreements)
        days_left = latest.days_left(on) if latest else None
        rows.append(
            {
                "agency": agency,
                "status": mou_status(
                    until=agency.mou_until, open_ended=agency.mou_open_ended, count=agency.mou_count, on=on
                ),
                "latest": latest,
                "days_left": days_left,
                "days_ago": -days_left if days_left is not None and days_left < 0 else None,
                "others": len(agreements) - 1 if latest else 0,
            }
        )
    rows.sort(key=lambda row: (AGENCY_STATUSES.index(row["status"]), row["agency"].name))
    return rows


@require_safe
@office_staff
def office_mou(request):
    today = timezone.localdate()
    scope = agency_scope(request.user)
    status = request.GET.get("status", "")
    if status not in AGENCY_STATUSES:
        status = ""
    rows = mou_rows(scope=scope, status=status, on=today)
    # Every MoU of the agency in the administration: an administrator filters the list
    # by agency, a supervisor's list holds their own agency's only.
    all_mous = reverse("admin:agencies_agreement_changelist")
    for row in rows:
        row["all_url"] = f"{all_mous}?agency__id__exact={row['agency'].pk}" if scope is None else all_mous
    counts = {key: sum(1 for row in rows if row["status"] == key) for key in AGENCY_STATUSES}
    return render(
        request,
        "office/area/mou.html",
        {
            "nav": "mou",
            "rows": rows,
            "status": status,
            "statuses": [(key, MouStatus(key).label) for key in AGENCY_STATUSES],
            "counts": counts,
            "warning_days": MOU_WARNING_DAYS,
            "today": today,
        },
    )
