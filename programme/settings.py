"""Pairwise settings: one module, read from the environment, with working local defaults.

Local development needs no environment at all (SQLite file, console email, DEBUG on).
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from import_export.formats import base_formats

from programme.exports import SafeCSV, SafeXLSX

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-local-development-key-only"  # noqa: S105 - never used with DEBUG off

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "programme.admin_site.PairwiseAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "django_tasks_db",
    "programme",
    "notifications",
    "cohorts",
    "pairs",
    "outputs",
    "reports",
    "privacy",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "programme.urls"
WSGI_APPLICATION = "programme.wsgi.application"
ASGI_APPLICATION = "programme.asgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Pages run many short queries; PostgreSQL's JIT compiles plans it misjudges as expensive and
    # spent 0.7 s doing so on the memberships admin at 100x (bench/README.md has before and after).
    # random_page_cost 1.1 instead of 4: the working set is in memory, so an index lookup costs about
    # what a sequential read does. With 4, the commitment aggregates hash-joined the whole activity
    # table (100,000 rows) for 50 members: 62 ms, against 17 ms through the primary key.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "programme.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins lock the account (the email typed into the sign-in form's "username" field) and,
# separately, the client address: either reaching the limit refuses every sign-in, the right
# password included, until the cool-off ends or a manager unlocks it (admin: People, or Access attempts).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "programme.signin.normalised_username"
AXES_CLIENT_IP_CALLABLE = "programme.signin.client_ip_address"
AXES_LOCKOUT_CALLABLE = "programme.signin.locked_out_response"
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies, how many of them append the client's address to X-Forwarded-For. 0 (the
# default) reads the connecting address only, so a client cannot forge its address with the header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Per-process memory caches. "report_html" keeps the year-end report's HTML from pandoc for a given Markdown
# source (reports.pipeline.markdown_to_html), so viewing the preview again without a change skips the
# pandoc run, the larger half of the page's time at 100x; any change to the report's data changes the key.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "report_html": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "report-html",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 20},
    },
    # The preview's report part, under a stamp any change to the report's data changes (reports.preview).
    "report_preview": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "report-preview",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 20},
    },
    # The public library's listing per query string, under the library's version (outputs/library_cache.py);
    # kept per process, so the expiry only bounds what a bulk write that bypasses the version could leave.
    "library_html": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "library-html",
        "TIMEOUT": 10 * 60,
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
OUTPUT_UPLOAD_MAX_BYTES = int(os.environ.get("OUTPUT_UPLOAD_MAX_BYTES", str(25 * 1024 * 1024)))

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pairwise <noreply@pairwise.test>")
# Where people report accessibility problems or ask for content in another format (the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "accessibility@pairwise.test")
ACCESSIBILITY_STATEMENT_PREPARED_ON = "1 December 2026"
# Console email in local development only. Production sends through SMTP: the server named by
# EMAIL_HOST, or a local mail transfer agent on port 25 (Django's own default) when none is named.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host or "localhost",
                "port": int(os.environ.get("EMAIL_PORT", "587" if _email_host else "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(_email_host)),
                # A mail server that stops answering must not hold a worker (and the message's row) for ever:
                # the send fails as temporary and is retried later.
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Mail and other slow work run as tasks stored in the database and run by `manage.py db_worker`,
# a separate process beside the web processes (see README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Retention: applications declined more than this many months ago are deleted by
# `manage.py apply_retention` (scheduled daily; see the README's "Privacy").
PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS = int(os.environ.get("PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS", "12"))

# /healthz/ready fails when the oldest runnable background task has waited longer than this.
HEALTH_TASK_BACKLOG_MAX_SECONDS = int(os.environ.get("HEALTH_TASK_BACKLOG_MAX_SECONDS", "300"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Spreadsheet exports must never carry a live formula. The admin exports through the project's own
# formats (programme.exports.safe_cell neutralises =, +, -, @, tab and CR); import-export's escaping
# only strips one leading "=", so it is off rather than mangling what safe_cell already made inert.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
EXPORT_FORMATS = [SafeCSV, SafeXLSX]
# An admin export of more rows than this is written by the task worker into a file offered for download when
# ready (programme.export_files), streaming in constant memory; smaller ones are answered in the request.
EXPORT_IN_REQUEST_MAX_ROWS = int(os.environ.get("EXPORT_IN_REQUEST_MAX_ROWS", "2000"))
# Exported files are deleted this many days after they were asked for (`manage.py apply_retention`).
EXPORT_FILES_KEEP_DAYS = int(os.environ.get("EXPORT_FILES_KEEP_DAYS", "7"))
IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Load balancers probe health over plain HTTP on the private side: no redirect to HTTPS there.
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
# No page of Pairwise is meant to be framed, not even by itself.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
