import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from mpp_portal import health
from mpp_portal.tasks import HEARTBEAT_KEY
from queueing.notifications.watcher import WATCH_HEARTBEAT_KEY


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client, settings):
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat())
    cache.set(WATCH_HEARTBEAT_KEY, timezone.now().isoformat())
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["database"] == "ok"
    assert body["broker"] == ("embedded" if settings.EMBEDDED else "ok")


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.EMBEDDED = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["broker"] == "down"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["database"] == "down"


def _beat(settings, *, age: float, watch_age: float | None) -> None:
    """The heartbeat ``age`` seconds old, the outbox watch's ``watch_age`` (None: never)."""
    now = timezone.now()
    cache.set(HEARTBEAT_KEY, (now - dt.timedelta(seconds=age)).isoformat())
    if watch_age is not None:
        cache.set(WATCH_HEARTBEAT_KEY, (now - dt.timedelta(seconds=watch_age)).isoformat())


@pytest.fixture
def with_a_watch(settings, monkeypatch):
    """PostgreSQL and Redis mode (the notifier watches the outbox), the broker up."""
    settings.EMBEDDED = False
    monkeypatch.setattr(health, "_broker", lambda: "ok")


@pytest.mark.django_db
def test_readyz_is_200_with_fresh_heartbeats(client, settings, with_a_watch):
    _beat(settings, age=5, watch_age=1)
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["worker_heartbeat"] is not None
    assert answer.json()["outbox_watch"] == "ok"
    assert answer.json()["outbox_watch_heartbeat"] is not None
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
def test_readyz_is_503_when_the_heartbeat_is_stale(client, settings, with_a_watch, path):
    _beat(settings, age=3 * settings.HEARTBEAT_SECONDS + 10, watch_age=1)
    answer = client.get(path)
    assert answer.status_code == 503
    assert answer.json()["database"] == "ok"
    assert answer.json()["scheduled_jobs"] == "stopped"


@pytest.mark.django_db
def test_readyz_is_503_when_there_never_was_a_heartbeat(client, settings, with_a_watch):
    _beat(settings, age=0, watch_age=1)
    cache.delete(HEARTBEAT_KEY)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["worker_heartbeat"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("watch_age", [None, 600])
def test_readyz_is_503_when_the_outbox_watch_is_dead(client, settings, with_a_watch, watch_age):
    _beat(settings, age=5, watch_age=watch_age)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["outbox_watch"] == "stopped"


@pytest.mark.django_db
def test_embedded_mode_has_no_watch_but_needs_the_heartbeat(client, settings, monkeypatch):
    settings.EMBEDDED = True
    monkeypatch.setattr(health, "_broker", lambda: "embedded")
    _beat(settings, age=5, watch_age=None)
    assert client.get("/readyz").status_code == 200
    _beat(settings, age=3 * settings.HEARTBEAT_SECONDS + 10, watch_age=None)
    assert client.get("/readyz").status_code == 503


def test_livez_is_200_while_the_database_is_unreachable(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    assert client.get("/readyz").status_code == 503
    answer = client.get("/livez")
    assert answer.status_code == 200
    assert answer.json() == {"status": "alive"}
