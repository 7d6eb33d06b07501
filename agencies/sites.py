from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm

from agencies.audit import audited
from agencies.models import Role
from mpp_common.lockout import LockoutAwareLoginForm


class AdminLoginForm(LockoutAwareLoginForm, AdminAuthenticationForm):
    pass


class MallAdminSite(admin.AdminSite):
    """The administration admits DPMPTSP administrators and agency supervisors only,
    whatever a user's ``is_staff`` flag says."""

    site_header = "MPP Kota Tangerang Selatan"
    site_title = "Administrasi MPP"
    index_title = "Administrasi Mal Pelayanan Publik"
    login_form = AdminLoginForm

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin writes the audit log (``agencies.audit``), whichever app registers it."""
        super().register(model_or_iterable, audited(admin_class or admin.ModelAdmin), **options)

    def has_permission(self, request) -> bool:
        user = request.user
        return super().has_permission(request) and (user.is_mall_admin or user.role == Role.SUPERVISOR)
