"""Signed tree heads in the database: the writer signs the project's Merkle root in every group
commit's own transaction (so a committed entry is always under a signed head), receipts and
``guishu verify`` read them back.

Whoever holds the database but not the signing key (``record.signing``) cannot sign a head: he
can delete heads, never make one. ``record.checkpoint_log`` keeps copies outside the database.
"""

from __future__ import annotations

from datetime import datetime
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


def store(db: sql.Db, project_id: int, site: str, size: int, root: bytes, at: datetime) -> TreeHead:
    """Sign the tree head and write it in the caller's transaction."""
    head = tree_heads.sign(signing.private_key(), site=site, size=size, root=root, at=at)
    db.execute(HEAD_INSERT, (project_id, size, root, db.time(at), head.key, head.signature))
    return head


def _head(site: str, row: tuple[Any, ...]) -> TreeHead:
    size, root, at, key, signature = row
    when = sql.aware(at)
    if when is None:
        raise ValueError("a signed head without its time")
    return TreeHead(site=site, size=int(size), root=bytes(root), at=when, key=str(key), signature=bytes(signature))


def latest(db: sql.Db, project_id: int, site: str) -> TreeHead | None:
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
    return store(db, project_id, site, seq, edge.root(), timezone.now())


def root_at(db: sql.Db, project_id: int, size: int) -> bytes:
    """The stored tree's root at ``size`` (the empty root at 0)."""
    return merkle.EMPTY_ROOT if size == 0 else tree.root(db, project_id, size)
