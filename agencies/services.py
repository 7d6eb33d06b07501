"""Writes of the agencies app."""

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from agencies.models import MALL_ROLES, Agency, Role, User

# Roles that sign in to the administration. Officers work at their counters only.
ADMIN_SITE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


def staff_check_role(*, role: str, agency: Agency | None, is_superuser: bool = False) -> None:
    """Raise ``ValidationError`` (by field) when a role, an agency and superuser status do not fit."""
    errors = {}
    if role not in Role.values:
        errors["role"] = _("Peran tidak dikenal.")
    elif role not in MALL_ROLES and role != Role.KIOSK and agency is None:
        errors["agency"] = _("Supervisor dan petugas loket harus memiliki instansi.")
    elif role == Role.HELP_DESK and agency is not None:
        errors["agency"] = _("Petugas meja bantuan melayani seluruh mal, tanpa instansi.")
    if is_superuser and role != Role.ADMIN:
        errors["is_superuser"] = _("Hanya administrator DPMPTSP yang dapat menjadi superuser.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def staff_set_role(*, user: User, role: str, agency: Agency | None) -> User:
    """Give ``user`` a role in ``agency`` and save them.

    Access to the administration (``is_staff``) follows from the role here and nowhere
    else. Counters of another agency are taken away, so an officer moved to a new
    agency cannot call tickets at the old one's counters.
    """
    staff_check_role(role=role, agency=agency, is_superuser=user.is_superuser)
    user.role = role
    user.agency = agency
    user.is_staff = role in ADMIN_SITE_ROLES
    user.save()
    if agency is not None:
        user.counters.remove(*user.counters.exclude(agency=agency))
    return user


# Kiosks -------------------------------------------------------------------------------


@transaction.atomic
def kiosk_token_issue(*, user: User) -> str:
    """A new API token for a kiosk account; the one it had stops working. The key is
    shown once, to whoever issues it."""
    if user.role != Role.KIOSK:
        raise ValueError(f"{user.username} is not a kiosk account")
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


@transaction.atomic
def kiosk_revoke(*, user: User) -> int:
    """Take a kiosk's token away and end its sessions (its page logs in again).
    Answers how many sessions ended."""
    Token.objects.filter(user=user).delete()
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
