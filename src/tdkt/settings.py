"""The one settings module of tdkt, driven by environment variables.

Without any variable it is the embedded default: SQLite (WAL) under the data directory, a generated
secret key, Vietnamese interface. Production sets DATABASE_URL, TDKT_SECRET_KEY, TDKT_ALLOWED_HOSTS,
TDKT_HTTPS=1 (see docs/operations.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from tdkt.core.env import data_dir, email_settings, env_bool, env_int, env_list, env_path, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
TESTING = "pytest" in sys.modules

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("TDKT_DEBUG", False)
ALLOWED_HOSTS = env_list("TDKT_ALLOWED_HOSTS", env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"]))
CSRF_TRUSTED_ORIGINS = env_list("TDKT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "tdkt.core",
    "tdkt.accounts",
    "tdkt.org",
    "tdkt.rulebook",
    "tdkt.movements",
    "tdkt.councils",
    "tdkt.awards",
    "tdkt.reviews",
    "tdkt.dossiers",
    "tdkt.clusters",
    "tdkt.reports",
    "tdkt.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tdkt.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tdkt.core.middleware.MethodNotAllowedPageMiddleware",
    # last, as axes asks; its lockout response is the login page itself (AXES_LOCKOUT_CALLABLE)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tdkt.urls"
WSGI_APPLICATION = "tdkt.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "tdkt.accounts.lockout.LockoutBackend",  # first: refuses a locked-out client before any password check
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, reading the signed-in user with their person in one query
    "tdkt.navigation.UserBackend",
]
LOGIN_URL = "accounts:login"
CSRF_FAILURE_VIEW = "tdkt.core.errorviews.csrf_failure"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "tdkt.navigation.navigation",
                "tdkt.core.context_processors.notifications",
            ],
        },
    }
]

# Database: SQLite in WAL mode by default; PostgreSQL (or any) through DATABASE_URL.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=env_int("TDKT_CONN_MAX_AGE", 60))
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tdkt.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis_url = env_str("TDKT_REDIS_URL")
if _redis_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: the database backend (a `tdkt worker` runs them); immediate in tests.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or env_str("TDKT_TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# A running job whose worker's heartbeat is older than this is failed as abandoned; a pending job that no
# worker took this long while none is alive too (core.workers). Exports up to TDKT_SYNC_EXPORT_ROWS rows
# are streamed at once, larger ones written by a worker (core.exports).
TDKT_WORKER_DEAD_AFTER = env_int("TDKT_WORKER_DEAD_AFTER", 90)
TDKT_JOB_PENDING_AFTER = env_int("TDKT_JOB_PENDING_AFTER", 900)
TDKT_SYNC_EXPORT_ROWS = env_int("TDKT_SYNC_EXPORT_ROWS", 5_000)

# E-mail of notifications, sent only by the task worker: TDKT_EMAIL_URL (smtp://, smtps://, console://;
# unset: off), TDKT_EMAIL_FROM, TDKT_SITE_URL (the base of links in mails). Sets EMAIL_*,
# DEFAULT_FROM_EMAIL, SERVER_EMAIL, TDKT_EMAIL_ENABLED and TDKT_SITE_URL (core/env.py).
globals().update(email_settings())

PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if TESTING
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "tdkt.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "tdkt.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "tdkt.accounts.validators.CommonPasswordValidator"},
    {"NAME": "tdkt.accounts.validators.NumericPasswordValidator"},
]
# Lockout after repeated failed logins (counted in the database so all processes agree).
TDKT_LOGIN_MAX_FAILURES = env_int("TDKT_LOGIN_MAX_FAILURES", 5)
TDKT_LOGIN_LOCKOUT_MINUTES = env_int("TDKT_LOGIN_LOCKOUT_MINUTES", 15)
# django-axes counts the failures per user name AND client address (docs/decisions/0003-login-lockout.md):
# a guesser locks only themselves. Limit and cool-off are read from the two settings above at each login.
# Behind reverse proxies, TDKT_PROXY_COUNT is how many of them append to X-Forwarded-For (0: REMOTE_ADDR).
TDKT_PROXY_COUNT = env_int("TDKT_PROXY_COUNT", 0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "tdkt.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "tdkt.accounts.lockout.cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the remaining time shown counts down, never restarts
AXES_USERNAME_CALLABLE = "tdkt.accounts.lockout.client_username"
AXES_CLIENT_IP_CALLABLE = "tdkt.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "tdkt.accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit trail ("user.login")
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["tdkt.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (dossier papers, movement attachments, signed PDFs) go through Django's storage API:
# a local folder by default, or an S3-compatible bucket (MinIO, Viettel/FPT object storage) when
# TDKT_S3_BUCKET is set (pip install "tdkt[s3]"); the bucket's keys and endpoint come from the
# environment too, never from code.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_str("TDKT_S3_BUCKET", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("TDKT_S3_BUCKET", ""),
            "endpoint_url": env_str("TDKT_S3_ENDPOINT", "") or None,
            "region_name": env_str("TDKT_S3_REGION", "") or None,
            "access_key": env_str("TDKT_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("TDKT_S3_SECRET_KEY", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# An agency's own Word templates (letterhead): <dir>/<app>/<name>.docx replaces the bundled one.
TDKT_TEMPLATE_DIR = env_path("TDKT_TEMPLATE_DIR", DATA_DIR / "templates")
# The place written on documents when no unit above the issuer names its province (Decree 30/2020).
TDKT_PLACE = env_str("TDKT_PLACE", "Hà Nội")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
TDKT_IMPORT_MAX_BYTES = env_int("TDKT_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# Signing of issued decisions and certificates (PAdES, core/signing.py); unset: PDFs are not signed.
# TDKT_SIGNING_TRUST: PEM/DER roots (a file or a folder) trusted when verifying a signed PDF sent back.
TDKT_SIGNING_P12 = env_str("TDKT_SIGNING_P12") or None
TDKT_SIGNING_P12_PASSWORD = env_str("TDKT_SIGNING_P12_PASSWORD") or None
TDKT_SIGNING_TRUST = env_str("TDKT_SIGNING_TRUST") or None
TDKT_SIGNED_PDF_MAX_BYTES = env_int("TDKT_SIGNED_PDF_MAX_BYTES", 20 * 1024 * 1024)
# one paper of a proposal dossier (a scanned confirmation, evidence)
TDKT_DOSSIER_FILE_MAX_BYTES = env_int("TDKT_DOSSIER_FILE_MAX_BYTES", 20 * 1024 * 1024)
# The extent a sheet may have (its last valued cell) and what an Office package may hold when
# unpacked: checked before anything large is read (core/ooxml.py, core/spreadsheet.py).
TDKT_IMPORT_MAX_ROWS = env_int("TDKT_IMPORT_MAX_ROWS", 200_000)
TDKT_IMPORT_MAX_COLUMNS = env_int("TDKT_IMPORT_MAX_COLUMNS", 100)
TDKT_OOXML_MAX_ENTRIES = env_int("TDKT_OOXML_MAX_ENTRIES", 2000)
TDKT_OOXML_MAX_PART_BYTES = env_int("TDKT_OOXML_MAX_PART_BYTES", 256 * 1024 * 1024)
TDKT_OOXML_MAX_TOTAL_BYTES = env_int("TDKT_OOXML_MAX_TOTAL_BYTES", 512 * 1024 * 1024)
TDKT_OOXML_MAX_RATIO = env_int("TDKT_OOXML_MAX_RATIO", 200)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("TDKT_HTTPS", False):
    SECURE_SSL_REDIRECT = env_bool("TDKT_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("TDKT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SILENCED_SYSTEM_CHECKS: list[str] = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TDKT_LOG_LEVEL", "WARNING")},
    "loggers": {"django_tasks": {"level": "INFO"}, "tdkt": {"level": "INFO"}},
}
