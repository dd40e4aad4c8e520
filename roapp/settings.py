"""Settings of the back-office, read from the environment (django-environ).

Every operator-facing knob is named in README.md ("Configuration") or docs/operations.md. Defaults give a working
single-machine install: SQLite file, django-q2 on the ORM broker, English UI.
"""

import base64
import hashlib
import importlib.util
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens stored as digests (before apitokens: its admin replaces knox's)
    "apitokens",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "contacts",
    "catalog",
    "orders",
    "integrations",
    "integrations.novaposhta",
]
# The local fake platforms (`manage.py fake_platform`, docs/fake-platforms.md) serve the demo, the tests and the
# benchmarks. They need graphql-core, a development requirement: production installs requirements.txt only, and
# there the fakes and their command do not exist. Product code never imports them (roapp/tests/test_layering.py).
if importlib.util.find_spec("graphql") is not None:
    INSTALLED_APPS.append("fakes")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "roapp.middleware.RefuseNulInQuery",
    "roapp.middleware.RefuseNumbersOutOfRange",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Platform webhooks (/hooks/) are machine-to-machine: no session, CSRF token, language, messages or
# framing. roapp.wsgi answers them through a handler with only this, a fifth of each request's cost.
HOOKS_MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]

ROOT_URLCONF = "roapp.urls"
WSGI_APPLICATION = "roapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions let the web process and the django-q2 worker share the
    # embedded database without "database is locked" errors on concurrent writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A connection kept for CONN_MAX_AGE may have died meanwhile (a database restart or failover): checked
    # before its first use in each request or task, so a worker's first task after an outage reconnects
    # instead of failing on the dead one.
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Transport security (behind HTTPS in production; `manage.py check --deploy`) -------------------
# Off by default so the demo and tests run over plain HTTP on 127.0.0.1; docs/operations.md gives the values.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
# A proxy that terminates TLS tells Django so in this header; trust it only behind such a proxy.
if env.bool("SECURE_PROXY_SSL", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalization ------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The admin's language switcher (set_language) keeps the choice in this cookie for a year, not the session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = env("TIME_ZONE", default="Europe/Kyiv")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- The product's own settings --------------------------------------------------------------
# Back-office currency; a platform or an order in another currency is refused (R2).
ROAPP_CURRENCY = env("ROAPP_CURRENCY", default="UAH").upper()
# Region used to read phone numbers written without a country code (R21).
ROAPP_PHONE_REGION = env("ROAPP_PHONE_REGION", default="UA").upper()
# Only https shop URLs on public hosts unless this is on (demo and tests reach 127.0.0.1).
ROAPP_ALLOW_INSECURE_PLATFORM_URLS = env.bool("ROAPP_ALLOW_INSECURE_PLATFORM_URLS", default=False)
# The address platforms send webhooks to.
ROAPP_PUBLIC_URL = env("ROAPP_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
ROAPP_NOVAPOSHTA_URL = env("ROAPP_NOVAPOSHTA_URL", default="https://api.novaposhta.ua/v2.0/json/")
# Fernet key for store credentials at rest. Without one, a key is derived from SECRET_KEY so a
# demo works; the system check integrations.W001 warns about that in production.
ROAPP_CREDENTIALS_KEY = (
    env("ROAPP_CREDENTIALS_KEY", default="")
    or base64.urlsafe_b64encode(hashlib.sha256(("roapp-credentials:" + SECRET_KEY).encode()).digest()).decode()
)
ROAPP_CREDENTIALS_KEY_FROM_ENV = bool(env("ROAPP_CREDENTIALS_KEY", default=""))
# Run django-q2 tasks inline in the calling process (tests, scripts, one-off commands).
ROAPP_TASKS_SYNC = env.bool("ROAPP_TASKS_SYNC", default=False)
# Seconds to wait for a platform to answer before retrying (connect, read).
ROAPP_PLATFORM_TIMEOUT = (
    env.float("ROAPP_PLATFORM_CONNECT_TIMEOUT", default=5.0),
    env.float("ROAPP_PLATFORM_READ_TIMEOUT", default=30.0),
)
# First step of the exponential backoff between retries of a failed platform call (jittered, capped at 30 s).
ROAPP_PLATFORM_BACKOFF_SECONDS = env.float("ROAPP_PLATFORM_BACKOFF_SECONDS", default=0.5)
# Days a webhook delivery is kept once done (docs/webhooks.md); a delivery still waiting is never pruned.
ROAPP_WEBHOOK_RETENTION_DAYS = env.int("ROAPP_WEBHOOK_RETENTION_DAYS", default=7)
# How often a staff member may refresh one order from its platform (R32).
ROAPP_REFRESH_INTERVAL_SECONDS = env.int("ROAPP_REFRESH_INTERVAL_SECONDS", default=600)

# A Shopify backfill whose window holds more orders than this runs as one bulk operation (R50); 0 always pages.
ROAPP_SHOPIFY_BULK_THRESHOLD = env.int("ROAPP_SHOPIFY_BULK_THRESHOLD", default=1000)

# --- Background work: django-q2 ----------------------------------------------------------------
Q_CLUSTER = {
    # The Redis queue's key and the salt of the task signatures: installations that share one Redis server
    # (production and staging) need names of their own. Read from django-q2's own variable, which, set to
    # anything but this name, would make django-q2 look for an ALT_CLUSTERS setting and fail to start.
    "name": env("Q_CLUSTER_NAME", default="roapp"),
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=1800),
    "retry": env.int("Q_RETRY", default=1860),  # must exceed timeout
    "max_attempts": env.int("Q_MAX_ATTEMPTS", default=5),
    "save_limit": 1000,
    "catch_up": False,
    "sync": ROAPP_TASKS_SYNC,
    "label": _("Background tasks"),
}
if env("Q_REDIS_URL", default=""):
    Q_CLUSTER["redis"] = env("Q_REDIS_URL")
else:
    Q_CLUSTER["orm"] = "default"

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # `Authorization: Token <key>`; only a digest of each key is stored (apitokens, docs/api.md). First, so
        # that a missing or wrong key is answered 401 with `WWW-Authenticate: Token`, not 403.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["roapp.api.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "roapp.api_errors.DocumentedErrorsSchema",  # every 4xx the API gives is in the schema
    "EXCEPTION_HANDLER": "roapp.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RO back-office API",
    "DESCRIPTION": "Orders, catalog and clients of the back-office.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every endpoint and filter: for signed-in users (session or token) only; the HTML docs
    # send anonymous visitors to the admin login (roapp/urls.py).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Email and logging -----------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="back-office@localhost")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-q2 logs every enqueued task at INFO: noise at a thousand webhooks a second.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django-q": {"level": env("Q_LOG_LEVEL", default="WARNING")},
    },
}
