"""Signed tree heads in the database: the writer signs the project's Merkle root in every group
commit's own transaction (so a committed entry is always under a signed head) and keeps that
latest head on the chain head row, which the commit writes anyway; at most one head a second
is also appended to the checkpoint log table (``SignedHead``). Receipts and ``guishu verify``
read them back.

Whoever holds the database but not the signing key (``record.signing``) cannot sign a head: he
can delete heads, never make one. ``record.checkpoint_log`` keeps copies outside the database.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS

from guishu.core import merkle, tree_heads
from guishu.core.tree_heads import TreeHead
from guishu.record import signing, sql, tree
from guishu.record.models import ZERO_HASH

HEAD_INSERT = (
    "INSERT INTO record_signedhead (project_id, size, root, at, key, signature) VALUES (%s, %s, %s, %s, %s, %s)"
)
COLUMNS = "size, root, at, key, signature"


HISTORY_EVERY = 1.0  # seconds between heads kept in the table (settings.SIGNED_HEAD_HISTORY_EVERY)
_kept: dict[int, float] = {}  # project -> when this process last kept a head in the table


def forget() -> None:
    """Forget when heads were last kept (tests; a fresh database)."""
    _kept.clear()


def sign(site: str, size: int, root: bytes, at: datetime) -> TreeHead:
    """The head signed at ``at`` taken in UTC: the time it is stored and read back as, so the
    signed text is the same before and after the round trip (an import's +08:00 time is not)."""
    return tree_heads.sign(signing.private_key(), site=site, size=size, root=root, at=at.astimezone(UTC))


def keep(db: sql.Db, project_id: int, head: TreeHead, *, always: bool = False) -> bool:
    """Append the head to the checkpoint log table, unless this process kept one of the project
    less than ``HISTORY_EVERY`` seconds ago; whether it did."""
    from django.conf import settings

    every = float(getattr(settings, "SIGNED_HEAD_HISTORY_EVERY", HISTORY_EVERY))
    now = time.monotonic()
    if not always and now - _kept.get(project_id, -1e9) < every:
        return False
    db.execute(HEAD_INSERT, (project_id, head.size, head.root, db.time(head.at), head.key, head.signature))
    _kept[project_id] = now
    return True


def store(db: sql.Db, project_id: int, site: str, size: int, root: bytes, at: datetime) -> TreeHead:
    """Sign the tree head, set it on the chain head and keep it in the table, in the caller's
    transaction (the bulk importer and the migration; the writer does the same per commit)."""
    head = sign(site, size, root, at)
    db.execute(HEAD_SIGNATURE, (*signature_columns(db, head), project_id))
    keep(db, project_id, head, always=True)
    return head


HEAD_SIGNATURE = "UPDATE record_chainhead SET root = %s, signed_at = %s, key = %s, signature = %s WHERE project_id = %s"


def signature_columns(db: sql.Db, head: TreeHead) -> tuple[object, ...]:
    return (head.root, db.time(head.at), head.key, head.signature)


def _head(site: str, row: tuple[Any, ...]) -> TreeHead:
    size, root, at, key, signature = row
    when = sql.aware(at)
    if when is None:
        raise ValueError("a signed head without its time")
    return TreeHead(site=site, size=int(size), root=bytes(root), at=when, key=str(key), signature=bytes(signature))


def latest(db: sql.Db, project_id: int, site: str) -> TreeHead | None:
    """The head signed in the last commit, from the chain head row."""
    row = db.fetchone(
        "SELECT seq, root, signed_at, key, signature FROM record_chainhead WHERE project_id = %s", (project_id,)
    )
    return head_of_row(site, row) if row is not None else None


def head_of_row(site: str, row: tuple[Any, ...]) -> TreeHead | None:
    """The signed head of a chain-head row read as (seq, root, signed_at, key, signature)."""
    return _head(site, row) if row[3] else None


def latest_kept(db: sql.Db, project_id: int, site: str) -> TreeHead | None:
    """The latest head in the checkpoint log table."""
    row = db.fetchone(
        f"SELECT {COLUMNS} FROM record_signedhead WHERE project_id = %s ORDER BY size DESC LIMIT 1",  # noqa: S608
        (project_id,),
    )
    return _head(site, row) if row is not None else None


def at_size(db: sql.Db, project_id: int, site: str, size: int) -> TreeHead | None:
    row = db.fetchone(
        f"SELECT {COLUMNS} FROM record_signedhead WHERE project_id = %s AND size = %s",  # noqa: S608
        (project_id, size),
    )
    return _head(site, row) if row is not None else None


def all_heads(db: sql.Db, project_id: int, site: str) -> list[TreeHead]:
    """The project's checkpoint log as the database holds it, oldest first."""
    rows = db.stream(
        f"SELECT {COLUMNS} FROM record_signedhead WHERE project_id = %s ORDER BY size",  # noqa: S608
        (project_id,),
    )
    return [_head(site, row) for row in rows]


def catch_up(project_id: int, site: str, alias: str = DEFAULT_DB_ALIAS) -> TreeHead | None:
    """Give an existing record its tree and a signed head: the nodes of the entries the stored
    tree does not hold yet, and a head over all of them when the latest signed one is shorter.
    Run by the migration that brought the tree in, on the record the writer wrote."""
    from django.utils import timezone

    db = sql.Db(alias)
    row = db.fetchone("SELECT seq FROM record_chainhead WHERE project_id = %s", (project_id,))
    seq = int(row[0]) if row else 0
    size = tree.stored_size(db, project_id)
    if size < seq:
        prev = ZERO_HASH
        if size:
            found = db.fetchone("SELECT hash FROM record_entry WHERE project_id = %s AND seq = %s", (project_id, size))
            prev = str(found[0]) if found else ZERO_HASH
        hashes = [
            str(h)
            for (h,) in db.stream(
                "SELECT hash FROM record_entry WHERE project_id = %s AND seq > %s ORDER BY seq", (project_id, size)
            )
        ]
        tree.forget(project_id)
        edge = tree.append_leaves(db, project_id, size, prev, hashes)
    else:
        edge = tree.load_frontier(db, project_id, seq)
    last = latest(db, project_id, site)
    if seq == 0 or (last is not None and last.size >= seq):
        return last
    tree.forget(project_id)
    return store(db, project_id, site, seq, edge.root(), timezone.now())


def root_at(db: sql.Db, project_id: int, size: int) -> bytes:
    """The stored tree's root at ``size`` (the empty root at 0)."""
    return merkle.EMPTY_ROOT if size == 0 else tree.root(db, project_id, size)
