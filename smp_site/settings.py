"""Settings for the SMP directory, read from the environment.

With no environment at all the site runs on one machine with no services:
SQLite under var/, local media/, a local-memory cache, Celery tasks run eagerly
in the web process and emails are written to var/emails/. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and the storage and email
variables listed in README.md.
"""

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# Settings renamed for what they govern (they were named after quotes, their first user):
# old name -> new name. Until the next release an old name still works, as an environment
# variable or in a settings module that imports this one, and each process logs a warning
# naming the new one (smp_site/apps.py, renamed_setting_warnings below); when both are
# set, the new name wins. A literal, so a script can read it to rename usages.
RENAMED_SETTINGS = {
    # The outbox: every email the site sends (quotes, reviews, contact, applications).
    "QUOTE_SEND_MAX_ATTEMPTS": "OUTBOX_SEND_MAX_ATTEMPTS",
    "QUOTE_SEND_BACKOFF_SECONDS": "OUTBOX_SEND_BACKOFF_SECONDS",
    "QUOTE_SEND_BACKOFF_MAX_SECONDS": "OUTBOX_SEND_BACKOFF_MAX_SECONDS",
    "QUOTE_SEND_TAKEOVER_GRACE_SECONDS": "OUTBOX_SEND_TAKEOVER_GRACE_SECONDS",
    # Background work of every kind: emails, quote deliveries, application photos.
    "QUOTE_SEND_LEASE_SECONDS": "WORK_LEASE_SECONDS",
    "QUOTE_SWEEP_AFTER_SECONDS": "SWEEP_AFTER_SECONDS",
    "QUOTE_SWEEP_INTERVAL_SECONDS": "SWEEP_INTERVAL_SECONDS",
    # Every form that takes photos (quotes, clinic applications, reviews).
    "QUOTE_MAX_PHOTOS": "PHOTO_MAX_PER_FORM",
    "QUOTE_MAX_PHOTO_BYTES": "PHOTO_MAX_BYTES",
    "QUOTE_MIN_PHOTO_SIDE": "PHOTO_MIN_SIDE",
    "QUOTE_MAX_PHOTO_PIXELS": "PHOTO_MAX_PIXELS",
    "QUOTE_MAX_PIXELS_PER_BYTE": "PHOTO_MAX_PIXELS_PER_BYTE",
    "QUOTE_MAX_PNG_PIXELS": "PHOTO_MAX_PNG_PIXELS",
    "QUOTE_MAX_JPEG_SCANS": "PHOTO_MAX_JPEG_SCANS",
    "QUOTE_PHOTO_LONG_SIDE": "PHOTO_LONG_SIDE",
    # Private storage: clients' photos, unpublished review photos, credential documents.
    "QUOTE_PHOTOS_ROOT": "PRIVATE_FILES_ROOT",
    "QUOTE_PHOTO_URL_EXPIRY": "PRIVATE_FILE_URL_EXPIRY",
    "QUOTE_PHOTOS_REDIRECT": "PRIVATE_FILES_REDIRECT",
    # The spam checks of every public form.
    "QUOTE_MIN_FILL_SECONDS": "FORM_MIN_FILL_SECONDS",
    "QUOTE_FORM_MAX_AGE": "FORM_MAX_AGE",
    # Environment variables that set a setting of another name.
    "PAGE_CACHE": "PAGE_CACHE_ENABLED",
    "AXES_COOLOFF_HOURS": "AXES_COOLOFF_TIME",
    "CELERY_WORKER_MAX_MEMORY_KB": "CELERY_WORKER_MAX_MEMORY_PER_CHILD",
}
_OLD_NAME = {new: old for old, new in RENAMED_SETTINGS.items()}


class _Env(environ.Env):
    """django-environ's Env that reads a renamed variable under its old name when only
    that one is set."""

    def get_value(self, var, *args, **kwargs):
        old = _OLD_NAME.get(var)
        if old and var not in self.ENVIRON and old in self.ENVIRON:
            var = old
        return super().get_value(var, *args, **kwargs)


env = _Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))


def renamed_setting_warnings(configured) -> list[str]:
    """Adopt what a deployment still sets under an old name, and say so.

    1. An environment variable: already read above; only the warning is left to give.
    2. A setting in a module that imports this one (`from smp_site.settings import *`,
       then `OUTBOX_SEND_MAX_ATTEMPTS = 3`): copied to the new name on `configured`
       (django.conf.settings), unless that module or the environment set the new name.
    Called once per process when the apps are ready, after LOGGING is in force.
    """
    ours = globals()
    messages = []
    for old, new in RENAMED_SETTINGS.items():
        if old in os.environ:
            if new in os.environ:
                messages.append(f"The environment sets {old} and {new}: {old} is ignored.")
            else:
                messages.append(f"The environment variable {old} is deprecated: call it {new}.")
        if hasattr(configured, old):
            if new in os.environ or getattr(configured, new, None) != ours.get(new):
                messages.append(f"The settings set {old} and {new}: {old} is ignored.")
            else:
                setattr(configured, new, getattr(configured, old))
                messages.append(f"The setting {old} is deprecated: call it {new}.")
    return messages


def env_url(name: str) -> str | None:
    """An optional URL variable; set-but-empty is a mistake, not "unset".

    docker-compose passes an unset variable as "", which django-environ would
    otherwise take as a value and fail on much later, far from the cause.
    """
    if name not in env:
        return None
    # Not env.str(name, default=None): with a None default it turns "" into None.
    value = env.str(name)
    if not value.strip():
        raise ImproperlyConfigured(f"{name} is set but empty: unset it or give it a value.")
    return value


# Core
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = "SMP Clinic Finder"

INSTALLED_APPS = [
    # Before the admin: its TranslationAdmin and the translated columns of the content
    # models (articles/translation.py, pages/translation.py; docs/translations.md).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_countries",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_ratelimit",
    "smp_site",
    "common",
    "outbox",
    "pages",
    "places",
    "clinics",
    "applications",
    "credentials",
    "articles",
    "quotes",
    "training",
    "reviews",
    "members",
    "listing_changes",
    "conversations",
]
# Sample data (`load_demo`): on by default wherever DEBUG is, so `make run` and the tests
# have it; production leaves it out unless DEMO_DATA asks for it.
DEMO_DATA = env.bool("DEMO_DATA", default=DEBUG)
if DEMO_DATA:
    INSTALLED_APPS.append("demo")
# Benchmark: BENCH=1 mounts /_bench/hello/, the trivial view `make bench` compares pages with.
BENCH = env.bool("BENCH", default=False)
# Bench and Lighthouse tooling: the developer's `manage.py bench` runs with DEBUG, the
# server it measures with DEBUG off and BENCH on.
if DEBUG or BENCH:
    INSTALLED_APPS.append("tools")
# `manage.py lintmigrations` (make lint): a dev tool, absent from production installs.
if DEBUG and importlib.util.find_spec("django_migration_linter"):
    INSTALLED_APPS.append("django_migration_linter")

MIDDLEWARE = [
    # First: probes are answered before the Host is checked and before any redirect.
    "common.health.HealthCheckMiddleware",
    "common.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Headers for every page, a cached one too: above the early cache answer.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: from the address (/de/, /es/, /fr/; English has no prefix), before
    # anything resolves a URL, the early cache answer included (common/languages.py).
    "django.middleware.locale.LocaleMiddleware",
    # A first visit to an English address from a reader of German, Spanish or French
    # (their browser's languages, or the choice they made before) goes to their language.
    "common.languages.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A cached public page for a visitor with no session is answered here, before the
    # middleware below, which only a rendered view needs (common/page_cache.py).
    "common.page_cache.EarlyHitMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Axes last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smp_site.urls"
WSGI_APPLICATION = "smp_site.wsgi.application"

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
                "smp_site.context_processors.site",
                "smp_site.context_processors.languages",
                "smp_site.context_processors.sample_data",
            ],
        },
    },
    {
        # What renders many values a page (smp_site/jinja_env.py): the clinic card under
        # templates/jinja2/ (clinics/cards.py), the sitemap pages under an app's jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "smp_site.jinja_env.environment"},
    },
]

# Database
DATABASE_URL = env_url("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
else:
    VAR_DIR.mkdir(exist_ok=True)  # a fresh clone has no var/ (it is not in git)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # A file, not memory, so a Celery worker started by the tests can share it;
            # one per test run, so two runs on one machine don't share it.
            "TEST": {"NAME": VAR_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    }
# Persistent connections in production: opening a PostgreSQL connection costs more than
# rendering most pages (README, "Performance"). Each sync gunicorn worker and each Celery
# process keeps its one connection for a minute of use, checked before it is reused after
# an error or a database restart. With DEBUG on (runserver opens a thread per request,
# each with its own connection) they are closed after every request, as Django's default.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
# Behind a pooler in transaction mode (PgBouncer), a server-side cursor (`.iterator()` on
# PostgreSQL) may meet another client's connection: Django's docs say to turn them off.
DATABASE_POOLER_TRANSACTION_MODE = env.bool("DATABASE_POOLER_TRANSACTION_MODE", default=False)
if DATABASE_POOLER_TRANSACTION_MODE:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (Redis when REDIS_URL is set, so every process shares it). Short socket timeouts:
# a hung Redis must cost a request a second at most (common/fail_open.py does the rest).
REDIS_URL = env_url("REDIS_URL")
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
_REDIS_SOCKET = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "smp",
            "OPTIONS": dict(_REDIS_SOCKET),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Auth
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin brute-force protection: lock a username from one client (IPv4 address or IPv6
# /64) after 5 failures, for an hour. Only the pair: locking a username from everywhere
# would let a stranger keep staff out (common/staff_auth.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# What a locked-out sign-in gets (429): staff's admin and clinic members' password form.
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
# Staff sessions end after this long without a request (each request starts it afresh).
ADMIN_SESSION_IDLE_HOURS = env.float("ADMIN_SESSION_IDLE_HOURS", default=8.0)
SESSION_COOKIE_AGE = int(ADMIN_SESSION_IDLE_HOURS * 3600)
SESSION_SAVE_EVERY_REQUEST = True
# Two-factor sign-in (TOTP, django-otp): staff with an authenticator device must give its
# code; with ADMIN_2FA_REQUIRED every staff member must have one to use the admin. On by
# default in production: the admin holds clients' photos.
ADMIN_2FA_REQUIRED = env.bool("ADMIN_2FA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "SMP Clinic Finder"

# Internationalisation: four languages, each at its own address (smp_site/urls.py,
# common/languages.py). British English is the default and has no prefix.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
]
TIME_ZONE = "UTC"
USE_I18N = True
# The interface's catalogues (`make messages` updates them, `manage.py compilemessages`
# compiles them at install: docs/translations.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the site writes them in English ("7 December 2026"); other languages keep
# Django's own formats for their locale.
FORMAT_MODULE_PATH = ["smp_site.formats"]
# The language a visitor chose in the switcher, for a year; read on their next visit to
# an English address (common/languages.py). Not a secret: readable by the page's script.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content (articles, the FAQ, the site pages) in each language: a column per language
# beside English's (django-modeltranslation). What is not translated yet is read in
# English, and the page says so (docs/translations.md).
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
# Slugs are made from the English title, in whatever language staff read the admin.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = LANGUAGE_CODE
USE_TZ = True

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Private files (clients' photos, unpublished review photos, credential documents) in
# local mode: outside MEDIA_ROOT, never served by URL, only through signed links.
PRIVATE_FILES_ROOT = env.path("PRIVATE_FILES_ROOT", default=VAR_DIR / "private" / "quote-photos")
# Uploads on this machine's disk ("local") or in two S3 buckets ("s3", see below).
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND not in ("local", "s3"):
    raise ImproperlyConfigured(f"STORAGE_BACKEND={STORAGE_BACKEND!r}: use local or s3.")
# Serve public media from MEDIA_ROOT through Django; off in production (S3 serves it).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=STORAGE_BACKEND == "local")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"allow_overwrite": False},
    },
    # whitenoise's manifest storage, each address worked out once (smp_site/static_files.py).
    "staticfiles": {"BACKEND": "smp_site.static_files.StaticFilesStorage"},
    # Private files (the alias is older than its other users): PRIVATE_FILES_ROOT.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": PRIVATE_FILES_ROOT,
            "base_url": None,
            "allow_overwrite": False,
        },
    },
}
# Seconds a presigned URL of a private file stays valid (S3 only; the emailed link itself
# is the site's own signed URL, valid QUOTE_PHOTO_LINK_DAYS, which redirects to a fresh one).
PRIVATE_FILE_URL_EXPIRY = env.int("PRIVATE_FILE_URL_EXPIRY", default=300)
# A private file's view streams from storage, or (S3) redirects to a presigned URL.
PRIVATE_FILES_REDIRECT = False
# Origins public images are served from, added to the CSP img-src.
MEDIA_ORIGINS: list[str] = []
if STORAGE_BACKEND == "s3":
    from .storage_config import S3Settings, s3_origins, s3_storages

    def _required(name: str) -> str:
        value = env.str(name, default="")
        if not value:
            raise ImproperlyConfigured(f"STORAGE_BACKEND=s3 needs {name}.")
        return value

    S3_CONFIG = S3Settings(
        public_bucket=_required("AWS_STORAGE_BUCKET_NAME"),
        private_bucket=_required("AWS_PRIVATE_BUCKET_NAME"),
        endpoint_url=env_url("AWS_S3_ENDPOINT_URL"),
        browser_endpoint_url=env_url("AWS_S3_BROWSER_ENDPOINT_URL"),
        region_name=env.str("AWS_S3_REGION_NAME", default="") or None,
        # Unset: boto3 looks for credentials itself (instance role, AWS_* environment).
        access_key=env.str("AWS_ACCESS_KEY_ID", default="") or None,
        secret_key=env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        custom_domain=env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        url_protocol=env.str("AWS_S3_URL_PROTOCOL", default="https:"),
        addressing_style=env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        private_file_url_expiry=PRIVATE_FILE_URL_EXPIRY,
    )
    STORAGES.update(s3_storages(S3_CONFIG))
    MEDIA_ORIGINS = s3_origins(S3_CONFIG)
    PRIVATE_FILES_REDIRECT = True
# For any other S3 storage: SigV4 presigned URLs (us-east-1 would give SigV2), no overwrites.
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_S3_FILE_OVERWRITE = False
# whitenoise caches hashed names (css/site.3f2a9c1b.css, what {% static %} gives) for
# ten years, immutable; this max-age applies only to the same files' unhashed names.
WHITENOISE_MAX_AGE = 3600

# Email: an explicit EMAIL_BACKEND wins; else the anymail ESP named by ANYMAIL_ESP; else
# SMTP when EMAIL_HOST names a server (a relay, or Mailpit in docker compose's local
# profile); else files in var/emails/ for a developer to read (`check --deploy` warns).
ANYMAIL_ESP = env.str("ANYMAIL_ESP", default="")
ESP_EMAIL_BACKEND: str | None = None
ESP_ANYMAIL: dict[str, str] = {}
if ANYMAIL_ESP:
    from .email_config import esp_settings

    ESP_EMAIL_BACKEND, ESP_ANYMAIL = esp_settings(
        ANYMAIL_ESP,
        api_key=env.str("ANYMAIL_API_KEY", default="") or None,
        api_url=env_url("ANYMAIL_API_URL"),
        sender_domain=env.str("MAILGUN_SENDER_DOMAIN", default="") or None,
        webhook_signing_key=env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default="") or None,
    )
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=ESP_EMAIL_BACKEND
    or (
        "django.core.mail.backends.smtp.EmailBackend"
        if "EMAIL_HOST" in env
        else "django.core.mail.backends.filebased.EmailBackend"
    ),
)
# SMTP (a relay, or Mailpit in docker compose's local profile).
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "emails")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Without one, a silent SMTP server holds a worker until Celery's hard time limit.
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SMP Clinic Finder <hello@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Private messages between clients and artists (conversations/): the domain of the
# relay addresses their notifications come from, reply+<token>@<domain> (the ESP's
# inbound route for it posts to /anymail/mailgun/inbound/); empty: DEFAULT_FROM_EMAIL's.
RELAY_EMAIL_DOMAIN = env.str("RELAY_EMAIL_DOMAIN", default="")
# An inbound event older than this is a replay: refused.
INBOUND_MAX_AGE_SECONDS = env.int("INBOUND_MAX_AGE_SECONDS", default=900)
# Messages one side may write in an hour: in one conversation, and a client (one email
# address) or a clinic across all of theirs.
MESSAGES_PER_CONVERSATION_HOUR = env.int("MESSAGES_PER_CONVERSATION_HOUR", default=10)
MESSAGES_PER_SENDER_HOUR = env.int("MESSAGES_PER_SENDER_HOUR", default=30)

# Anymail: the tracking webhook is mounted only when its secret is set.
ANYMAIL = {
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="") or None,
    **ESP_ANYMAIL,
}
# Replies by email to conversations come through Mailgun's inbound route whichever ESP
# sends (its signing key mounts /anymail/mailgun/inbound/: smp_site/urls.py).
if env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""):
    ANYMAIL.setdefault("MAILGUN_WEBHOOK_SIGNING_KEY", env.str("MAILGUN_WEBHOOK_SIGNING_KEY"))

# Security
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
# Behind a TLS-terminating proxy, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
# (only if the proxy always sets or strips that header).
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER takes two values: HEADER,value.")
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the app over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = CSRF_COOKIE_SECURE
# Request bodies: non-file fields at most 2.5 MB in memory; files past 2.5 MB stream to a
# temporary file (and quote photos are cut off at their cap while streaming).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The real client IP behind N reverse proxies (see common/client_ip.py). 0: REMOTE_ADDR
# as is. Every limit (rate limits with key="ip", the daily limits, axes lockouts) counts
# one client identity: the IPv4 address, or the /64 of an IPv6 address (client_id).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "common.client_ip.client_id"
AXES_CLIENT_IP_CALLABLE = "common.client_ip.client_id"
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str] | bool]] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Only where the site is served over HTTPS: on plain http://localhost it would send the
# browser to https:// for every stylesheet and image.
if env.bool("CSP_UPGRADE_INSECURE_REQUESTS", default=SECURE_SSL_REDIRECT):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in the web process.
# CELERY_BROKER_URL gives the queue a Redis database of its own, so that a cache.clear()
# (or the cache's eviction policy) cannot wipe the tasks waiting in it.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only when it ends, and requeued if its worker process dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Pool processes per worker, pinned: Celery's default is one per CPU of the host, and each
# process keeps a database connection (docs/deployment.md budgets them).
CELERY_WORKER_CONCURRENCY = env.int("WORKER_CONCURRENCY", default=2)
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_TIME_LIMIT = 120
# A pool process that has grown past this (KiB) after a task is replaced by a fresh one.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
# A down or hung Redis must not hold a web request: fail fast, the sweeper catches up.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **_REDIS_SOCKET,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# How often beat runs each sweeper (quote requests, clinic applications, the outbox).
SWEEP_INTERVAL_SECONDS = env.float("SWEEP_INTERVAL_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-quotes": {
        "task": "quotes.tasks.sweep_requests",
        "schedule": SWEEP_INTERVAL_SECONDS,
    },
    "sweep-clinic-applications": {
        "task": "applications.tasks.sweep_applications",
        "schedule": SWEEP_INTERVAL_SECONDS,
    },
    "sweep-stuck-emails": {
        "task": "outbox.tasks.sweep",
        "schedule": SWEEP_INTERVAL_SECONDS,
    },
    "purge-old-quote-photos": {"task": "quotes.tasks.purge_expired_photos", "schedule": 6 * 3600.0},
    "tell-clients-about-replies": {"task": "quotes.tasks.notify_reply_batches", "schedule": 60.0},
    "release-held-quotes": {"task": "quotes.tasks.release_held_requests", "schedule": 60.0},
    "remind-artists": {"task": "quotes.tasks.send_reminders", "schedule": 600.0},
    "update-reply-stats": {"task": "quotes.tasks.update_stats", "schedule": 3600.0},
    # Daily work; each run does only what is due, so running it twice changes nothing.
    "send-review-invites": {"task": "reviews.tasks.send_review_invites", "schedule": 86400.0},
    "remind-expiring-credentials": {
        "task": "credentials.tasks.remind_expiring_credentials",
        "schedule": 86400.0,
    },
    "sweep-review-photos": {"task": "reviews.tasks.sweep_review_photos", "schedule": 600.0},
    "resume-paused-requests": {"task": "clinics.tasks.resume_paused_requests", "schedule": 3600.0},
    # A credential past its last day stops counting in "Recommended" within the hour.
    "refresh-lapsed-credential-badges": {
        "task": "credentials.tasks.refresh_lapsed_badges",
        "schedule": 3600.0,
    },
}

# Quotes
PHOTO_MAX_PER_FORM = 5
PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTO_MIN_SIDE = 200
PHOTO_MAX_PIXELS = 50_000_000  # phone cameras reach ~48 MP; more is a bomb or a scan
# Pixels a file may claim per byte of it, and a PNG's pixels (common/photos.py says why).
PHOTO_MAX_PIXELS_PER_BYTE = 60
PHOTO_MAX_PNG_PIXELS = 16_000_000
# Scans a JPEG may hold: each costs the decoder a pass over the whole image, even at 1/8
# scale. Cameras and phones write 1 (baseline) or about 10 (libjpeg's progressive default
# for colour; mozjpeg 10 to 12; libjpeg's own script for CMYK 18). At 32 a 48-megapixel
# JPEG decodes in about 0.9 s at 1/8 scale, 4 times one with 10 scans; at 64 in 2.4 s.
PHOTO_MAX_JPEG_SCANS = 32
PHOTO_LONG_SIDE = env.int("PHOTO_LONG_SIDE", default=2560)
QUOTE_PHOTO_RETENTION_DAYS = env.int("QUOTE_PHOTO_RETENTION_DAYS", default=180)
# A request's personal details are erased after this long (the privacy policy says so).
QUOTE_REQUEST_RETENTION_DAYS = env.int("QUOTE_REQUEST_RETENTION_DAYS", default=365)
# How long the photo links in artists' emails work.
QUOTE_PHOTO_LINK_DAYS = env.int("QUOTE_PHOTO_LINK_DAYS", default=30)
FORM_MIN_FILL_SECONDS = env.float("FORM_MIN_FILL_SECONDS", default=3.0)
FORM_MAX_AGE = 24 * 3600
QUOTE_RATE_LIMIT = env.str("QUOTE_RATE_LIMIT", default="5/h")  # "0" turns it off
# A request over the rate limit, or sent very fast, is held this long, then sent.
QUOTE_HOLD_MINUTES = env.int("QUOTE_HOLD_MINUTES", default=60)
# More requests than this from one connection in a day: a bot, not a busy office.
QUOTE_DAILY_LIMIT = env.int("QUOTE_DAILY_LIMIT", default=20)
# Spam rows (a trace for staff, no photos) are deleted after this many days.
QUOTE_SPAM_RETENTION_DAYS = env.int("QUOTE_SPAM_RETENTION_DAYS", default=30)
# How long the thanks page after sending a request (with its private links) opens.
QUOTE_THANKS_LINK_HOURS = env.int("QUOTE_THANKS_LINK_HOURS", default=24)
# Tries before an email fails for good on transport errors (the provider down, a key
# expired, an account suspended). 30 s doubling, at most an hour apart: 55 tries span two
# days, so an outage of that length loses nothing (tests/outbox/test_outage.py).
OUTBOX_SEND_MAX_ATTEMPTS = env.int("OUTBOX_SEND_MAX_ATTEMPTS", default=55)
OUTBOX_SEND_BACKOFF_SECONDS = env.float("OUTBOX_SEND_BACKOFF_SECONDS", default=30.0)
OUTBOX_SEND_BACKOFF_MAX_SECONDS = 3600.0
# A claimed send that has not finished after this long is considered abandoned.
WORK_LEASE_SECONDS = env.int("WORK_LEASE_SECONDS", default=300)
# A lost claim may already have sent its email: before sending it again (with the same
# Message-ID), wait this much longer for the ESP's tracking webhook to say it went out.
OUTBOX_SEND_TAKEOVER_GRACE_SECONDS = env.int("OUTBOX_SEND_TAKEOVER_GRACE_SECONDS", default=600)
# Work still pending after this long is enqueued again by the sweeper.
SWEEP_AFTER_SECONDS = env.int("SWEEP_AFTER_SECONDS", default=120)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Public pages are rendered for SITE_URL's host whatever Host a visitor sent
# (common/page_cache.py), so it must be a host the site answers to.
if not validate_host(urlsplit(SITE_URL).hostname or "", ALLOWED_HOSTS):
    raise ImproperlyConfigured(f"SITE_URL's host must be in ALLOWED_HOSTS ({SITE_URL}).")
# Replies and comparison (no accounts: signed, expiring links).
QUOTE_REPLY_LINK_DAYS = env.int("QUOTE_REPLY_LINK_DAYS", default=30)
QUOTE_COMPARE_LINK_DAYS = env.int("QUOTE_COMPARE_LINK_DAYS", default=90)
# Replies arriving within this window reach the client in one email.
QUOTE_REPLY_BATCH_MINUTES = env.int("QUOTE_REPLY_BATCH_MINUTES", default=15)
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Posts of a form with photos (a quote, an application, a review) per client IP, counted
# before any photo is opened: past it the post is refused (common/decorators.py).
# Generous: a person correcting a form posts it a few times; "0" turns it off.
PHOTO_FORM_POST_RATE_LIMIT = env.str("PHOTO_FORM_POST_RATE_LIMIT", default="30/h")
RATELIMIT_USE_CACHE = "default"
# A cache that answers nothing lets requests through (common/decorators.py also catches
# its errors): rate limits are a spam defence, not worth refusing real clients over.
RATELIMIT_FAIL_OPEN = True
# W001: django-ratelimit's list of supported caches predates Django's own RedisCache,
# whose add() and incr() are atomic Redis commands, which is all the rate limit needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    # Without Redis the cache is per process, and so are rate limits (fine on one machine).
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Directory
CLINICS_PER_PAGE = 20
CITIES_PER_PAGE = 60
FEATURED_CITY_COUNT = 8
# Clinic applications (/list-your-clinic/): accepted per client IP, "0" turns the limit off.
CLINIC_APPLICATION_RATE_LIMIT = env.str("CLINIC_APPLICATION_RATE_LIMIT", default="3/h")
# Suggestions as you type (/search/suggest/): requests per client IP, "0" turns it off.
SEARCH_SUGGEST_RATE_LIMIT = env.str("SEARCH_SUGGEST_RATE_LIMIT", default="120/m")
# Search pages rendered (not answered from the page cache) per client; "0" turns it off.
SEARCH_RATE_LIMIT = env.str("SEARCH_RATE_LIMIT", default="60/m")
# Staff told of each new application; empty: no email (staff watch the admin list).
STAFF_NOTIFICATION_EMAILS = env.list("STAFF_NOTIFICATION_EMAILS", default=[])
# Where /contact/ messages go (empty: STAFF_NOTIFICATION_EMAILS); messages per client IP.
CONTACT_EMAILS = env.list("CONTACT_EMAILS", default=[])
CONTACT_RATE_LIMIT = env.str("CONTACT_RATE_LIMIT", default="5/h")
# Seat enquiries accepted per client (an IPv4 address or an IPv6 /64); "0" turns it off.
TRAINING_ENQUIRY_RATE_LIMIT = env.str("TRAINING_ENQUIRY_RATE_LIMIT", default="5/h")
# Submissions naming one email address, counted across every public form that emails it
# (contact, seat enquiry, quote, application). Past it the submission is kept for staff
# and that address is sent nothing; "0" turns it off.
FORM_ADDRESS_RATE_LIMIT = env.str("FORM_ADDRESS_RATE_LIMIT", default="5/d")
# Clinic accounts (members/): a sign-in link works once for this many minutes, an
# invitation for this many days; links asked for per connection and per address.
MEMBER_SIGN_IN_LINK_MINUTES = env.int("MEMBER_SIGN_IN_LINK_MINUTES", default=20)
MEMBER_INVITATION_DAYS = env.int("MEMBER_INVITATION_DAYS", default=7)
MEMBER_SIGN_IN_RATE_LIMIT = env.str("MEMBER_SIGN_IN_RATE_LIMIT", default="10/h")
MEMBER_SIGN_IN_ADDRESS_RATE_LIMIT = env.str("MEMBER_SIGN_IN_ADDRESS_RATE_LIMIT", default="3/h")

# Credentials: clinics are emailed this many days before one runs out (once per expiry).
CREDENTIAL_REMINDER_DAYS = env.int("CREDENTIAL_REMINDER_DAYS", default=30)

# Reviews: a client who chose an artist is invited once the treatment has healed, and
# again a year on ("how has it held up?"); each invitation's link works REVIEW_LINK_DAYS.
REVIEW_INVITE_AFTER_DAYS = env.int("REVIEW_INVITE_AFTER_DAYS", default=90)
REVIEW_FOLLOW_UP_DAYS = env.int("REVIEW_FOLLOW_UP_DAYS", default=365)
REVIEW_LINK_DAYS = env.int("REVIEW_LINK_DAYS", default=60)
# How long the clinic's link to reply publicly to a published review works.
REVIEW_REPLY_LINK_DAYS = env.int("REVIEW_REPLY_LINK_DAYS", default=60)
REVIEW_MAX_PHOTOS = 3
# "Price matched the quote" is shown as a share once this many clients answered.
REVIEW_PRICE_MATCH_MIN_ANSWERS = 5
REVIEWS_ON_PROFILE = 10

# Articles
ARTICLES_PER_PAGE = 12

# Training
TRAINING_CLASSES_PER_PAGE = 20
TRAINING_EVENTS_PER_PAGE = 20
# How long the organiser's "mark seats taken" link in enquiry emails works.
TRAINING_SEAT_LINK_DAYS = env.int("TRAINING_SEAT_LINK_DAYS", default=60)

# Logging: to the console, never client personal data (views don't log form contents),
# never a private link (common/logs.py redacts them on every handler), each line with
# the id of the request or task it came from. LOG_FORMAT=json: one JSON object a line.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use plain or json.")
LOG_FIELDS = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "common.logs.RedactFilter"},
        "request_id": {"()": "common.logs.RequestIdFilter"},
    },
    "formatters": {
        "plain": {"format": LOG_FIELDS},
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "format": LOG_FIELDS},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # To the root console only: Django's default also mails error reports, with the
        # request's POST data (a client's name, email, phone), to any ADMINS.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Error tracking: Sentry when SENTRY_DSN is set, with no personal data (smp_site/errors.py).
SENTRY_DSN = env_url("SENTRY_DSN")
if SENTRY_DSN:
    from .errors import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Health checks (common/health.py): what makes /healthz/ready/ answer 503. The database
# always does; "redis", "storage" and "worker" are reported either way, and fatal only if
# listed.
HEALTHZ_FATAL = env.list("HEALTHZ_FATAL", default=[])
if set(HEALTHZ_FATAL) - {"redis", "storage", "worker"}:
    raise ImproperlyConfigured("HEALTHZ_FATAL takes redis, storage and worker, comma-separated.")
# Below this much free space on the private files' disk, storage is reported failing.
HEALTHZ_MIN_FREE_MB = env.int("HEALTHZ_MIN_FREE_MB", default=500)
# A worker whose heartbeat is older than this is reported stopped; beat sends one every
# WORKER_HEARTBEAT_SECONDS (smp_site.tasks.heartbeat), so a stop shows within a minute.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=15)
HEALTHZ_WORKER_SILENT_SECONDS = env.int("HEALTHZ_WORKER_SILENT_SECONDS", default=45)
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {
    "task": "smp_site.tasks.heartbeat",
    "schedule": float(WORKER_HEARTBEAT_SECONDS),
    # A heartbeat that waited in a queue nobody reads tells nothing once read: dropped.
    "options": {"expires": float(WORKER_HEARTBEAT_SECONDS)},
}

# Admin exports (CSV, XLSX): a cell an applicant wrote as =HYPERLINK(...) stays text.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# Page cache: whole public pages for anonymous visitors (common/page_cache.py).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Each process keeps its own copies of this many recent pages (Django's local-memory
# backend, the "pages-local" cache), so a hit on a popular page needs no network.
PAGE_CACHE_LOCAL_ENTRIES = env.int("PAGE_CACHE_LOCAL_ENTRIES", default=300)
# A page larger than this is served but not stored (the largest, a sitemap page of 400
# addresses with their alternates in four languages, is about 350 KB).
PAGE_CACHE_MAX_BYTES = env.int("PAGE_CACHE_MAX_BYTES", default=512 * 1024)
if PAGE_CACHE_LOCAL_ENTRIES > 0:
    CACHES["pages-local"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages-local",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_LOCAL_ENTRIES},
    }
# How long a process trusts the content version it last read: a staff edit shows in other
# processes within this many seconds; 0 asks the shared cache on every request.
PAGE_CACHE_VERSION_SECONDS = env.float("PAGE_CACHE_VERSION_SECONDS", default=1.0)
