from django.contrib.admin.apps import AdminConfig


class MallAdminConfig(AdminConfig):
    """Django's admin app with the mall's own site (see agencies/sites.py)."""

    default_site = "agencies.sites.MallAdminSite"
