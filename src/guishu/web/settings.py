"""Django settings, from environment variables (``_FILE`` variants for secrets).

Defaults give a working local site on SQLite (WAL, IMMEDIATE transactions,
synchronous=FULL) with a demo; ``DATABASE_URL=postgres://...`` switches to
PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(os.environ.get("GUISHU_DATA_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


# Two modes. "demo" (the default, what ./scripts/run starts): a local demo on this machine, with a
# secret key generated into the data folder on first run. "production": every security setting
# on by default, and a secret key and host names must be given (refused otherwise).
MODE = env("GUISHU_MODE", "demo")
if MODE not in ("demo", "production"):
    raise ImproperlyConfigured(f"GUISHU_MODE must be demo or production, not {MODE!r}")
PRODUCTION = MODE == "production"
DEBUG = env("GUISHU_DEBUG", "0") == "1"
# the key every checkout of this code knows: never accepted, in any mode
PUBLIC_KEY = "dev-only-insecure-key-change-me-for-any-real-site"


def _secret_key() -> str:
    given = env("GUISHU_SECRET_KEY")
    if given:
        if given == PUBLIC_KEY or len(given) < 50 or len(set(given)) < 5:
            raise ImproperlyConfigured(
                "GUISHU_SECRET_KEY is the public default or too weak (at least 50 characters, 5 distinct)"
            )
        return given
    if PRODUCTION:
        raise ImproperlyConfigured("GUISHU_MODE=production needs GUISHU_SECRET_KEY (or GUISHU_SECRET_KEY_FILE)")
    # demo mode: a key of this data folder, made once, readable by its owner only
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("GUISHU_DEBUG=1 is refused in production mode")
_hosts = env("GUISHU_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("GUISHU_MODE=production needs GUISHU_ALLOWED_HOSTS (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("GUISHU_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]


def _flag(name: str, production_default: bool) -> bool:
    return env(name, "1" if (PRODUCTION and production_default) else "0") == "1"


# HTTPS: on by default in production, each can be switched from the environment (behind a proxy
# that terminates TLS, set GUISHU_PROXY_SSL_HEADER=1 so Django knows the request was HTTPS)
SECURE_SSL_REDIRECT = _flag("GUISHU_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("GUISHU_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("GUISHU_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("GUISHU_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = _flag("GUISHU_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if _flag("GUISHU_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    "guishu.logins",
    "guishu.record",
    "guishu.sites",
    "guishu.desk",
    "guishu.api",
    "guishu.visits",
    "guishu.rotation",
    "guishu.corrections",
    "guishu.duty",
    "guishu.penalties",
    "guishu.statements",
    "guishu.letters",
    "guishu.disputes",
    "guishu.deals",
    "guishu.handins",
    "guishu.filings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guishu.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # last: turns axes' lockout signal into the Chinese lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "guishu.web.urls"
WSGI_APPLICATION = "guishu.web.wsgi.application"

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
                "guishu.sites.menu.site_menu",
            ]
        },
    }
]

SQLITE_OPTIONS = {
    # WAL lets readers run beside the one writer; FULL makes each commit durable;
    # IMMEDIATE takes the write lock at BEGIN so two writers queue instead of one
    # failing with "database is locked" (LIBRARY-NOTES).
    # wal_autocheckpoint: checkpoints run beside the writer (guishu.record.checkpoints); this is
    # only the safety net, so a commit seldom pays for one
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=10000;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}

_url = env("DATABASE_URL")
if _url:
    DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=600, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "guishu.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
            # keep connections: opening one runs the PRAGMAs above, ~1 ms on every request
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # a file, not Django's shared-cache memory database: that one locks whole tables,
            # and the concurrency tests must meet the same locking as production
            # GUISHU_TEST_DB: a second checkout or helper running tests beside this one
            "TEST": {"NAME": env("GUISHU_TEST_DB", str(DATA_DIR / "test_guishu.sqlite3"))},
        }
    }

# PostgreSQL with two roles (guishu.record.db_roles): DATABASE_URL is the app's role, which owns
# nothing and may only SELECT and INSERT the record; GUISHU_OWNER_DATABASE_URL is the owner's, the
# same database, used only while migrations run (on the default connection, its credentials
# swapped: no second alias, so no query is ever routed to the owner). SQLite ignores it.
DATABASE_ROLES: dict[str, dict[str, object]] | None = None
_owner_url = env("GUISHU_OWNER_DATABASE_URL")
if _owner_url and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _owner = dj_database_url.parse(_owner_url)
    if _owner["ENGINE"] != DATABASES["default"]["ENGINE"] or _owner["NAME"] not in ("", DATABASES["default"]["NAME"]):
        raise ImproperlyConfigured(
            "GUISHU_OWNER_DATABASE_URL must be a postgres:// URL of DATABASE_URL's own database "
            f"({DATABASES['default']['NAME']}), not {_owner['NAME']!r}"
        )
    _default = DATABASES["default"]
    DATABASE_ROLES = {
        "app": {k: _default.get(k, "") for k in ("USER", "PASSWORD", "HOST", "PORT")}
        | {"OPTIONS": dict(_default.get("OPTIONS", {}))},
        "owner": {k: _owner.get(k, "") for k in ("USER", "PASSWORD", "HOST", "PORT")}
        | {"OPTIONS": dict(_owner.get("OPTIONS") or _default.get("OPTIONS", {}))},
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Who may do what is decided per site by guishu.sites.access (memberships and roles), not by
# Django's global groups and permissions
AUTHENTICATION_BACKENDS = ["guishu.logins.backends.WebLoginAxesBackend", "django.contrib.auth.backends.ModelBackend"]
CSRF_FAILURE_VIEW = "guishu.web.errors.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = int(env("GUISHU_SESSION_SECONDS", str(8 * 3600)))  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "guishu" / "locale"]
TIME_ZONE = env("GUISHU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The record's signing key (guishu.record.signing): a file outside the database, made on first use
SIGNING_KEY_PATH = Path(env("GUISHU_SIGNING_KEY", str(DATA_DIR / "keys" / "signing-ed25519.pem")))
# The checkpoint log (guishu.record.checkpoint_log): each site's latest signed tree heads, copied
# outside the database within a second of their commit (docs/security.md)
CHECKPOINT_LOG_DIR = Path(env("GUISHU_CHECKPOINT_LOG", str(DATA_DIR / "checkpoints")))

# Login limits (guishu.logins): per user name, normalised as Django authenticates it, and client
# address; counted in the database, so every worker process shares them; the attempt is taken
# atomically before the password is checked, and django-axes keeps the lockout record.
LOGIN_ATTEMPTS = int(env("GUISHU_LOGIN_ATTEMPTS", "5"))
LOGIN_WINDOW_SECONDS = int(env("GUISHU_LOGIN_WINDOW", "900"))
# behind a reverse proxy: how many proxies append to X-Forwarded-For (0: use the peer address)
TRUSTED_PROXY_COUNT = int(env("GUISHU_TRUSTED_PROXY_COUNT", "0"))
AXES_FAILURE_LIMIT = LOGIN_ATTEMPTS
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "guishu.logins.gate.username_of"
AXES_CLIENT_IP_CALLABLE = "guishu.logins.gate.address_of"
AXES_LOCKOUT_CALLABLE = "guishu.logins.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): only this site's own scripts, styles and images; htmx is
# vendored and configured without inline styles (desk/base.html)
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

# Every server error is written with its traceback to stderr and to a file in the data folder
LOG_DIR = DATA_DIR / "logs"
LOG_DIR.mkdir(parents=True, exist_ok=True)
LOG_LEVEL = env("GUISHU_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "file": {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": str(LOG_DIR / "guishu.log"),
            "formatter": "plain",
            "encoding": "utf-8",
            "delay": True,
        },
    },
    "root": {"handlers": ["stderr", "file"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr", "file"], "level": LOG_LEVEL, "propagate": False},
        "guishu": {"handlers": ["stderr", "file"], "level": LOG_LEVEL, "propagate": False},
        "axes": {"handlers": ["stderr", "file"], "level": "WARNING", "propagate": False},
    },
}
