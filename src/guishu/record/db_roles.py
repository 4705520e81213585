"""Two database roles on PostgreSQL (issue 12: nobody can quietly rewrite the record).

The app connects (``DATABASE_URL``) as a role that owns no table, trigger function, schema or
database and cannot set ``session_replication_role``. The owner (``GUISHU_OWNER_DATABASE_URL``)
owns them all and runs the migrations. The app reads and writes the projections; on the record's
append-only tables (记录、默克尔树节点、签名树头) it may only SELECT and INSERT, so an UPDATE,
DELETE or TRUNCATE is refused for want of the privilege before any trigger is asked, and it can
neither drop a trigger nor switch triggers off (``session_replication_role = replica``).

``migrate()`` runs Django's migrations as the owner, then grants the app exactly what it needs
(``grant``). In production mode it refuses (``RoleRefused``) an app role that could rewrite the
record: a superuser, a role with BYPASSRLS or REPLICATION or allowed to set
``session_replication_role``, or one that owns (or is a member of the owner of) any table,
function, schema or the database. The same findings are a system check (``check_app_role``:
``python -m django check --database default``).

The migrations run on the default connection with the owner's credentials swapped in for their
duration, not on a second alias: the data migrations and the record's writer use the default
connection, so they run as the owner too, and no router can ever send a query to the owner.

SQLite has one user and no grants: all of this is PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

# The record's tables: rows are appended, never changed. Extend it with every new table of that
# kind; a name without a table yet is skipped (the grants follow what the database holds).
APPEND_ONLY: frozenset[str] = frozenset({"record_entry", "record_treenode", "record_signedhead"})
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY_PRIVILEGES = "SELECT, INSERT"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"
SCHEMA = "public"  # where the migrations create every table

# every table and sequence of the schema, and whether the connection's role may grant on it
_RELATIONS = (
    "SELECT c.relname, c.relkind, pg_has_role(current_user, c.relowner, 'MEMBER') "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'S') ORDER BY c.relname"
)
# what the connection's role owns, itself or through a role it is a member of: outside the
# system schemas, the tables, sequences and views, the functions (a trigger's function), the
# schemas and the database (PostgreSQL 15's public schema belongs to the database's owner)
_OWNED = """
SELECT kind, name FROM (
    SELECT 'table' AS kind, n.nspname || '.' || c.relname AS name, c.relowner AS owner
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')
       AND left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'function', n.nspname || '.' || p.proname, p.proowner
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE left(n.nspname, 3) <> 'pg_' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'schema', nspname, nspowner FROM pg_namespace
     WHERE left(nspname, 3) <> 'pg_' AND nspname <> 'information_schema'
    UNION ALL
    SELECT 'database', datname, datdba FROM pg_database WHERE datname = current_database()
) AS owned
WHERE pg_has_role(current_user, owner, 'MEMBER')
"""
_HINT = (
    "用只能登录的应用角色作 DATABASE_URL,所有者角色作 GUISHU_OWNER_DATABASE_URL,"
    "把对象交给所有者(REASSIGN OWNED BY 应用角色 TO 所有者)后运行 guishu serve 或 guishu db-roles / "
    "make DATABASE_URL a plain login role and GUISHU_OWNER_DATABASE_URL the owner, give the owner every object "
    "(REASSIGN OWNED BY app TO owner), then run guishu serve or guishu db-roles (docs/deployment.md)"
)
_KIND_ZH = {"table": "表", "function": "函数", "schema": "模式", "database": "数据库"}
_KINDS = list(_KIND_ZH)


@dataclass(frozen=True)
class Problem:
    """One way the app's role could rewrite the record, said in Chinese and English."""

    id: str
    zh: str
    en: str
    hint: str

    def __str__(self) -> str:
        return f"[{self.id}] {self.zh} / {self.en}\n    {self.hint}"


class RoleRefused(CommandError):
    """The app's database role could rewrite the record: refused in production mode."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"应用的数据库角色不安全,拒绝运行 / the app's database role is unsafe, refused:\n{lines}")


@dataclass(frozen=True)
class Grants:
    """What ``grant`` gave the app's role."""

    role: str
    tables: tuple[str, ...]  # SELECT, INSERT, UPDATE, DELETE
    append_only: tuple[str, ...]  # SELECT, INSERT
    sequences: tuple[str, ...]  # USAGE, SELECT

    def __str__(self) -> str:
        return (
            f"{self.role}: {len(self.tables)} 张表可读写、{len(self.append_only)} 张只追加、"
            f"{len(self.sequences)} 个序列 / tables read-write, append-only ({', '.join(self.append_only)}), sequences"
        )


def configured() -> bool:
    """Two roles: PostgreSQL with GUISHU_OWNER_DATABASE_URL (the settings ignore it on SQLite)."""
    return settings.DATABASE_ROLES is not None


def credentials(role: Literal["app", "owner"]) -> dict[str, Any]:
    """The login of a role: user, password, host, port, options (the database is always the app's)."""
    if settings.DATABASE_ROLES is None:
        raise LookupError("GUISHU_OWNER_DATABASE_URL is not set (or the database is not PostgreSQL)")
    return dict(settings.DATABASE_ROLES[role])


@contextmanager
def connected_as(login: Mapping[str, Any]) -> Iterator[None]:
    """Inside, the default connection logs in with these credentials: this thread's, reconnected,
    and every connection opened meanwhile (the settings are shared). Not inside a transaction."""
    default = connections[DEFAULT_DB_ALIAS]
    if default.in_atomic_block:
        raise RuntimeError("cannot change the database role inside a transaction")
    saved = {key: default.settings_dict.get(key) for key in login}
    default.close()
    default.settings_dict.update(login)
    try:
        yield
    finally:
        default.close()
        default.settings_dict.update(saved)


def connected_as_owner() -> Any:
    """``connected_as`` the owner (GUISHU_OWNER_DATABASE_URL)."""
    return connected_as(credentials("owner"))


def app_role() -> str:
    """The app's role: the user of DATABASE_URL (asked of the database when the URL names none)."""
    user = str(credentials("app")["USER"] or "")
    if user:
        return user
    with connected_as(credentials("app")), connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return str(cursor.fetchone()[0])


def _ident(name: str) -> str:
    """A PostgreSQL identifier, quoted (a double quote doubled)."""
    return '"' + name.replace('"', '""') + '"'


def grant(role: str) -> Grants:
    """Give the app's role exactly its privileges on every table and sequence of the schema, on
    the default connection, which must be the tables' owner (``connected_as_owner``): everything
    revoked first (TRUNCATE, REFERENCES and TRIGGER included), then SELECT, INSERT, UPDATE, DELETE
    on each table but the append-only ones, which get SELECT and INSERT (and lose any PUBLIC
    grant); USAGE, SELECT on each sequence; USAGE on the schema."""
    who = _ident(role)
    tables: list[str] = []
    append_only: list[str] = []
    sequences: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            raise ValueError(f"{role} 是所有者本身,无需授权 / is the owner itself: nothing to grant")
        cursor.execute(_RELATIONS, [SCHEMA])
        for name, kind, ours in cursor.fetchall():
            if not ours:  # GRANT by a non-owner only warns: say it
                raise PermissionError(f"{connection.settings_dict['USER']} 不是 {name} 的所有者 / does not own {name}")
            target = f"{_ident(SCHEMA)}.{_ident(name)}"
            if kind == "S":
                sequences.append(name)
                cursor.execute(f"REVOKE ALL ON SEQUENCE {target} FROM {who}")
                cursor.execute(f"GRANT {SEQUENCE_PRIVILEGES} ON SEQUENCE {target} TO {who}")
                continue
            cursor.execute(f"REVOKE ALL ON TABLE {target} FROM {who}")
            if name in APPEND_ONLY:
                append_only.append(name)
                cursor.execute(f"REVOKE ALL ON TABLE {target} FROM PUBLIC")
                cursor.execute(f"GRANT {APPEND_ONLY_PRIVILEGES} ON TABLE {target} TO {who}")
            else:
                tables.append(name)
                cursor.execute(f"GRANT {TABLE_PRIVILEGES} ON TABLE {target} TO {who}")
        cursor.execute(f"GRANT USAGE ON SCHEMA {_ident(SCHEMA)} TO {who}")
    return Grants(role, tuple(tables), tuple(append_only), tuple(sequences))


def problems() -> list[Problem]:
    """How the default connection's role could rewrite the record (none on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = current_user"
        )
        role, superuser, bypassrls, replication = cursor.fetchone()
        if superuser:  # a superuser may do all of the below, and more
            return [
                Problem(
                    "guishu.E001",
                    f"应用的数据库角色 {role} 是超级用户,可关掉触发器改写记录",
                    f"the app's database role {role} is a superuser: it could switch the triggers off and "
                    "rewrite the record",
                    _HINT,
                )
            ]
        found: list[Problem] = []
        if bypassrls or replication:
            which = " ".join(name for name, on in (("BYPASSRLS", bypassrls), ("REPLICATION", replication)) if on)
            found.append(
                Problem(
                    "guishu.E002",
                    f"应用的数据库角色 {role} 有 {which} 属性",
                    f"the app's database role {role} has {which}",
                    f"ALTER ROLE {role} NOBYPASSRLS NOREPLICATION",
                )
            )
        cursor.execute("SELECT current_setting('server_version_num')::int")
        if cursor.fetchone()[0] >= 150000:  # GRANT SET ON PARAMETER exists from PostgreSQL 15
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            if cursor.fetchone()[0]:
                found.append(
                    Problem(
                        "guishu.E003",
                        f"应用的数据库角色 {role} 可设置 session_replication_role,可关掉触发器",
                        f"the app's database role {role} may set session_replication_role: it could switch "
                        "the triggers off",
                        f"REVOKE SET ON PARAMETER session_replication_role FROM {role}",
                    )
                )
        cursor.execute(_OWNED)
        owned = cursor.fetchall()
    if owned:
        # name the worst first: a record table, then any table, a function, a schema, the database
        kind, name = min(owned, key=lambda o: (_KINDS.index(o[0]), o[1].split(".")[-1] not in APPEND_ONLY, o[1]))
        more_zh = f"等 {len(owned)} 个对象" if len(owned) > 1 else ""
        more_en = f" and {len(owned) - 1} more" if len(owned) > 1 else ""
        found.append(
            Problem(
                "guishu.E004",
                f"应用的数据库角色 {role} 拥有(或属于其所有者){_KIND_ZH[kind]} {name}{more_zh},可删除触发器、改写记录",
                f"the app's database role {role} owns (or is a member of the owner of) {kind} {name}{more_en}: "
                "it could drop the triggers and rewrite the record",
                _HINT,
            )
        )
    return found


def refuse_if_unsafe() -> None:
    """In production mode, refuse (``RoleRefused``) an app role that could rewrite the record."""
    if settings.PRODUCTION:
        found = problems()
        if found:
            raise RoleRefused(found)


def migrate(*, verbosity: int = 0) -> Grants | None:
    """Django's migrate, as the owner when two roles are configured, then the app's grants.

    In production mode the app's role is checked before (what exists) and after (what the
    migrations made); either refusal raises ``RoleRefused``. One role, or SQLite: migrate as the
    default connection, as before, and grant nothing."""
    refuse_if_unsafe()
    grants: Grants | None = None
    if not configured():
        call_command("migrate", interactive=False, verbosity=verbosity)
    else:
        role = app_role()
        owner = str(credentials("owner")["USER"] or "")
        with connected_as_owner():
            call_command("migrate", interactive=False, verbosity=verbosity)
            if role != owner:  # the same role twice: nothing to grant, and production refuses below
                grants = grant(role)
    refuse_if_unsafe()
    return grants


def check_app_role(
    app_configs: Sequence[Any] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """System check (tag ``database``: ``check --database default``, ``migrate``): in production
    mode, an app role that could rewrite the record is an error."""
    if not settings.PRODUCTION or not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    return [Error(f"{p.zh} / {p.en}", hint=p.hint, id=p.id) for p in problems()]
