"""Who enters the office area (``/kantor/``): DPMPTSP's administrators, who see every
agency, and each agency's supervisor, who sees their own. Officers, the help desk and
kiosks get 403; anonymous callers go to the staff login."""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from agencies.models import Role

LOGIN_URL = "officer-login"


def can_use_office(user) -> bool:
    return user.is_active and (user.is_mall_admin or (user.role == Role.SUPERVISOR and user.agency_id is not None))


def office_staff(view):
    """A page of the office area: signed in as an administrator or a supervisor."""

    @functools.wraps(view)
    @login_required(login_url=LOGIN_URL)
    def checked(request, *args, **kwargs):
        if not can_use_office(request.user):
            return render(request, "office/area/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return checked


def agency_scope(user) -> int | None:
    """The one agency a user of the office area sees, ``None`` for all of them."""
    return None if user.is_mall_admin else user.agency_id
