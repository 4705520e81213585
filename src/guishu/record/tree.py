"""Each project's Merkle tree in the database: nodes appended with the entries, proofs read
from the stored nodes (``guishu.core.merkle`` holds the algorithms; this module only stores and
fetches).

The leaf of entry ``seq`` is ``merkle.leaf_hash(bytes.fromhex(entry.hash))`` at position
``seq - 1``: the chain hash already covers the entry, so the tree commits to the same bytes.
Appending needs only the tree's frontier (at most one node per level), kept per process and
checked against the chain head it was made for; the nodes the new leaves complete are written
in the append's own transaction. A proof is prepared in two passes: the first notes which stored
nodes the algorithm reads, one query fetches them, the second runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from guishu.core import merkle
from guishu.record import sql

T = TypeVar("T")

NODE_INSERT = "INSERT INTO record_treenode (project_id, last, level, hash) VALUES (%s, %s, %s, %s)"
CHUNK = 5000  # nodes per executemany in a bulk append

# project id -> (chain head hash the frontier belongs to, the frontier). A frontier is used
# only for the exact head it was made at, so a rolled-back batch or another process's append
# can never leave a stale one in use.
_frontiers: dict[int, tuple[str, merkle.Frontier]] = {}


def leaf_of(entry_hash: str) -> bytes:
    return merkle.leaf_hash(bytes.fromhex(entry_hash))


def frontier(size: int) -> list[tuple[int, int]]:
    """The complete subtrees a tree of ``size`` leaves ends with, the lowest first."""
    return list(reversed(merkle.Frontier.nodes_of(size)))


def last_of(level: int, position: int) -> int:
    """The seq of the last entry under the node (level, position): its key in the table."""
    return (position + 1) << level


def _fetch(db: sql.Db, project_id: int, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored nodes (level, position) -> hash among ``wanted``: one query over the primary
    key's (project, last) prefix (an OR of (last, level) pairs would scan the table)."""
    if not wanted:
        return {}
    keys = {(last_of(level, position), level) for level, position in wanted}
    lasts = sorted({last for last, _level in keys})
    marks = ", ".join(["%s"] * len(lasts))
    rows = db.fetchall(
        f"SELECT last, level, hash FROM record_treenode WHERE project_id = %s AND last IN ({marks})",  # noqa: S608
        [project_id, *lasts],
    )
    return {
        (int(level), (int(last) >> int(level)) - 1): bytes(h)
        for last, level, h in rows
        if (int(last), int(level)) in keys
    }


class MissingNode(LookupError):
    """A node the tree should hold is not stored: the tree and the record disagree."""


def _reader(nodes: dict[tuple[int, int], bytes]) -> merkle.NodeReader:
    def read(level: int, position: int) -> bytes:
        try:
            return nodes[(level, position)]
        except KeyError:
            raise MissingNode(f"merkle node ({level}, {position}) is not stored") from None

    return read


def load_frontier(db: sql.Db, project_id: int, size: int) -> merkle.Frontier:
    return merkle.Frontier.read(size, _reader(_fetch(db, project_id, set(frontier(size)))))


def append_leaves(
    db: sql.Db, project_id: int, size: int, head_hash: str, entry_hashes: Sequence[str]
) -> merkle.Frontier:
    """Store the nodes completed by appending these entries' leaves to the tree of ``size``
    (whose last entry's hash is ``head_hash``); the new tree's frontier."""
    cached = _frontiers.pop(project_id, None)
    edge = cached[1] if cached is not None and cached[0] == head_hash and cached[1].size == size else None
    if edge is None:
        edge = load_frontier(db, project_id, size)
    rows: list[tuple[int, int, int, bytes]] = []
    for digest in entry_hashes:
        rows.extend((project_id, last_of(level, i), level, h) for level, i, h in edge.append(leaf_of(digest)))
        if len(rows) >= CHUNK:
            db.executemany(NODE_INSERT, rows)
            rows = []
    if rows:
        db.executemany(NODE_INSERT, rows)
    if entry_hashes:
        _frontiers[project_id] = (entry_hashes[-1], edge.copy())
    return edge


def forget(project_id: int | None = None) -> None:
    """Drop the kept frontiers (all, or one project's)."""
    if project_id is None:
        _frontiers.clear()
    else:
        _frontiers.pop(project_id, None)


def _prepared(db: sql.Db, project_id: int, run: Callable[[merkle.NodeReader], T]) -> T:
    """Run ``run`` over the stored nodes, fetching the ones it reads in one query."""
    wanted: set[tuple[int, int]] = set()

    def note(level: int, position: int) -> bytes:
        wanted.add((level, position))
        return bytes(32)

    run(note)
    return run(_reader(_fetch(db, project_id, wanted)))


def stored_size(db: sql.Db, project_id: int) -> int:
    """How many leaves the stored tree holds (the last entry any stored node covers)."""
    row = db.fetchone("SELECT MAX(last) FROM record_treenode WHERE project_id = %s", [project_id])
    return int(row[0]) if row and row[0] is not None else 0


def root(db: sql.Db, project_id: int, size: int) -> bytes:
    return _prepared(db, project_id, lambda read: merkle.root(size, read))


def inclusion_proof(db: sql.Db, project_id: int, seq: int, size: int) -> list[bytes]:
    """The proof that entry ``seq`` is in the tree of ``size`` entries."""
    return _prepared(db, project_id, lambda read: merkle.inclusion_proof(seq - 1, size, read))


def inclusion_proofs(db: sql.Db, project_id: int, seqs: Sequence[int], size: int) -> dict[int, list[bytes]]:
    """``inclusion_proof`` of many entries in the tree of ``size``, their nodes in one query."""
    wanted = sorted(set(seqs))
    return _prepared(db, project_id, lambda read: {s: merkle.inclusion_proof(s - 1, size, read) for s in wanted})


def consistency_proof(db: sql.Db, project_id: int, old: int, new: int) -> list[bytes]:
    return _prepared(db, project_id, lambda read: merkle.consistency_proof(old, new, read))
