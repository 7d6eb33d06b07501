"""Settings, read from the environment (see .env.example and docs/operations.md).

With nothing set the portal runs embedded: a SQLite file, a file-based cache and a
file-system Celery broker in ``var/``. ``DATABASE_URL`` and ``REDIS_URL`` switch to
PostgreSQL and Redis. Bad values stop the start with a message that names the variable.
"""

import datetime as dt
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from mpp_portal.env import EnvReader

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = EnvReader()

DEBUG = env.bool("DEBUG", False)
HTTPS = env.bool("HTTPS", False)
DATABASES = {"default": env.database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
REDIS_URL = env.redis_url("REDIS_URL")
EMBEDDED = REDIS_URL is None

SECRET_KEY = env.secret_key(
    "SECRET_KEY",
    required=not DEBUG and env.is_set("DATABASE_URL"),
    fallback_file=BASE_DIR / ".secret_key",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "agencies.admin_apps.MallAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "agencies",
    "services",
    "queueing",
    # The shell itself, for its `serve` command.
    "mpp_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it turns a login refused for a lockout into the lockout's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mpp_portal.urls"
# JSON under /api/, the usual page elsewhere.
CSRF_FAILURE_VIEW = "mpp_portal.errors.csrf_failure"
WSGI_APPLICATION = "mpp_portal.wsgi.application"
AUTH_USER_MODEL = "agencies.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "officer-login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Failed logins lock an account out per username and client address (django-axes): a
# shift behind one address is never locked out by its own successful logins, nor by
# another person's typos. A supervisor or an administrator unlocks in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured(
        f"LOGIN_FAILURE_LIMIT={AXES_FAILURE_LIMIT}, LOGIN_LOCKOUT_MINUTES={LOGIN_LOCKOUT_MINUTES}: "
        "both must be 1 or more."
    )
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "mpp_common.throttling.client_address"
AXES_USERNAME_CALLABLE = "mpp_common.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "mpp_common.lockout.lockout_response"
# A success clears the earlier failures of that username and address; successes
# themselves are not recorded.
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
# Tries while locked out are refused without being counted, so the cool-off runs from
# the last counted failure and does not grow while someone keeps trying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The admin's own lists of axes are replaced by the role-scoped one in agencies/admin.py.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first, English beside it. Source strings are written in Indonesian;
# locale/en holds the English translation.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (the signed MoUs) are staff-only: no URL serves MEDIA_ROOT, not even with
# DEBUG. A document is read through its own view, which checks who asks and streams it,
# or, with MEDIA_INTERNAL_LOCATION set (e.g. /internal-media/), hands it to the reverse
# proxy in front with X-Accel-Redirect to that internal location (docs/operations.md).
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", BASE_DIR / "media")
MEDIA_INTERNAL_LOCATION = env.str("MEDIA_INTERNAL_LOCATION", "")
if MEDIA_INTERNAL_LOCATION and not (MEDIA_INTERNAL_LOCATION.startswith("/") and MEDIA_INTERNAL_LOCATION.endswith("/")):
    raise ImproperlyConfigured(
        f"MEDIA_INTERNAL_LOCATION={MEDIA_INTERNAL_LOCATION!r}: use a path that starts and ends with /, "
        "such as /internal-media/, or leave it unset."
    )
MOU_DOCUMENT_MAX_MB = env.int("MOU_DOCUMENT_MAX_MB", 10)
if MOU_DOCUMENT_MAX_MB < 1:
    raise ImproperlyConfigured(f"MOU_DOCUMENT_MAX_MB={MOU_DOCUMENT_MAX_MB}: use 1 or more megabytes.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CACHES = {
    "default": {
        "BACKEND": (
            "django.core.cache.backends.filebased.FileBasedCache"
            if EMBEDDED
            # Answers as an empty cache while Redis is down (rate limits open), never a 500.
            else "mpp_common.cache.FailOpenRedisCache"
        ),
        "LOCATION": str(env.path("CACHE_DIR", VAR_DIR / "cache")) if EMBEDDED else REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", "mpp"),
        # A Redis that stopped answering costs a request at most this long, not a hang.
        "OPTIONS": {} if EMBEDDED else {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

# Celery: Redis when REDIS_URL is set, otherwise a file-system broker under var/ so
# the worker and beat still run with no external service.
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers keep their database connections across tasks (Celery would open one per
# task, which cost the notifier more than sending the message); a connection that
# broke or outlived CONN_MAX_AGE is replaced before the next task (mpp_portal/celery.py).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", 1000)
# An absolute path: beat keeps its schedule there whatever folder it starts in; the
# folder is made when Celery loads this configuration (mpp_portal/celery.py).
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat's heartbeat runs every HEARTBEAT_SECONDS; the outbox watch writes one of its own
# as often. /readyz answers 503 when either is older than HEARTBEAT_STALE_SECONDS.
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", 30)
HEARTBEAT_STALE_SECONDS = env.int("HEARTBEAT_STALE_SECONDS", 3 * HEARTBEAT_SECONDS)
if EMBEDDED:
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = env.path("CELERY_FILESYSTEM_DIR", VAR_DIR / "broker")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "mpp_portal.tasks.heartbeat", "schedule": float(HEARTBEAT_SECONDS)},
    # After the mall closes: what is left of the day's queue expires; numbers restart
    # tomorrow because they are counted per agency and day.
    "expire-tickets": {"task": "queueing.floor.tasks.expire_tickets", "schedule": crontab(hour=22, minute=0)},
    # The per-number booking counts of past days (queueing/bookings/phone_cap.py).
    "forget-phone-days": {"task": "queueing.bookings.tasks.forget_phone_days", "schedule": crontab(hour=23, minute=0)},
    # The office's report figures of each day that has closed (none of its tickets
    # open), kept so a year's report reads days instead of every ticket's history.
    "summarize-report-days": {
        "task": "queueing.office.reports.tasks.summarize_report_days",
        "schedule": crontab(minute=10),
    },
    # Reminders whose time has come.
    "write-reminders": {"task": "queueing.notifications.tasks.write_reminders", "schedule": 60.0},
    # Notifications due later (retries, a worker that died mid-send).
    "sweep-notifications": {
        "task": "queueing.notifications.tasks.sweep_notifications",
        "schedule": float(env.int("NOTIFICATION_SWEEP_SECONDS", 15)),
    },
    # Personal data older than RETENTION_DAYS is erased (queueing/office/retention.py).
    "erase-personal-data": {
        "task": "queueing.office.tasks.erase_personal_data",
        "schedule": crontab(hour=2, minute=30),
    },
    # Each morning: the supervisors and DPMPTSP hear of complaints past their deadline.
    "complaints-overdue": {
        "task": "queueing.office.complaints.tasks.notify_overdue_complaints",
        "schedule": crontab(hour=7, minute=0),
    },
}
# Days the personal data of a visit, a booking, a message or a login record is kept
# (names, NIKs, phones, emails, texts); the figures of the reports stay.
RETENTION_DAYS = env.int("RETENTION_DAYS", 365)
if RETENTION_DAYS < 1:
    raise ImproperlyConfigured(f"RETENTION_DAYS={RETENTION_DAYS}: use how many days personal data is kept, 1 or more.")
# Staff are told of MoUs that end in 90, 30 and 7 days, once each, every morning.
CELERY_BEAT_SCHEDULE["write-mou-expiry-notices"] = {
    "task": "queueing.notifications.tasks.write_mou_expiry_notices",
    "schedule": crontab(hour=7, minute=0),
}
# Notifications travel on their own queue, served by their own worker: a slow gateway
# never holds up other work.
CELERY_TASK_ROUTES = {"queueing.notifications.tasks.send_notifications": {"queue": "notifications"}}

RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", True)
# Active bookings one mobile number may hold per slot day, across services; 0: no cap.
# Not a rate limit: RATELIMIT_ENABLED=0 leaves it on (queueing/bookings/phone_cap.py,
# docs/decisions/0016-per-number-cap.md).
BOOKINGS_PER_PHONE_PER_DAY = env.int("BOOKINGS_PER_PHONE_PER_DAY", 3)
if BOOKINGS_PER_PHONE_PER_DAY < 0:
    raise ImproperlyConfigured(
        f"BOOKINGS_PER_PHONE_PER_DAY={BOOKINGS_PER_PHONE_PER_DAY}: use 0 (no cap) or how many bookings a day."
    )
# How many reverse proxies stand in front. Every rate limit counts by the client's
# address (mpp_common.throttling.client_address): the connection's with none, otherwise
# the one the first proxy wrote into X-Forwarded-For; what the client wrote there
# itself is never believed.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES={TRUSTED_PROXIES}: use 0 (none in front) or how many proxies are.")

# Live streams (queueing/floor/views/live.py). Each web worker runs WEB_STREAMS of them
# (mpp_portal/web.py); anonymous ones (a board nobody signed in) may take only
# LIVE_ANONYMOUS_SHARE of those, the rest is kept for the staff's screens, and one client
# address at most LIVE_STREAMS_PER_ADDRESS. A stream writes a heartbeat every
# LIVE_HEARTBEAT_SECONDS, which is also how soon a vanished client is noticed.
WEB_STREAMS = env.int("WEB_STREAMS", 200)
LIVE_ANONYMOUS_SHARE = env.float("LIVE_ANONYMOUS_SHARE", 0.75)
LIVE_STREAMS_PER_ADDRESS = env.int("LIVE_STREAMS_PER_ADDRESS", 8)
LIVE_HEARTBEAT_SECONDS = env.int("LIVE_HEARTBEAT_SECONDS", 15)
if WEB_STREAMS < 1:
    raise ImproperlyConfigured(f"WEB_STREAMS={WEB_STREAMS}: a web worker needs at least one stream thread.")
if not 0 <= LIVE_ANONYMOUS_SHARE <= 1:
    raise ImproperlyConfigured(f"LIVE_ANONYMOUS_SHARE={LIVE_ANONYMOUS_SHARE}: use a share from 0 to 1, such as 0.75.")
if LIVE_STREAMS_PER_ADDRESS < 0:
    raise ImproperlyConfigured(f"LIVE_STREAMS_PER_ADDRESS={LIVE_STREAMS_PER_ADDRESS}: use 0 or more.")
if LIVE_HEARTBEAT_SECONDS < 1:
    raise ImproperlyConfigured(f"LIVE_HEARTBEAT_SECONDS={LIVE_HEARTBEAT_SECONDS}: use 1 second or more.")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "mpp_common.pagination.LimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "mpp_common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "mpp_common.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["mpp_common.throttling.SwitchableAnonRateThrottle"],
    # The portal's throttles ask client_address; this keeps DRF's own the same.
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "600/min",
        "booking": "20/hour",
        "booking_lookup": "120/hour",
        "code_recovery": "10/hour",
        # Per kiosk account (the API's token or the kiosk page's session).
        "kiosk": env.str("KIOSK_RATE", "30/min"),
        # Complaints filed from one address (the form and the API).
        "complaint": env.str("COMPLAINT_RATE", "20/hour"),
    },
}
# Working days (Monday to Friday, less the mall's closure days) within which a complaint
# gets its first answer (SP4N-LAPOR!: 3).
COMPLAINT_RESPONSE_DAYS = env.int("COMPLAINT_RESPONSE_DAYS", 3)
if not 1 <= COMPLAINT_RESPONSE_DAYS <= 60:
    raise ImproperlyConfigured(f"COMPLAINT_RESPONSE_DAYS={COMPLAINT_RESPONSE_DAYS}: use 1 to 60 working days.")
# How long a kiosk stays logged in on its page (a supervisor revokes it sooner).
KIOSK_SESSION_SECONDS = env.int("KIOSK_SESSION_DAYS", 365) * 24 * 3600
SPECTACULAR_SETTINGS = {
    "TITLE": "MPP Portal API",
    "DESCRIPTION": "Mal Pelayanan Publik Kota Tangerang Selatan: layanan, antrean, survei.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PriorityGroupEnum": "queueing.models.PriorityGroup",
        "ComplaintStatusEnum": "queueing.models.ComplaintStatus",
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://var/mail", base_dir=BASE_DIR)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "MPP Tangerang Selatan <noreply@mpp.tangerangselatankota.go.id>")
# Links in messages point here; by default to the port `make run` serves on.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", f"http://127.0.0.1:{env.int('PORT', 8000)}")
NOTIFICATIONS_ENABLED = env.bool("NOTIFICATIONS", True)
# First retry delay (doubling, with jitter) and how long a sending worker holds a row.
NOTIFICATION_RETRY_BASE_SECONDS = float(env.str("NOTIFICATION_RETRY_BASE_SECONDS", "5"))
NOTIFICATION_LEASE_SECONDS = env.int("NOTIFICATION_LEASE_SECONDS", 60)
# The notifier's threads, its CPU priority ("idle": only what the other processes leave,
# or a nice value, 0 as the web workers to 19), and the most messages one task sends
# (queueing.notifications.queue.enqueue).
NOTIFIER_THREADS = env.int("NOTIFIER_THREADS", 8)
NOTIFIER_PRIORITY = env.str("NOTIFIER_PRIORITY", "idle").strip().lower()
if NOTIFIER_PRIORITY != "idle" and not (NOTIFIER_PRIORITY.isdigit() and int(NOTIFIER_PRIORITY) <= 19):
    raise ImproperlyConfigured(f"NOTIFIER_PRIORITY={NOTIFIER_PRIORITY!r}: use idle or a nice value from 0 to 19.")
NOTIFICATION_BATCH = env.int("NOTIFICATION_BATCH", 20)
# How long the notifier may hold back a message that can wait while the CPU is fully
# taken (queueing.notifications.watcher); 0: never.
NOTIFIER_HOLD_SECONDS = env.int("NOTIFIER_HOLD_SECONDS", 30)
if NOTIFIER_HOLD_SECONDS < 0:
    raise ImproperlyConfigured(f"NOTIFIER_HOLD_SECONDS={NOTIFIER_HOLD_SECONDS}: use 0 (never hold) or more seconds.")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", "")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", "mpp-demo-2026")

# Security. HTTPS=1 is for a deployment behind TLS (usually a proxy that sets
# X-Forwarded-Proto; count it in TRUSTED_PROXIES, or every client shares its address).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles only from the portal's own files: no inline script, style block or
# style attribute runs, so an injected one does nothing. data: is for images only (the
# pages' empty favicon, Swagger UI's icons). Enforced on every page (docs/operations.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# No page uses a camera, microphone, location or any other device feature (the kiosk's
# QR reader is a scanner that types); the board alone may play its chime and voice
# (queueing/floor/views/display.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics", "camera",
        "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection",
        "local-fonts", "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "window-management",
        "xr-spatial-tracking",
    )
}  # fmt: skip
SESSION_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^livez$"]

# Every line passes through one handler, whose filter blanks booking and ticket codes
# (in URLs too), NIK, phones and emails (mpp_common/log_privacy.py); Django's own
# handlers (runserver's, the admins' mail) are taken off so nothing bypasses it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private": {"()": "mpp_common.log_privacy.RedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["private"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    # axes logs every login at INFO; its warnings (failures, lockouts) are what matter.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
