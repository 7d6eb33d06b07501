"""Who may use the floor's and the reports' API and pages: DPMPTSP's administrators and
the agencies' people; never a kiosk device, nor the help desk, which works only at its
own pages."""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from rest_framework import permissions


def works_for_an_agency(user) -> bool:
    """An administrator, or a person of an agency (``User.staff_agency_id``, which a kiosk
    and the help desk lack: without one, an agency's scope would be no filter at all)."""
    return user.is_active and (user.is_mall_admin or user.staff_agency_id is not None)


class IsStaffPerson(permissions.IsAuthenticated):
    """Signed in as an administrator or a person of an agency (``works_for_an_agency``)."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and works_for_an_agency(request.user)


def staff_person_required(login_url: str):
    """A page of the floor's staff: anonymous callers go to the login; a kiosk's or the
    help desk's session gets 403 (no such page, not even an empty one)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required(login_url=login_url)
        def checked(request, *args, **kwargs):
            if not works_for_an_agency(request.user):
                home = "kiosk-home" if request.user.is_kiosk else "help-desk"
                return render(request, "officer/staff_only.html", {"home": home}, status=403)
            return view(request, *args, **kwargs)

        return checked

    return decorator
