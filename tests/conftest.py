"""Named people for the tests: the mall administrator, the lobby's kiosk, and for two agencies a
supervisor and an officer each (alice and bob work at Disdukcapil, carol and dave at
Samsat)."""

import uuid

import pytest

from agencies.models import Role
from tests.factories import AdminFactory, AgencyFactory, UserFactory


@pytest.fixture
def disdukcapil(db):
    return AgencyFactory(code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", ticket_prefix="B")


@pytest.fixture
def samsat(db):
    return AgencyFactory(code="samsat", name="Samsat", ticket_prefix="S")


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="admin")


@pytest.fixture
def alice(disdukcapil):
    """Supervisor at Disdukcapil."""
    return UserFactory(username="alice", role=Role.SUPERVISOR, agency=disdukcapil)


@pytest.fixture
def bob(disdukcapil):
    """Officer at Disdukcapil."""
    return UserFactory(username="bob", role=Role.OFFICER, agency=disdukcapil)


@pytest.fixture
def carol(samsat):
    """Supervisor at Samsat."""
    return UserFactory(username="carol", role=Role.SUPERVISOR, agency=samsat)


@pytest.fixture
def kiosk(db):
    """The kiosk in the mall's lobby: a device account of the whole mall."""
    return UserFactory(username="kiosk-lobi", role=Role.KIOSK, agency=None, is_staff=False)


@pytest.fixture
def kiosk_client(kiosk):
    """A browser on the kiosk, logged in with the kiosk's session."""
    from django.test import Client

    client = Client()
    client.force_login(kiosk)
    return client


@pytest.fixture
def kiosk_api(kiosk):
    """The kiosk's API client, with the kiosk account's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=kiosk).key}")
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs a third of a second per user; the tests need none of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Failed logins and lockouts (django-axes) live in its database table, which each test's
# transaction or flush empties: no test user starts locked out by another test's failures.


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage needs collectstatic; the tests serve the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_phone_cap(settings):
    # Most tests book many times with one mobile number; the per-number cap has tests
    # of its own (tests/queueing/bookings/test_phone_cap.py), which switch it on.
    settings.BOOKINGS_PER_PHONE_PER_DAY = 0


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    # Each test gets its own cache key prefix: throttle counters and live events never
    # leak from one test into the next, and nothing is flushed that others (a running
    # portal, a Celery broker on the same Redis) rely on.
    from queueing.models import MessageTemplate
    from services.models import BookingPolicy
    from services.schedule import forget_schedules
    from services.search import forget_search_index

    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}}
    BookingPolicy.forget_cached()
    MessageTemplate.forget_cached()
    forget_schedules()
    forget_search_index()
    yield


@pytest.fixture(autouse=True)
def _own_stream_count(monkeypatch):
    # Each test counts its own anonymous live streams: one that a test left open gives
    # its place back only when its next heartbeat finds the client gone.
    from queueing.floor import live

    monkeypatch.setattr(live, "anonymous_streams", live.StreamCount())


@pytest.fixture
def dave(samsat):
    """Officer at Samsat."""
    return UserFactory(username="dave", role=Role.OFFICER, agency=samsat)


@pytest.fixture
def admin_form_data():
    """Reads an admin add or change page into the POST data that would submit it as shown.

    Tests then change the one field they are about, as a person would in the browser.
    """
    return _admin_form_data


def _admin_form_data(response) -> dict:
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def _form_data(form) -> dict:
    data = {}
    for field in form:
        if field.field.disabled:
            continue
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(item) for item in value]
        else:
            data[field.html_name] = str(value)
    return data


def confirmation_of(page) -> str:
    """The confirmation an admin page's schedule preview carries."""
    return page.context["schedule_confirmation"]["value"]


def post_confirmed(client, url: str, data: dict, **kwargs):
    """Send a change to opening hours or closure days, read the confirmation its
    preview carries, and send the change again confirmed (as staff do)."""
    preview = client.post(url, data)
    if preview.status_code != 200 or preview.context.get("schedule_preview") is None:
        return preview  # refused at a field, or not a previewed form
    return client.post(url, data | {"confirmation": confirmation_of(preview)}, **kwargs)


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Uploaded MoU documents go to a folder of the test's own, never the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
