"""The PostgreSQL test leg's two roles (scripts/test), made as a site makes them
(docs/deployment.md): ``guishu_owner`` (LOGIN CREATEDB: it creates, migrates and drops the test
database, as pytest-django asks) and ``guishu_app`` (LOGIN only: the tests connect as it).

Given a superuser's URL, makes or resets both roles and prints the app's URL and the owner's,
on one line, for the same database. A test database left by an earlier run as another role is
given to the owner, so the owner may drop it. Test roles only: their passwords are their names.

    .venv/bin/python scripts/pg_test_roles.py postgres://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import sys
from contextlib import suppress
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

OWNER, APP = "guishu_owner", "guishu_app"
ATTRIBUTES = {
    OWNER: "LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS NOREPLICATION",
    APP: "LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS NOREPLICATION",
}


def _url_as(url: str, role: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}:{role}@{host}"))


def main(url: str) -> int:
    database = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as admin:
        for role, attributes in ATTRIBUTES.items():
            exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
            verb = "ALTER" if exists else "CREATE"
            with suppress(psycopg.errors.DuplicateObject):  # another run made it meanwhile
                admin.execute(
                    sql.SQL(f"{verb} ROLE {{}} {attributes} PASSWORD {{}}").format(
                        sql.Identifier(role), sql.Literal(role)
                    )
                )
        # a member of the owner would own what the owner owns (a warning only if it is none)
        admin.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(OWNER), sql.Identifier(APP)))
        stale = admin.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [f"test_{database}"]
        ).fetchone()
        if stale and stale[0] != OWNER:
            admin.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(f"test_{database}"), sql.Identifier(OWNER)
                )
            )
    print(_url_as(url, APP), _url_as(url, OWNER))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
