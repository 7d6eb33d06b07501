"""The Celery app. Its broker is Redis, or a file-system queue in embedded mode."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_portal.settings")

app = Celery("mpp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["mpp_portal"])
