"""Settings, read from environment variables through small typed helpers.

Everything an operator may change is an environment variable; defaults are safe for a
developer's machine (SQLite under var/, DEBUG off unless asked for).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
# The working directory holds the instance's state (database, generated keys), so the same
# installed package serves several instances.
VAR_DIR = Path(os.environ.get("UNDERSIGNED_VAR_DIR", Path.cwd() / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None else int(value)


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return default if value is None else [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # A development instance gets a stable key of its own under var/, never a committed one.
    from core.secrets import instance_secret

    SECRET_KEY = instance_secret(VAR_DIR, "secret_key")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",  # failed sign-ins, per account and per address (orgs/signin_limits.py)
    "ninja",  # serves the API docs' viewer from our own static files, not a CDN
    "orgs",
    "record",
    "register",
    "reports",
    "letters",
    "web",
]

MIDDLEWARE = [
    "undersigned.middleware.ExplainHttpsRedirect",  # before the redirect it explains
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "undersigned.middleware.RefuseUnreadableForms",  # before the CSRF check reads the form
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "orgs.actors.ActorMiddleware",  # request.actor: the person's roles and organisations, read on first use
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "undersigned.middleware.ContentSecurityPolicy",
    # Last, as Axes asks: turns a sign-in refused for too many failures into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "undersigned.urls"
WSGI_APPLICATION = "undersigned.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.limits",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'undersigned.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "undersigned.db.sqlite"  # a writer queue; see its docstring
    DATABASES["default"]["OPTIONS"] = {
        # Take the write lock at BEGIN: two writers that both read first would otherwise
        # deadlock on upgrade and one would fail with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # WAL lets readers go on while one writer commits; FULL keeps every answered
        # request's commit on disk through a power cut.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
# All our translations, the web pages' and the refusals of letters.actions alike.
LOCALE_PATHS = [BASE_DIR / "web" / "locale"]
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Files the site keeps (published PDFs): served by their own views, never straight from here.
# Point "default" at object storage (django-storages) to share them between hosts.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Renders of PDFs not yet kept, which take most of a second or more each: per client address, and
# at once per process (web/pdf.py).
PDF_RENDER_RATE = os.environ.get("PDF_RENDER_RATE", "10/m")
PDF_RENDERS_AT_ONCE = envint("PDF_RENDERS_AT_ONCE", 2)

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

# Password guessing (orgs/signin_limits.py): failures are counted in the database, so
# every server process sees the same counts. 5 failed passwords lock an account, from wherever
# they come; 20 lock an address, since a mission's office or a conference network signs in from
# one; 20 invalid API tokens lock an address's invalid tokens. A lock lasts 15 minutes from the
# last failure counted: long enough that guessing gets at most 480 tries a day at an account,
# short enough that a person who mistyped is not kept out for long.
AUTHENTICATION_BACKENDS = [
    "orgs.signin_limits.SignInLimitsBackend",  # refuses a locked sign-in before any password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "orgs.signin_limits.SignInLimits"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
SIGNIN_ADDRESS_FAILURE_LIMIT = 20
API_TOKEN_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Tries during a lock are not counted, so it ends when the page said it would.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "web.views.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "orgs.signin_limits.client_address"
AXES_CLIENT_STR_CALLABLE = "orgs.signin_limits.describe_client"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# No table of every successful sign-in, kept for ever: it would record who works when, and
# nothing here reads it.
AXES_DISABLE_ACCESS_LOG = True
# How many proxies in front of the server append to X-Forwarded-For (the README's table).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Requests larger than this are refused before a view reads them (a letter body is far smaller).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)

# API request rates, per client: anonymous by address, authenticated by token or session.
API_RATE_ANONYMOUS = os.environ.get("API_RATE_ANONYMOUS", "600/m")
API_RATE_AUTHENTICATED = os.environ.get("API_RATE_AUTHENTICATED", "6000/m")

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Undersigned <noreply@undersigned.example>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Passkeys (WebAuthn): the origin the pages are served from, and the relying party id (its host
# name) passkeys are made for; an assertion made anywhere else is refused. Browsers refuse an IP
# address as relying party: passkeys need the site under a name (http://localhost:8000 at home).
WEBAUTHN_ORIGIN = os.environ.get("WEBAUTHN_ORIGIN", SITE_URL).rstrip("/")
WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", urlsplit(WEBAUTHN_ORIGIN).hostname or "localhost")

# The record: the log's name (the checkpoint's origin line) and its note signing key.
LOG_ORIGIN = os.environ.get("LOG_ORIGIN", "undersigned.example/log")
LOG_SIGNING_KEY = os.environ.get("LOG_SIGNING_KEY", "")
# "background": a thread per process integrates new entries just after commit (the server);
# "inline": the committing request integrates before it answers (tests, one-shot commands).
LOG_INTEGRATION = os.environ.get("LOG_INTEGRATION", "background")
# Concurrent signatures in one server process share a transaction (letters/group_commit.py).
GROUP_COMMIT = envbool("GROUP_COMMIT", True)
# Seconds the background integrator rests between passes: the most a new checkpoint lags.
LOG_INTEGRATION_INTERVAL = float(os.environ.get("LOG_INTEGRATION_INTERVAL", "0.25"))
# Witnesses that cosign each new checkpoint (C2SP tlog-witness): "URL VKEY" pairs separated by
# ";", the URL being the witness's submission prefix. Checked at start-up (record/checks.py).
LOG_WITNESSES = [tuple(pair.split()) for pair in os.environ.get("LOG_WITNESSES", "").split(";") if pair.strip()]
# Organisation keys are held by the server, encrypted at rest under this key.
ORG_KEY_ENCRYPTION_KEY = os.environ.get("ORG_KEY_ENCRYPTION_KEY", "")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
