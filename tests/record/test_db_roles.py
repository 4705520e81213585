"""Issue 12, nobody can quietly rewrite the record: on PostgreSQL the app connects as a role that
owns nothing and may only SELECT and INSERT the record's tables; the owner migrates.

Each test of the grants makes its own owner and app roles and a database of the owner's,
migrates it as the owner through ``guishu.record.db_roles`` (``python -m django db_roles``, as
``guishu serve`` does), then acts as the app's role with psycopg. Making roles needs a
PostgreSQL superuser: ``GUISHU_TEST_PG_URL`` (the PostgreSQL leg of scripts/test sets it), else
``DATABASE_URL``.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from guishu.record import db_roles

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles and grants: PostgreSQL only (SQLite has no roles)"
)
STRONG = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEF"
PRODUCTION = {"GUISHU_MODE": "production", "GUISHU_SECRET_KEY": STRONG, "GUISHU_ALLOWED_HOSTS": "sales.example.cn"}
APPEND = (
    "import django; django.setup()\n"
    "from guishu.record.actions import append_fact, create_project\n"
    "project = create_project(code='roles', name='角色', policy='s8')\n"
    "data = {'kind': 'staff_joined', 'staff': 'zhangsan', 'name': '张三', 'role': 'consultant', 'team': 'A'}\n"
    "print(append_fact(project=project, data=data).entry.seq)\n"
)


def _run(args: list[str], data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Our interpreter with a clean environment: no GUISHU_ setting or DATABASE_URL of this run."""
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUISHU_") and k not in dropped}
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "guishu.web.settings", "GUISHU_DATA_DIR": str(data), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@dataclass(frozen=True)
class Site:
    """A database of its own, its owner and app roles, migrated by the owner."""

    admin: str  # a superuser's URL (psycopg form)
    database: str
    owner: str
    app: str
    data: Path

    def url(self, role: str) -> str:
        parts = urlsplit(self.admin)
        host = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit(parts._replace(scheme="postgres", netloc=f"{role}@{host}", path=f"/{self.database}"))

    def connect(self, role: str) -> psycopg.Connection[Any]:
        return psycopg.connect(self.url(role).replace("postgres://", "postgresql://", 1), autocommit=True)

    def connect_admin(self) -> psycopg.Connection[Any]:
        """The superuser, on this site's database."""
        return psycopg.connect(urlunsplit(urlsplit(self.admin)._replace(path=f"/{self.database}")), autocommit=True)

    def django(self, args: list[str], *, role: str = "", production: bool = False) -> subprocess.CompletedProcess[str]:
        env = {"DATABASE_URL": self.url(role or self.app), "GUISHU_OWNER_DATABASE_URL": self.url(self.owner)}
        return _run(args, self.data, **env, **(PRODUCTION if production else {}))


def _admin_url() -> str:
    url = os.environ.get("GUISHU_TEST_PG_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("no PostgreSQL superuser URL (GUISHU_TEST_PG_URL) to make roles with")
    url = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as admin:
        row = admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if not row or not row[0]:
        pytest.skip("making roles needs a PostgreSQL superuser: set GUISHU_TEST_PG_URL")
    return url


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    admin_url = _admin_url()
    tag = secrets.token_hex(4)
    made = Site(admin_url, f"gs_roles_{tag}", f"gs_owner_{tag}", f"gs_app_{tag}", tmp_path_factory.mktemp("roles"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(made.owner)))
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(made.app)))
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(made.database), sql.Identifier(made.owner))
        )
    try:
        migrated = made.django(["-m", "django", "db_roles"])
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        assert "已迁移并授权" in migrated.stdout and made.app in migrated.stdout
        yield made
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(made.database)))
            for role in (made.app, made.owner):
                admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture(scope="module")
def appended(site: Site) -> Site:
    """A site with a fact appended by the app's role, through the service."""
    run = site.django(["-c", APPEND])
    assert run.returncode == 0, run.stdout + run.stderr
    return site


def _append_only_tables(site: Site) -> list[str]:
    with site.connect(site.owner) as owner:
        rows = owner.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return sorted(name for (name,) in rows if name in db_roles.APPEND_ONLY)


@postgres_only
def test_the_app_appends_through_the_service(appended: Site) -> None:
    """core: the app's role appends a fact (the record's INSERT) and writes its projections."""
    with appended.connect(appended.app) as app:
        assert app.execute("SELECT count(*) FROM record_entry").fetchone() == (1,)
        assert app.execute("SELECT name FROM record_membership WHERE staff = 'zhangsan'").fetchone() == ("张三",)
        assert app.execute("SELECT seq FROM record_chainhead").fetchone() == (1,)


@postgres_only
def test_the_app_may_not_switch_the_triggers_off(site: Site) -> None:
    """core: session_replication_role = replica would skip the triggers: refused to the app."""
    with site.connect(site.app) as app, pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute("SET session_replication_role = replica")


@postgres_only
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {} SET project_id = project_id", "DELETE FROM {}", "TRUNCATE {}"],
    ids=["update", "delete", "truncate"],
)
def test_the_app_may_not_change_an_append_only_table(appended: Site, statement: str) -> None:
    """core: UPDATE, DELETE and TRUNCATE of the record are refused for want of the
    privilege, before any trigger is asked (a trigger's refusal would be another error)."""
    tables = _append_only_tables(appended)
    assert "record_entry" in tables and "record_treenode" in tables
    with appended.connect(appended.app) as app:
        for table in tables:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(sql.SQL(statement).format(sql.Identifier(table)))
        assert app.execute("SELECT count(*) FROM record_entry").fetchone() == (1,)


@postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "DROP TRIGGER record_entry_no_change ON record_entry",
        "ALTER TABLE record_entry DISABLE TRIGGER ALL",
        "CREATE OR REPLACE FUNCTION record_entry_append_only() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ "
        "LANGUAGE plpgsql",
        "DROP TABLE record_entry",
    ],
    ids=["drop-trigger", "disable-triggers", "replace-trigger-function", "drop-table"],
)
def test_the_app_may_not_touch_the_triggers(site: Site, statement: str) -> None:
    """core: only the owner may drop, disable or replace the append-only triggers."""
    with site.connect(site.app) as app, pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute(statement)


@postgres_only
def test_the_app_writes_the_projections(appended: Site) -> None:
    """core: the projections are the app's to update and delete (guishu rebuild rewrites them)."""
    with appended.connect(appended.app) as app:
        changed = app.execute("UPDATE record_membership SET name = name WHERE staff = 'zhangsan'")
        assert changed.rowcount == 1
        app.execute("DELETE FROM record_groupverdict WHERE false")
        app.execute("UPDATE record_chainhead SET seq = seq")


@postgres_only
def test_the_owner_still_meets_the_triggers(appended: Site) -> None:
    """core: the triggers stay the second line, for the owner too."""
    with appended.connect(appended.owner) as owner, pytest.raises(psycopg.errors.RaiseException):
        owner.execute("UPDATE record_entry SET kind = 'x'")


@postgres_only
def test_production_accepts_the_app_role(site: Site) -> None:
    """In production mode the check and the migration accept an app role that owns nothing."""
    check = site.django(["-m", "django", "check", "--database", "default"], production=True)
    assert check.returncode == 0, check.stdout + check.stderr
    migrated = site.django(["-m", "django", "db_roles"], production=True)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr


@postgres_only
def test_production_refuses_a_superuser_app_role(site: Site) -> None:
    """The check refuses a superuser as the app's role, and so does the migration guishu serve runs:
    the reason in Chinese and English, no traceback."""
    superuser = urlsplit(site.admin).netloc.rsplit("@", 1)[0].split(":")[0]
    check = site.django(["-m", "django", "check", "--database", "default"], role=superuser, production=True)
    assert check.returncode != 0
    assert "guishu.E001" in check.stderr and "超级用户" in check.stderr and "superuser" in check.stderr
    migrated = site.django(["-m", "django", "db_roles"], role=superuser, production=True)
    assert migrated.returncode == 2
    assert "拒绝" in migrated.stderr and "guishu.E001" in migrated.stderr and "Traceback" not in migrated.stderr
    # demo mode: one's own machine, whatever the role
    demo = site.django(["-m", "django", "check", "--database", "default"], role=superuser)
    assert demo.returncode == 0, demo.stdout + demo.stderr


@postgres_only
@pytest.mark.parametrize(
    ("give", "take", "refusal"),
    [
        ("ALTER ROLE {app} BYPASSRLS", "ALTER ROLE {app} NOBYPASSRLS", "guishu.E002"),
        ("ALTER ROLE {app} REPLICATION", "ALTER ROLE {app} NOREPLICATION", "guishu.E002"),
        (
            "GRANT SET ON PARAMETER session_replication_role TO {app}",
            "REVOKE SET ON PARAMETER session_replication_role FROM {app}",
            "guishu.E003",
        ),
        ("GRANT {owner} TO {app}", "REVOKE {owner} FROM {app}", "guishu.E004"),
        (
            "ALTER FUNCTION record_entry_append_only() OWNER TO {app}",
            "REASSIGN OWNED BY {app} TO {owner}",
            "guishu.E004",
        ),
    ],
    ids=["bypassrls", "replication", "session-replication-role", "member-of-owner", "owns-trigger-function"],
)
def test_production_refuses_an_app_role_that_could_rewrite(site: Site, give: str, take: str, refusal: str) -> None:
    """The check names each way the app's role could rewrite the record."""
    names = {"app": sql.Identifier(site.app), "owner": sql.Identifier(site.owner)}
    with site.connect_admin() as admin:
        admin.execute(sql.SQL(give).format(**names))
        try:
            check = site.django(["-m", "django", "check", "--database", "default"], production=True)
        finally:
            admin.execute(sql.SQL(take).format(**names))
    assert check.returncode != 0
    assert refusal in check.stderr and site.app in check.stderr


@postgres_only
def test_production_refuses_the_owner_as_the_app_role(site: Site) -> None:
    """One role for both (the app owns the tables): refused, the table named."""
    check = site.django(["-m", "django", "check", "--database", "default"], role=site.owner, production=True)
    assert check.returncode != 0
    assert "guishu.E004" in check.stderr and "public.record_entry" in check.stderr


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_this_run_connects_as_an_app_role_that_passes_the_check() -> None:
    """The PostgreSQL leg of scripts/test: its tests connect as the app's role, which the check
    accepts, and migrate() runs as the owner and gives the app its login back."""
    if not db_roles.configured():
        pytest.skip("one database role in this run (no GUISHU_OWNER_DATABASE_URL)")
    assert list(settings.DATABASES) == ["default"]  # the owner is no alias: nothing is routed to it
    app = db_roles.app_role()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (app,)
    assert db_roles.problems() == []
    grants = db_roles.migrate()
    assert grants is not None and grants.role == app
    assert {"record_entry", "record_treenode"} <= set(grants.append_only)
    assert "record_groupverdict" in grants.tables and "record_entry" not in grants.tables
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (app,)


@pytest.mark.django_db(transaction=True)
def test_one_role_migrates_as_before() -> None:
    """SQLite, or PostgreSQL with one role: migrate() is Django's migrate, and grants nothing."""
    if db_roles.configured():
        pytest.skip("two database roles in this run")
    assert db_roles.migrate() is None


def test_the_owner_url_must_name_the_app_database(tmp_path: Path) -> None:
    """The two URLs are one database: an owner URL naming another is refused at start."""
    run = _run(
        ["-m", "django", "check"],
        tmp_path,
        DATABASE_URL="postgres://guishu_app@127.0.0.1:5432/guishu_site",
        GUISHU_OWNER_DATABASE_URL="postgres://guishu_owner@127.0.0.1:5432/elsewhere",
    )
    assert run.returncode != 0
    assert "GUISHU_OWNER_DATABASE_URL" in run.stderr and "elsewhere" in run.stderr


@pytest.mark.django_db(transaction=True)
def test_guishu_db_roles_migrates_and_says_what_it_granted(capsys: pytest.CaptureFixture[str]) -> None:
    """core: `guishu db-roles` migrates (as the owner with two roles) and says what the app got."""
    import argparse

    from guishu.cli.db_roles import add_db_roles_command

    parser = argparse.ArgumentParser(prog="guishu")
    add_db_roles_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["db-roles"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    if db_roles.configured():
        assert "已迁移并授权" in out and db_roles.app_role() in out and "record_entry" in out
    else:
        assert "单一数据库角色" in out
