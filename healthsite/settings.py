"""
healthsite settings, read from environment variables.

With nothing set, the site runs locally: DEBUG on, SQLite in a git-ignored file and a
local-memory cache. Production sets DJANGO_DEBUG=0 and must then name its SECRET_KEY and
ALLOWED_HOSTS, or start-up stops with a message saying which is missing. Every variable is
listed in docs/settings.md.
"""

import os
from datetime import timedelta
from email.utils import formataddr, getaddresses
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from healthsite.object_storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean such as 1 or 0, not {value!r}.")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_addresses(name: str) -> list[str]:
    """Email addresses, comma-separated, each bare or as `Name <address>`."""
    value = os.environ.get(name, "")
    found = [pair for pair in getaddresses([value]) if any(pair)]
    if any("@" not in address for _, address in found) or (value.strip() and not found):
        raise ImproperlyConfigured(
            f"{name} must be email addresses such as 'Ada Okafor <ada@example.org>, "
            f"ops@example.org', not {value!r}."
        )
    return [formataddr(pair) for pair in found]


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    # A key for local work only: with DEBUG off the real one is required below.
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only-key-not-for-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 the site needs a long random "
            "secret key; make one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. With DJANGO_DEBUG=0 list the site's host names, "
            "comma-separated, e.g. DJANGO_ALLOWED_HOSTS=health.example.org"
        )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "taggit",
    "axes",
    "reversion",
    "accounts",
    "articles",
    "comments",
    # After articles: its admin adds the conditions an article is about to the article form.
    "conditions",
    # The site's own pages (about us, privacy...), linked from every page's footer.
    "pages",
    "images",
    "demo",
    "operations",
    # The task queue (healthsite/mail.py, articles/tasks.py) and what the mail queue keeps.
    "django_tasks_db",
    "mailqueue",
]

MIDDLEWARE = [
    # First: NUL or invalid UTF-8 in a request is refused before anything reads it.
    "healthsite.bad_input.BadInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page and 304 when unchanged, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    "healthsite.db_router.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # The database away: cached pages still, else a 503 "busy" page (healthsite/database_down.py).
    "healthsite.database_down.DatabaseDownMiddleware",
    "healthsite.caching.middleware.AnonymousPageCacheMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "healthsite.urls"
WSGI_APPLICATION = "healthsite.wsgi.application"

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
            "libraries": {"cached_fragments": "healthsite.caching.fragments"},
        },
    },
]

# SQLite by default so that `make run` needs nothing installed; DATABASE_URL=postgres://...
# switches to PostgreSQL with persistent connections that are checked before reuse.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=600),
        conn_health_checks=True,
    )
}
# Read replicas: DATABASE_REPLICA_URLS=postgres://...,postgres://... sends reads there (see
# healthsite/db_router.py); a visitor's reads go to the primary for REPLICA_LAG_SECONDS after
# they write, so they see their own changes.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = {
        **dj_database_url.parse(
            url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=600),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        # The site's queries are short and indexed: compiling them to machine code (JIT)
        # takes longer than running them, and PostgreSQL's cost guesses can trigger it.
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASE_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica")]
REPLICA_LAG_SECONDS = env_int("REPLICA_LAG_SECONDS", default=10)
DATABASE_ROUTERS = ["healthsite.db_router.PrimaryReplicaRouter"]

REDIS_URL = os.environ.get("REDIS_URL", "")
# Either cache hashes keys too long or unusual for a cache (the page cache's hold the
# page's address): healthsite/caching/keys.py.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "healthsite.caching.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_FUNCTION": "healthsite.caching.keys.make_key",
            "OPTIONS": {
                # With Redis away the site serves without its cache instead of failing.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "healthsite.caching.keys.make_key",
        }
    }
# What django-redis ignored is logged, once per outage (healthsite/caching/redis.py).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "healthsite.caching.redis"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses sign-ins during a cool-off before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:home"
LOGOUT_REDIRECT_URL = "articles:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # Uploads: MEDIA_ROOT, or an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set.
    "default": media_storage(os.environ),
    # Hashed, compressed names need `collectstatic`; local runs and tests read the
    # source folders directly instead.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Locally WhiteNoise serves files straight from the source folders, picking up edits.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Content-Security-Policy on every response. No inline script or style anywhere: everything
# the pages need comes from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Failed sign-ins: after AXES_FAILURE_LIMIT failures for one account from one address, or
# from one address whatever the account, further tries from there wait for the cool-off.
# An account is never locked for everyone: the same user elsewhere can still sign in.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
AXES_VERBOSE = False
# The username recorded of a failed sign-in, cut to the length of its column.
AXES_USERNAME_CALLABLE = "healthsite.bad_input.axes_username"
# How many proxies of ours sit in front of the site and append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)

# Production sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Email: locally, printed on the console where a developer can read it; in production (or
# whenever SMTP_HOST is set) sent through an SMTP server.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "healthsite <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who is emailed each server error (with DEBUG off, by Django's mail_admins handler), e.g.
# DJANGO_ADMINS="Ada Okafor <ada@example.org>, ops@example.org". Empty: nobody, and the
# error page says only that the error is in the log.
ADMINS = env_addresses("DJANGO_ADMINS")
MAILERS: dict[str, dict[str, Any]]
if DEBUG and not os.environ.get("SMTP_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("SMTP_HOST", "localhost"),
                "port": env_int("SMTP_PORT", default=587),
                "username": os.environ.get("SMTP_USERNAME", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }

# Tasks (django.tasks): every email, and the scheduled jobs when they are enqueued rather
# than run from cron. "database" keeps them in the database for `manage.py db_worker` to
# run (production: the default with DEBUG off); "immediate" runs each in the process that
# queues it, when its transaction commits (the default with DEBUG on, so `make run` needs no
# worker). See docs/deployment.md.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}."
    )
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS[TASKS_BACKEND],
        # Emails have a queue of their own, so a long job (the link check) never holds
        # them up: see healthsite.mail.QUEUE.
        "QUEUES": ["default", "email"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"once_per_outage": {"()": "healthsite.caching.redis.OncePerOutage"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; failures and lock-outs come as warnings.
    "loggers": {
        "axes": {"level": "WARNING"},
        "healthsite.caching.redis": {"filters": ["once_per_outage"]},
    },
}

# Whole pages for anonymous readers are cached at most this long (0 turns it off); saving
# content invalidates them at once. See healthsite/caching/ and docs/caching.md.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", default=60)
# Parts of the article page that are the same for every reader (the article itself, its
# related articles, and the first page of comments as a visitor sees it) are cached on
# their own, for signed-in readers too; invalidated like whole pages. 0 turns it off.
# With Redis every process sees an invalidation at once, so fragments may live longer; in a
# local-memory cache other processes only catch up when they expire.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", default=600 if REDIS_URL else 60)
PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/comments/")
# How long a CDN may serve a page past its s-maxage while it fetches a fresh copy.
STALE_WHILE_REVALIDATE_SECONDS = env_int("STALE_WHILE_REVALIDATE_SECONDS", default=30)
# How long nginx in front (deploy/nginx/healthsite.conf) keeps an anonymous page (it is told
# by an X-Accel-Expires header): a few seconds, since saving content cannot empty its
# cache. 0: nginx keeps nothing.
PROXY_CACHE_SECONDS = env_int("PROXY_CACHE_SECONDS", default=5)

ARTICLES_PER_PAGE = 10
COMMENTS_PER_PAGE = 50
# Comment limits per user, counted in the shared cache so every server process agrees.
COMMENTS_PER_MINUTE = env_int("COMMENTS_PER_MINUTE", default=5)
COMMENTS_PER_DAY = env_int("COMMENTS_PER_DAY", default=50)
URLIZE_ASSUME_HTTPS = True

# Care cards in article bodies (articles/markdown.py): for each kind, the label and what to
# do, as the card's heading says it. The numbers are the local ones: a site outside the UK
# sets EMERGENCY_NUMBER=112 (or 911) and URGENT_NUMBER to its own advice line.
EMERGENCY_NUMBER = os.environ.get("EMERGENCY_NUMBER", "999")
URGENT_NUMBER = os.environ.get("URGENT_NUMBER", "111")
CARE_CARDS = {
    "non-urgent": ("Non-urgent advice", "make an appointment with a GP if:"),
    "urgent": (
        "Urgent advice",
        f"call {URGENT_NUMBER} or ask your GP for a same-day appointment if:",
    ),
    "emergency": (
        "Emergency",
        f"call {EMERGENCY_NUMBER} or go to the emergency department now if:",
    ),
}

# Writing checks in the article editor (articles/editorial/checks.py). The reading age to
# write for, in years: plain English for health information aims at about 11.
TARGET_READING_AGE = env_int("TARGET_READING_AGE", default=11)
# The editors' home page lists the least helpful articles among those with at least this
# many answers to "Was this page helpful?" (articles/feedback.py).
FEEDBACK_MIN_ANSWERS = env_int("FEEDBACK_MIN_ANSWERS", default=10)

# The link checker (`manage.py check_references`) never asks internal addresses (loopback,
# private networks, cloud metadata): list networks it may ask anyway, e.g. an intranet's
# 10.1.0.0/16. Empty unless set.
LINK_CHECKER_ALLOWED_NETWORKS = env_list("LINK_CHECKER_ALLOWED_NETWORKS")
