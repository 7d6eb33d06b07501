"""Writes of the agencies app."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agencies.models import MALL_ROLES, Agency, Role, User

# Roles that sign in to the administration. Officers work at their counters only.
ADMIN_SITE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


def staff_check_role(*, role: str, agency: Agency | None, is_superuser: bool = False) -> None:
    """Raise ``ValidationError`` (by field) when a role, an agency and superuser status do not fit."""
    errors = {}
    if role not in Role.values:
        errors["role"] = _("Peran tidak dikenal.")
    elif role not in MALL_ROLES and agency is None:
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
