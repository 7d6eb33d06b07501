"""Named people for the tests: the mall administrator, and for two agencies a
supervisor and an officer each (alice and bob work at Disdukcapil, carol and dave at
Samsat)."""

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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs a third of a second per user; the tests need none of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage needs collectstatic; the tests serve the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Throttle counters and cached figures must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()
    yield
