"""Koersmonitor settings, read from the environment.

The defaults run a local development copy on SQLite with no further setup. Production
sets DEBUG=False, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL); the secure
cookie and HSTS settings follow from DEBUG being off.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "zorg.apps.ZorgConfig",
    # Django's admin with our site (zorg/admin_site.py): no login page of its own, history
    # pages that cannot save, an owner autocomplete for who may change the measure.
    "zorg.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "organisations",
    "measures",
    "chapters",
    "indicators",
    "budgets",
    "reports",
    "imports",
    "notifications",
    # Background work (report rendering, publishing, imports) through Django's tasks API.
    "django_tasks",
    "django_tasks_db",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Chooses the user's organisation and scopes every query of the request to it.
    "organisations.middleware.ActiveOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends sessions after SESSION_IDLE_TIMEOUT and SESSION_ABSOLUTE_TIMEOUT.
    "zorg.session_timeout.SessionTimeoutMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a refused login into the lockout page; django-axes wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zorg.urls"
WSGI_APPLICATION = "zorg.wsgi.application"

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
                "measures.context_processors.site",
            ],
        },
    },
    {
        # Only for the overview's table rows (templates/jinja2/), where a thousand rows
        # through the Django template language cost more than the whole page may.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": True},
    },
]

# Persistent connections: each server process (gunicorn worker, task worker) keeps its
# database connection for CONN_MAX_AGE seconds instead of opening one per request, which
# on PostgreSQL costs a few milliseconds each time (bench/load.py measures the effect).
# CONN_HEALTH_CHECKS tests a reused connection before a request, so a restarted database
# costs one error-free reconnect instead of a failed request. The development server and
# the tests keep 0 (a connection per request), which shows no connection left open.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 0 if DEBUG else 60)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=CONN_MAX_AGE > 0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by the web server and the task worker: wait for the
    # other's write instead of failing at once, and let readers read during a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions are read from the cache and written through to the database, so a page view
# does not spend a query on the session row. That needs a cache all server processes
# share (REDIS_URL): with a per-process cache, logging out in one process would leave
# the session alive in the others. Without Redis, production reads sessions from the
# database; the single-process development server may use its own memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = (
        "django.contrib.sessions.backends.cached_db"
        if DEBUG
        else "django.contrib.sessions.backends.db"
    )

# Background work goes through Django's tasks API (the django-tasks backport; see
# jobs/services.py). The database backend is the default: nothing else to run but its
# worker, `manage.py worker`, next to the web server. Installations with several web and
# worker machines set TASKS_BACKEND=rq and REDIS_URL: tasks then go through Redis (RQ)
# and `manage.py worker` starts django-rq's worker instead.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be 'database' or 'rq', not {TASKS_BACKEND!r}.")
# The queue jobs are put on (CI's browser test on PostgreSQL uses its own, served by the
# worker .ci/run starts); how many tasks a worker process runs before it is replaced; and
# after how many seconds without a sign of life a running job counts as stalled.
JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "default")
JOBS_RECYCLE_AFTER = int(os.environ.get("JOBS_RECYCLE_AFTER", "10"))
# How much lower the worker's CPU priority is than the web server's (nice, 0-19).
JOBS_WORKER_NICE = int(os.environ.get("JOBS_WORKER_NICE", "10"))
JOBS_STALLED_AFTER = int(os.environ.get("JOBS_STALLED_AFTER", "600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes comes first: it refuses a locked-out login before a password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "zorg.auth.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

# Sign-in through the municipality's identity provider with OpenID Connect (Entra ID,
# Keycloak, ...; organisations/oidc.py, README "Inloggen via OpenID Connect"). Off unless
# OIDC_RP_CLIENT_ID is set: then the login page has only the local form, and the OIDC
# addresses answer 404. Local accounts keep working either way.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
# Either the provider's discovery document (read when first needed, then cached) or the
# endpoints one by one; an endpoint given here wins over the discovered one.
OIDC_OP_DISCOVERY_URL = os.environ.get("OIDC_OP_DISCOVERY_URL", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
# The claims read at sign-in: the account's username (stable and unique at the provider:
# "sub", or Entra's "oid"), the organisation's CBS code, and the claims holding roles and
# groups (a value is a role name, or an entry of the organisation's claim mapping).
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "sub")
OIDC_ORGANISATION_CLAIM = os.environ.get("OIDC_ORGANISATION_CLAIM", "cbs_code")
OIDC_ROLE_CLAIMS = env_list("OIDC_ROLE_CLAIMS", "roles,groups")
if OIDC_ENABLED:
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OIDC_RP_CLIENT_SECRET must be set with OIDC_RP_CLIENT_ID.")
    if not OIDC_OP_DISCOVERY_URL and not (
        OIDC_OP_AUTHORIZATION_ENDPOINT
        and OIDC_OP_TOKEN_ENDPOINT
        and (OIDC_OP_JWKS_ENDPOINT or OIDC_RP_SIGN_ALGO.startswith("HS"))
    ):
        raise ImproperlyConfigured(
            "OIDC needs OIDC_OP_DISCOVERY_URL, or OIDC_OP_AUTHORIZATION_ENDPOINT, "
            "OIDC_OP_TOKEN_ENDPOINT and (for RS256 and ES256) OIDC_OP_JWKS_ENDPOINT."
        )
    # After the local backends: a password login never reaches it, and django-axes (first)
    # still refuses a locked-out client before anything else runs.
    AUTHENTICATION_BACKENDS.append("organisations.oidc.OIDCBackend")

# Failed logins are counted per username and client address (zorg/lockout.py). At the
# limit that pair is refused, right password or not, until the cool-off has passed
# without another attempt; a successful login starts the count again. Attempts live in
# the database, so every server process sees them. `manage.py axes_reset_username <name>`
# lifts a lock early.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zorg.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "zorg.lockout.client_ip"
# Locks are lifted by the cool-off or the command above, not in the admin.
AXES_ENABLE_ADMIN = False
# How many reverse proxies, each appending to X-Forwarded-For, stand between the clients
# and this server. 0 trusts no forwarded header: every client then has the proxy's address.
REVERSE_PROXY_COUNT = env_int("REVERSE_PROXY_COUNT", 0)

# A session ends after this long without a request, and this long after the login
# however active the user is (zorg/session_timeout.py). The cookie lasts no longer.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 10))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Money is formatted by measures.money only; a global separator would turn years into "2.019".
USE_THOUSAND_SEPARATOR = False
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the pages show them: zorg/formats/nl/formats.py.
FORMAT_MODULE_PATH = ["zorg.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Production serves the files `manage.py collectstatic` collected, through WhiteNoise, under
# names with their content's hash (cached by browsers for good) and with gzip and
# Brotli copies made once at collectstatic. The development server and the tests find the
# files where they are, with no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: scripts and stylesheets come from static files only
# (tests/test_csp.py checks every page and template). The report's self-contained web
# version has a stricter policy of its own (reports/views.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# E-mail (notifications/notify.py): the development server and the demo print every mail
# on the console; production sends through SMTP (EMAIL_HOST and friends). SITE_URL is the
# address the links in the mails point to.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Koersmonitor <koersmonitor@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Owners with unfinished updates get a reminder this many days before the deadline, and
# one on the deadline itself (`manage.py send_reminders`, run daily).
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 3)

# Contact in /.well-known/security.txt (zorg/security_txt.py): a mailto: or https: URI.
# The default is the Dutch government's CERT, which forwards reports; a municipality
# sets its own coordinated vulnerability disclosure address.
SECURITY_CONTACT = os.environ.get(
    "SECURITY_CONTACT", "https://www.ncsc.nl/contact/kwetsbaarheid-melden"
)
if not DEBUG:
    # Production serves the collected static files (manage.py collectstatic) itself.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
