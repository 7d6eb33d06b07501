"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mpp_portal.env import EnvReader

ROOT = Path(__file__).resolve().parents[2]


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**keep, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_bad_database_url_stops_the_start_with_a_clear_message():
    done = run_django(["check"], DATABASE_URL="mysql://root@localhost/mpp", SECRET_KEY="x" * 50)
    assert done.returncode != 0
    assert "DATABASE_URL must be postgres://" in done.stderr


def test_a_database_url_without_host_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must name a host"):
        EnvReader({"DATABASE_URL": "postgres://"}).database("DATABASE_URL", default="sqlite:///x")


def test_production_without_secret_key_stops_the_start():
    done = run_django(["check"], DATABASE_URL="postgres://postgres@127.0.0.1:5432/mpp", DEBUG="0")
    assert done.returncode != 0
    assert "SECRET_KEY is required" in done.stderr


def test_a_boolean_must_be_a_boolean():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        EnvReader({"DEBUG": "maybe"}).bool("DEBUG", False)
    assert EnvReader({"DEBUG": "1"}).bool("DEBUG", False) is True
    assert EnvReader({"DEBUG": "off"}).bool("DEBUG", True) is False


def test_a_bad_redis_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must be redis://"):
        EnvReader({"REDIS_URL": "http://localhost:6379"}).redis_url("REDIS_URL")
    assert EnvReader({}).redis_url("REDIS_URL") is None


def test_embedded_mode_keeps_a_generated_secret_key(tmp_path):
    key_file = tmp_path / "secret"
    first = EnvReader({}).secret_key("SECRET_KEY", required=False, fallback_file=key_file)
    again = EnvReader({}).secret_key("SECRET_KEY", required=False, fallback_file=key_file)
    assert first == again
    assert len(first) >= 50


def test_check_deploy_is_clean_with_production_settings():
    done = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY="a-long-random-production-secret-4f9d8c7b6a5e4d3c2b1a0f9e8d7c6b5a",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/mpp_portal",
        ALLOWED_HOSTS="mpp.tangerangselatankota.go.id",
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


def test_embedded_default_uses_sqlite_and_the_file_broker():
    done = run_django(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMBEDDED)",
        ]
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "True"]


def test_links_in_messages_point_to_the_port_the_portal_serves_on_unless_told_otherwise():
    show = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.PUBLIC_BASE_URL)"]
    assert run_django(show, PORT="9123").stdout.strip() == "http://127.0.0.1:9123"
    assert run_django(show).stdout.strip() == "http://127.0.0.1:8000"
    told = run_django(show, PORT="9123", PUBLIC_BASE_URL="https://mpp.tangerangselatankota.go.id")
    assert told.stdout.strip() == "https://mpp.tangerangselatankota.go.id"


def test_a_bad_notifier_priority_stops_the_start_with_a_clear_message():
    for bad in ("low", "20", "-5"):
        done = run_django(["check"], NOTIFIER_PRIORITY=bad)
        assert done.returncode != 0
        assert "NOTIFIER_PRIORITY" in done.stderr and "use idle or a nice value from 0 to 19" in done.stderr
    assert run_django(["check"], NOTIFIER_PRIORITY="12").returncode == 0


def test_a_negative_hold_time_stops_the_start_with_a_clear_message():
    done = run_django(["check"], NOTIFIER_HOLD_SECONDS="-5")
    assert done.returncode != 0
    assert "NOTIFIER_HOLD_SECONDS=-5: use 0 (never hold) or more seconds." in done.stderr
    assert run_django(["check"], NOTIFIER_HOLD_SECONDS="0").returncode == 0


def _mail_folder(cwd: Path, **env: str) -> str:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.EMAIL_FILE_PATH)"],
        cwd=cwd,
        env={**keep, **env, "DJANGO_SETTINGS_MODULE": "mpp_portal.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_the_default_mail_folder_is_inside_the_project_whatever_folder_it_starts_in(tmp_path):
    assert _mail_folder(tmp_path) == str(ROOT / "var" / "mail")


def test_a_relative_mail_folder_is_read_inside_the_project_and_an_absolute_one_as_written(tmp_path):
    assert _mail_folder(tmp_path, EMAIL_URL="filemail://var/outgoing") == str(ROOT / "var" / "outgoing")
    assert _mail_folder(tmp_path, EMAIL_URL=f"filemail://{tmp_path}/mail") == str(tmp_path / "mail")


def test_a_share_of_live_streams_must_be_a_number_from_0_to_1():
    with pytest.raises(ImproperlyConfigured, match="LIVE_ANONYMOUS_SHARE='most' is not a number"):
        EnvReader({"LIVE_ANONYMOUS_SHARE": "most"}).float("LIVE_ANONYMOUS_SHARE", 0.75)
    assert EnvReader({"LIVE_ANONYMOUS_SHARE": "0.5"}).float("LIVE_ANONYMOUS_SHARE", 0.75) == 0.5
    done = run_django(["check"], LIVE_ANONYMOUS_SHARE="1.5")
    assert done.returncode != 0
    assert "LIVE_ANONYMOUS_SHARE=1.5: use a share from 0 to 1" in done.stderr


def test_a_login_lockout_setting_below_one_stops_the_start_with_a_clear_message():
    for name in ("LOGIN_FAILURE_LIMIT", "LOGIN_LOCKOUT_MINUTES"):
        done = run_django(["check"], **{name: "0"})
        assert done.returncode != 0
        assert f"{name}=0" in done.stderr and "both must be 1 or more" in done.stderr
    assert run_django(["check"], LOGIN_FAILURE_LIMIT="10", LOGIN_LOCKOUT_MINUTES="30").returncode == 0
