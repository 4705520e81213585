"""Plain SQL for the append's hot path, on the database driver's own cursor.

Every registration runs a handful of statements inside one durable transaction.
Django's cursor wrapper rewrites placeholders with a regular expression and runs
its execute wrappers on each call, and every attribute of ``django.db.connection``
is looked up through a context-local proxy; inside the append that costs about as
much as SQLite itself. ``Db`` binds the real connection once per append and, on
SQLite, sends statements straight to the driver (``%s`` placeholders translated
once per statement text). PostgreSQL keeps Django's cursor: its round trip dwarfs
the wrapper. Statements are written once, in ``%s`` style, for both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.dateparse import parse_datetime


@lru_cache(maxsize=64)
def _qmark(sql: str) -> str:
    return sql.replace("%s", "?")


class Db:
    """The default database's connection, bound for a run of hot-path statements."""

    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.wrapper = connections[alias]
        self.wrapper.ensure_connection()
        self.postgres = self.wrapper.vendor == "postgresql"
        self.json = "%s::jsonb" if self.postgres else "%s"  # the placeholder of a JSON column
        # a datetime as the database stores it; on SQLite in UTC, without Django's checks per call
        utc = not self.postgres and self.wrapper.timezone is UTC
        self.time: Callable[[datetime | None], Any] = _utc_text if utc else self.wrapper.ops.adapt_datetimefield_value

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        self._run(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._run(sql, rows, many=True)

    def fetchone(self, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        row = self._run(sql, params, fetch="one")
        return tuple(row) if row is not None else None

    def fetchall(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._run(sql, params, fetch="all")
        return rows

    def stream(self, sql: str, params: Sequence[Any], size: int = 2000) -> Iterator[tuple[Any, ...]]:
        """Rows one by one without holding them all: a server-side cursor on PostgreSQL (inside
        the caller's transaction or WITH HOLD, as Django chooses), the driver's own cursor on
        SQLite (which steps through the result as it is read)."""
        if self.postgres:
            return self._chunks(sql, params, size)
        with self.wrapper.wrap_database_errors:
            cursor: Iterator[tuple[Any, ...]] = self.wrapper.connection.execute(_qmark(sql), params)
        return cursor

    def _chunks(self, sql: str, params: Sequence[Any], size: int) -> Iterator[tuple[Any, ...]]:
        with self.wrapper.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield from rows

    def _run(self, sql: str, params: Sequence[Any], *, many: bool = False, fetch: str = "") -> Any:
        w = self.wrapper
        if self.postgres:
            with w.cursor() as cursor:
                (cursor.executemany if many else cursor.execute)(sql, params)
                return _fetch(cursor, fetch)
        with w.wrap_database_errors:
            raw = w.connection
            return _fetch((raw.executemany if many else raw.execute)(_qmark(sql), params), fetch)


def _utc_text(value: datetime | None) -> str | None:
    """What Django's SQLite backend stores for a datetime when the connection's zone is UTC."""
    if value is None:
        return None
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


def _fetch(cursor: Any, fetch: str) -> Any:
    if fetch == "one":
        return cursor.fetchone()
    return cursor.fetchall() if fetch == "all" else None


def aware(value: datetime | str | None) -> datetime | None:
    """A datetime read back by the driver: SQLite gives naive UTC (or text), PostgreSQL aware."""
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(f"not a datetime: {value!r}")
        value = parsed
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
