"""Reading settings from the environment, strictly.

django-environ parses URLs; this wrapper adds what it lets slip: a boolean must be a
boolean, a database or Redis URL must name a scheme we run on, and a production
deployment must bring its own ``SECRET_KEY``. Every failure names the variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}


class EnvReader:
    def __init__(self, environ_map: dict[str, str] | None = None) -> None:
        self.values = os.environ if environ_map is None else environ_map
        self._env = environ.Env()

    def is_set(self, name: str) -> bool:
        return bool(self.values.get(name, "").strip())

    def str(self, name: str, default: str) -> str:
        return self.values.get(name, default)

    def bool(self, name: str, default: bool) -> bool:
        raw = self.values.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1 or 0.")

    def int(self, name: str, default: int) -> int:
        return self._number(name, default, int, "a whole number")

    def float(self, name: str, default: float) -> float:
        return self._number(name, default, float, "a number")

    def _number(self, name, default, parse, what: str):
        raw = self.values.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            return parse(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not {what}.") from None

    def list(self, name: str, default: list[str]) -> list[str]:
        raw = self.values.get(name)
        if raw is None or not raw.strip():
            return default
        return [item.strip() for item in raw.split(",") if item.strip()]

    def path(self, name: str, default: Path) -> Path:
        raw = self.values.get(name)
        return Path(raw) if raw else default

    def database(self, name: str, default: str) -> dict:
        url = self.values.get(name) or default
        scheme = urlsplit(url).scheme
        if scheme not in DATABASE_SCHEMES:
            raise ImproperlyConfigured(
                f"{name} must be postgres://user@host:port/name or sqlite:///path, "
                f"not a URL with scheme {scheme or '(none)'!r}."
            )
        config = self._env.db_url_config(url)
        if scheme != "sqlite" and not (config.get("NAME") and config.get("HOST")):
            raise ImproperlyConfigured(f"{name} must name a host and a database: postgres://user@host:port/name.")
        if scheme == "sqlite":
            config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
        else:
            config["CONN_MAX_AGE"] = self.int("CONN_MAX_AGE", 60)
            config["CONN_HEALTH_CHECKS"] = True
            # A lock not had within this time raises instead of queueing requests
            # behind it; the booking code answers "busy, try again".
            lock_timeout = self.int("DB_LOCK_TIMEOUT_MS", 3000)
            config["OPTIONS"] = {"connect_timeout": 5, "options": f"-c lock_timeout={lock_timeout}"}
        return config

    def redis_url(self, name: str) -> str | None:
        url = self.values.get(name, "").strip()
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in {"redis", "rediss", "unix"} or not (parts.hostname or parts.path):
            raise ImproperlyConfigured(f"{name} must be redis://host:port/db, not {url!r}.")
        return url

    def secret_key(self, name: str, *, required: bool, fallback_file: Path) -> str:
        value = self.values.get(name, "").strip()
        if value:
            return value
        if required:
            raise ImproperlyConfigured(
                f"{name} is required when DEBUG is off and DATABASE_URL is set: "
                "set it to a long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
        # Embedded mode: one key per checkout, kept in a git-ignored file.
        if not fallback_file.exists():
            fallback_file.write_text(secrets.token_urlsafe(50))
            fallback_file.chmod(0o600)
        return fallback_file.read_text().strip()

    def email_url(self, name: str, default: str, *, base_dir: Path) -> dict:
        url = self.values.get(name) or default
        config = self._env.email_url_config(url)
        if config.get("EMAIL_FILE_PATH"):
            # django-environ drops the path's leading slash (and reads a relative path's
            # first folder as a host): filemail:///abs/path is absolute, filemail://rel/path
            # lies inside the project, whatever folder the process starts in.
            parts = urlsplit(url)
            config["EMAIL_FILE_PATH"] = str(base_dir / (parts.netloc + parts.path))
        return {key: value for key, value in config.items() if value not in ("", None)}
