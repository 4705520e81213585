"""Django settings, from environment variables (``_FILE`` variants for secrets).

Defaults give a working local site on SQLite (WAL, IMMEDIATE transactions,
synchronous=FULL) with a demo; ``DATABASE_URL=postgres://...`` switches to
PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(os.environ.get("GUISHU_DATA_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = env("GUISHU_DEBUG", "0") == "1"
SECRET_KEY = env("GUISHU_SECRET_KEY", "dev-only-insecure-key-change-me-for-any-real-site")
ALLOWED_HOSTS = [h for h in env("GUISHU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "guishu.record",
    "guishu.sites",
    "guishu.desk",
    "guishu.api",
    "guishu.visits",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Who may do what is decided per site by guishu.sites.access (memberships and roles), not by
# Django's global groups and permissions
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
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

LOGIN_ATTEMPTS = int(env("GUISHU_LOGIN_ATTEMPTS", "5"))  # per user and address
LOGIN_WINDOW_SECONDS = int(env("GUISHU_LOGIN_WINDOW", "300"))
