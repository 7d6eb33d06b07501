"""The Celery app. Its broker is Redis, or a file-system queue in embedded mode."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_portal.settings")

app = Celery("mpp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["mpp_portal"])


@app.on_after_configure.connect
def _make_broker_folders(sender: Celery, **kwargs) -> None:
    # The file-system transport expects its folders to exist.
    if str(sender.conf.broker_url).startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            Path(sender.conf.broker_transport_options[key]).mkdir(parents=True, exist_ok=True)
