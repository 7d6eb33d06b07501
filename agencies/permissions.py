"""Who may use the staff's API: people of the mall's staff, never a kiosk device."""

from rest_framework import permissions


class IsStaffPerson(permissions.IsAuthenticated):
    """Signed in as a person of the staff. A kiosk account is signed in too, but it only
    issues walk-in tickets and checks bookings in: it reads nothing of the staff's."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and not request.user.is_kiosk
