"""What the tests of the shell share."""

import os

import pytest


@pytest.fixture
def portal_env(tmp_path) -> dict[str, str]:
    """Embedded mode (a SQLite file, no Redis), shared by the server and ``manage``."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    return env | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "SECRET_KEY": "insecure-key-for-the-test-suite-only",
        "DJANGO_SETTINGS_MODULE": "mpp_portal.settings",
        "DEBUG": "0",
    }
