"""Test-wide setup: Django for the tests that need it, and the record's flush between them.

The record's entries refuse DELETE and TRUNCATE (database triggers). Transactional
tests must still start empty, so only here, around Django's test flush, the
triggers are dropped and recreated. On PostgreSQL with two roles (GUISHU_OWNER_DATABASE_URL,
the PostgreSQL leg of scripts/test) the owner does that, and creates and migrates the test
database; the tests connect as the app's role, with the grants a site's app role has.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

from tests.db_owner import as_owner

# CI must not fail on a new random example nobody can reproduce: there, every run explores the
# same examples (a developer's run still explores new ones).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_triggers() -> Iterator[None]:
    try:
        from django.core.management.commands import flush
        from django.db import connections
    except ImportError:  # pragma: no cover - Django is always installed
        yield
        return
    from guishu.record.migrations import _triggers

    original = flush.Command.handle

    def handle(self: Any, **options: Any) -> Any:
        connection = connections[options.get("database", "default")]
        with as_owner():  # two roles: only the owner may drop the triggers and truncate
            with connection.cursor() as cursor:
                for sql in _triggers.statements(connection.vendor, drop=True):
                    cursor.execute(sql)
            try:
                return original(self, **options)
            finally:
                with connection.cursor() as cursor:
                    for sql in _triggers.statements(connection.vendor, drop=False):
                        cursor.execute(sql)

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None) -> Iterator[None]:
    """Two roles: the owner creates, migrates and at the end drops the test database, as it does
    a site's (guishu.record.db_roles) ..."""
    with as_owner():
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """... then the app's role gets its grants, and the tests connect as the app's role."""
    from guishu.record import db_roles

    if not db_roles.configured():
        yield
        return
    with django_db_blocker.unblock():
        db_roles.grant(db_roles.app_role())
    with db_roles.connected_as(db_roles.credentials("app")):
        yield


@pytest.fixture(autouse=True, scope="session")
def _session_signing_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One signing key for the run, outside the repository's data folder."""
    from django.conf import settings as django_settings

    django_settings.SIGNING_KEY_PATH = tmp_path_factory.mktemp("keys") / "signing-ed25519.pem"


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashes() -> None:
    """Logins are made and signed in by the hundred here (the demo alone has 25): a quick hash
    leaves the time to what is tested. A site keeps Django's PBKDF2 (guishu.web.settings); the
    slow hasher stays listed so a hash it made still checks."""
    from django.conf import settings as django_settings
    from django.contrib.auth import hashers

    django_settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    hashers.get_hashers.cache_clear()  # the setting is read once and kept (no signal here)
    hashers.get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True)
def _own_checkpoint_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test's sites copy their signed heads to a log of the test's own, at once (a log left
    by another test's site of the same code would be a different record), and keep every head
    in the signed head table."""
    from django.conf import settings as django_settings

    from guishu.record import signed_heads, tree

    before = (
        django_settings.CHECKPOINT_LOG_DIR,
        getattr(django_settings, "CHECKPOINT_LOG_EVERY", None),
        getattr(django_settings, "SIGNED_HEAD_HISTORY_EVERY", None),
    )
    django_settings.CHECKPOINT_LOG_DIR = tmp_path_factory.mktemp("checkpoints")
    django_settings.CHECKPOINT_LOG_EVERY = 0
    django_settings.SIGNED_HEAD_HISTORY_EVERY = 0  # every head kept in the table, to attack with
    tree.forget()
    signed_heads.forget()
    yield
    (
        django_settings.CHECKPOINT_LOG_DIR,
        django_settings.CHECKPOINT_LOG_EVERY,
        django_settings.SIGNED_HEAD_HISTORY_EVERY,
    ) = before
    tree.forget()
    signed_heads.forget()


@pytest.fixture(autouse=True)
def _fresh_process_memory() -> Iterator[None]:
    """Each test starts without what an earlier one left in this process's memory: login
    attempts counted in the cache, projects and live engines of a rolled-back database."""
    yield
    from django.core.cache import cache

    from guishu.record import engines

    cache.clear()
    engines.forget_all()
