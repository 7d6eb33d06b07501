from django.contrib import admin

from agencies.models import Role


class MallAdminSite(admin.AdminSite):
    """The administration admits DPMPTSP administrators and agency supervisors only,
    whatever a user's ``is_staff`` flag says."""

    site_header = "MPP Kota Tangerang Selatan"
    site_title = "Administrasi MPP"
    index_title = "Administrasi Mal Pelayanan Publik"

    def has_permission(self, request) -> bool:
        user = request.user
        return super().has_permission(request) and (user.is_mall_admin or user.role == Role.SUPERVISOR)
