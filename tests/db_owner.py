"""The database's owner, for the tests that act behind the app's back (someone with database
access drops a trigger and rewrites an entry) and for the test flush."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext


def as_owner() -> AbstractContextManager[None]:
    """The default connection as the owner on PostgreSQL with two roles (GUISHU_OWNER_DATABASE_URL,
    guishu.record.db_roles), where only the owner may drop triggers and truncate; with one role,
    the connection as it is. Not inside a transaction."""
    from guishu.record import db_roles

    return db_roles.connected_as_owner() if db_roles.configured() else nullcontext()
