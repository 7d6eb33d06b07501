"""The portal's settings for a web server a test starts: static files from the source
folders, as in the tests (the manifest storage would need collectstatic first)."""

from mpp_portal.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
