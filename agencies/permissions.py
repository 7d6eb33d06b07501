"""Who may use the staff's API and pages: people of the mall's staff, never a kiosk device."""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from rest_framework import permissions


class IsStaffPerson(permissions.IsAuthenticated):
    """Signed in as a person of the staff. A kiosk account is signed in too, but it only
    issues walk-in tickets and checks bookings in: it reads nothing of the staff's."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and not request.user.is_kiosk


def staff_person_required(login_url: str):
    """A staff page: anonymous callers go to the login, a kiosk's session gets 403
    (the lobby's device opens no staff page, not even an empty one)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required(login_url=login_url)
        def checked(request, *args, **kwargs):
            if request.user.is_kiosk:
                return render(request, "officer/staff_only.html", status=403)
            return view(request, *args, **kwargs)

        return checked

    return decorator
