"""Settings for the provider assurance service.

Everything that differs between a laptop and production comes from environment
variables. With none set the app runs on a SQLite file with Celery tasks executed
in-process, so `make run` works on a machine with nothing but Python and Node.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# Development mode is the embedded default; production sets DEBUG=0 and a real key.
DEBUG = env_bool("DEBUG", True)
# Bandit: not a secret, a development default refused when DEBUG is off.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # nosec B105
SECRET_KEY = env("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "crispy_forms",
    "simple_history",
    "axes",
    "rest_framework",  # the API under /api/v1/ (reporting/api/)
    "drf_spectacular",  # its OpenAPI 3 schema
    "drf_spectacular_sidecar",  # Swagger UI from our own static files, no CDN
    "django_otp",  # two-factor sign-in (issue 15): authenticator apps and recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",  # single sign-on through OpenID Connect
    # Our apps, in dependency order: each imports only those above it.
    "providers",
    "contracts",
    "assurance",
    "escalation",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A read that met a dropped database connection is answered again, not with a 500 (issue 16).
    "assurance.middleware.DatabaseRetryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in (issue 15): who has given a code, and nothing else until they have.
    "django_otp.middleware.OTPMiddleware",
    "providers.mfa.MFARequiredMiddleware",
    # Cache-Control: private, no-store on everything sent to a signed-in user.
    "assurance.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "assurance.urls"
WSGI_APPLICATION = "assurance.wsgi.application"

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
                "providers.context_processors.navigation",
            ],
        },
    },
]

# Forms: Django's renderer with its plain input, select and textarea widgets written in Python
# (a month's return has about 140 widgets; rendered through templates they were 40 % of the page).
FORM_RENDERER = "providers.form_renderer.FastWidgets"

# Database: DATABASE_URL, e.g. postgres://user@127.0.0.1:5432/assurance or
# sqlite:////absolute/path.sqlite3. Default: a SQLite file under var/.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        # Connections are kept for a minute and checked before each request reuses one, so a
        # restarted database or a terminated connection costs a reconnect, not an error.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if env("DATABASE_URL", "").startswith("postgres") else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Wait for a writer rather than failing with "database is locked"; and take the write
    # lock when a transaction begins, so two saves of one return queue up (the second then
    # sees the first's version) instead of deadlocking as two readers that both want to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "providers.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # a working day at most
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # and never beyond the browser session

# Login throttling (django-axes): five failed attempts for a username from one address
# lock that pair out for 15 minutes, and twenty for an account from any addresses lock the
# account (providers/throttling.py); the lockout page says so. Axes checks first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Single sign-on (OpenID Connect, e.g. Microsoft Entra ID) is on when OIDC_RP_CLIENT_ID is set:
# people are matched by email to existing active accounts, never created (providers/oidc.py).
AUTHENTICATION_BACKENDS.append("providers.oidc.EmailMatchBackend")
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_HANDLER = "providers.throttling.AccountLimitHandler"
AXES_ACCOUNT_FAILURE_LIMIT = env_int("AXES_ACCOUNT_FAILURE_LIMIT", 20)
# The client's address is the connection's; behind N trusted proxies (TRUSTED_PROXY_COUNT=N),
# the one the outermost proxy appended to X-Forwarded-For. Never what the client wrote there.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "providers.throttling.client_ip"

# Passwords: reset and invitation links work once, for PASSWORD_RESET_HOURS (default a day).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 60 * 60
# Two-factor authentication (django-otp): required for directors and administrators; offered to
# everyone. MFA_REQUIRED=0 switches the requirement off (never in production).
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Provider assurance")
# The Django admin: off in production unless ADMIN_ENABLED=1, and then for superusers who have
# given a second factor only. Administrators manage people at /people/.
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", DEBUG)
# Single sign-on (README, "Sign-in, MFA and single sign-on").
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_LABEL = env("OIDC_LABEL", "")  # the button's wording, e.g. "NHS Wales account"
# Set when the identity provider enforces its own second factor (e.g. Entra ID conditional
# access): then a sign-in through it counts as two-factor here too.
OIDC_PROVIDER_ENFORCES_MFA = env_bool("OIDC_PROVIDER_ENFORCES_MFA", False)
LOGIN_REDIRECT_URL_FAILURE = "/login/"

# Internationalisation: English and Welsh (Welsh translations arrive with a later issue).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "assurance" / "locale"]
# The switcher's choice is kept for a year (Django's default cookie ends with the browser).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files. The NHS.UK frontend comes from npm (node_modules, never committed);
# its CSS refers to /assets/..., so that folder is also served from the site root.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
NHSUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STATICFILES_DIRS = [BASE_DIR / "static"]
if NHSUK_FRONTEND_DIR.is_dir():
    # Its stylesheet without the fonts on assets.nhs.uk (no request to another host, issue 17),
    # found first; everything else from the package itself.
    from providers.nhsuk_assets import local_fonts_copy

    NHSUK_LOCAL_CSS = local_fonts_copy(NHSUK_FRONTEND_DIR / "nhsuk-frontend.min.css", VAR_DIR / "nhsuk-local")
    STATICFILES_DIRS.append(("nhsuk", NHSUK_LOCAL_CSS.parent))
    STATICFILES_DIRS.append(("nhsuk", NHSUK_FRONTEND_DIR))
    WHITENOISE_ROOT = NHSUK_FRONTEND_DIR
# plotly.js for the charts, from npm like the NHS.UK frontend (no CDN).
PLOTLY_DIR = BASE_DIR / "node_modules" / "plotly.js-dist-min"
if PLOTLY_DIR.is_dir():
    STATICFILES_DIRS.append(("plotly", PLOTLY_DIR))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MANIFEST_STRICT = False
# Uploaded and generated files (committee packs). Never served directly: packs are
# downloaded through a view that checks the reader's role and records the download.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"
DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "nhsuk-table"}

# Uploads: spreadsheets of a register are small; refuse anything huge early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_IMPORT_FILE_BYTES = env_int("MAX_IMPORT_FILE_BYTES", 10 * 1024 * 1024)
# Every import (web upload, API, command line) reads under these caps (providers.importing.ImportLimits),
# so a hostile file is refused in a bounded time; a web upload is checked in a background job
# (assurance.uploads) that is also stopped after UPLOAD_JOB_TIME_LIMIT seconds.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 300_000)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 3_000_000)
IMPORT_MAX_XLSX_CELLS = env_int("IMPORT_MAX_XLSX_CELLS", 1_000_000)
IMPORT_MAX_XLSX_UNPACKED_BYTES = env_int("IMPORT_MAX_XLSX_UNPACKED_BYTES", 50 * 1024 * 1024)
UPLOAD_JOB_TIME_LIMIT = env_int("UPLOAD_JOB_TIME_LIMIT", 300)

# Celery: Redis when REDIS_URL is set; otherwise tasks run in-process (eager).
REDIS_URL = env("REDIS_URL", "")
# The cache (the dashboard's reads kept per rated month, assurance/rating_versions.py; the API's rate
# limits): Redis when REDIS_URL is set, so every worker shares it; this process's memory otherwise.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "assurance",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When Redis cannot be reached, sending a task must fail in about a second (the caller then
# runs the work in-process), not hang a web request for twenty.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# visibility_timeout: a task taken by a worker that then died (kill -9, the machine lost) goes back
# on the queue after this long; longer than any job's time limit and retry delay, so a live
# worker's task is never handed to a second one.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 1.0}}
# Jobs that cannot get stuck (issue 16): a task is acknowledged only once it has finished, and a
# task whose worker process died is put back rather than dropped; every task has time limits
# (a job's own in JOB_TIME_LIMITS, seconds, keyed by model); the sweep (assurance.tasking) marks a
# job running past its limit, or whose process on this machine is gone, as failed and retries it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 1800)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 1740)
JOB_TIME_LIMITS = {
    "assurance.ratingrun": env_int("JOB_TIME_LIMIT_RATING", 1800),
    "reporting.committeepack": env_int("JOB_TIME_LIMIT_PACK", 900),
    "assurance.uploadjob": UPLOAD_JOB_TIME_LIMIT,
}
JOB_TIME_LIMIT_DEFAULT = env_int("JOB_TIME_LIMIT_DEFAULT", 900)
# How long past its limit a job may run (or a queued job wait) before the sweep steps in.
JOB_SWEEP_GRACE = env_int("JOB_SWEEP_GRACE", 120)
# The monthly rating job runs the day after the collection deadline (the 15th).
CELERY_BEAT_SCHEDULE = {
    "rate-previous-month": {
        "task": "escalation.tasks.compute_previous_month",
        "schedule": crontab(day_of_month=16, hour=2, minute=0),
    },
    # Every minute: jobs whose worker died are retried, or failed with the reason (issue 16).
    "sweep-stuck-jobs": {"task": "assurance.tasks.sweep_jobs", "schedule": 60.0},
    # Daily at 07:00: returns due in 5 days, overdue returns, the directors' weekly digest (issue 17).
    "send-reminders": {"task": "reporting.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
}

# Email: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "provider-assurance@localhost")
# The site's address as readers reach it: the links in emails start with it.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Production hardening, on whenever DEBUG is off (each can be relaxed by env behind
# a proxy that terminates TLS).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp): our own scripts only, no inline script. plotly.js
# sets inline styles on the charts it draws, so styles allow 'unsafe-inline'. Fonts only from
# ourselves: the NHS.UK frontend's Frutiger on assets.nhs.uk is not used (static/css/app.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The API (reporting/api/): personal tokens (Authorization: Bearer ...) or the browser's session
# (CSRF enforced); pages of 100 rows (page_size up to 1000); a request rate per token
# (API_RATE_LIMIT, e.g. "600/minute"; 429 with Retry-After beyond it).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "reporting.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["reporting.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "reporting.api.pagination.ApiPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
API_RATE_LIMIT = env("API_RATE_LIMIT", "600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Provider assurance API",
    "DESCRIPTION": "Returns in, ratings out: the monthly returns, the ratings, escalation and committee packs.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {"EscalationLevelEnum": "contracts.choices.Level"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # django-axes logs every login and logout at INFO; lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
