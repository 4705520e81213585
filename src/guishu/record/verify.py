"""Check a project's record against itself, its Merkle tree and its signed heads, and name the
first entry that does not hold.

One pass over the entries in order: each one's sequence number, link and hash (chain format v1
or v2, ``record.chain``); each leaf and each tree node the entry completes against the stored
tree; the root at every checked head's size against that head. The heads checked: the latest
the database holds (it must cover every entry: the writer signs in each commit's own
transaction, so an entry beyond it was not written by the writer), the latest of the checkpoint
log outside the database (``record.checkpoint_log``), and any given (an exported log, a
receipt's head). Each must be signed by the site's key. Deleting the tail together with its
heads leaves a record shorter than the checkpoint log's head; rewriting from an entry on
changes every root from there, which no one without the key can sign again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from guishu.core import merkle, tree_heads
from guishu.core.tree_heads import TreeHead
from guishu.record import checkpoint_log, signed_heads, signing, sql
from guishu.record.chain import at_text, canonical_text, entry_hash_of_text, entry_hash_v2, v2_hasher
from guishu.record.models import ZERO_HASH, Project

ENTRIES = (
    "SELECT seq, fact_id, kind, at, payload, actor_id, prev_hash, hash FROM record_entry "
    "WHERE project_id = %s AND seq <= %s ORDER BY seq"
)
# on SQLite the time as stored, the text Django writes for a UTC time: no parse per entry
ENTRIES_TEXT_AT = ENTRIES.replace(" at,", " CAST(at AS TEXT),")
_SQLITE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?")
NODES = "SELECT last, level, hash FROM record_treenode WHERE project_id = %s AND last <= %s ORDER BY last, level"


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    first_bad_fact: str | None = None
    problem: str = ""
    signed: int = 0  # the size of the latest signed head that holds
    notes: list[str] = field(default_factory=list)


class _Bad(Exception):
    def __init__(self, seq: int | None, fact: str | None, problem: str) -> None:
        super().__init__(problem)
        self.seq, self.fact, self.problem = seq, fact, problem


class _Nodes:
    """The stored tree in key order (last, level): exactly the order in which the pass's
    frontier completes nodes, so one cursor follows it."""

    def __init__(self, db: sql.Db, project_id: int, upto: int) -> None:
        self.rows = db.stream(NODES, (project_id, upto))

    def check(self, seq: int, fact: str, level: int, h: bytes) -> None:
        row = next(self.rows, None)
        if row is None or int(row[0]) != seq or int(row[1]) != level:
            raise _Bad(seq, fact, f"默克尔树缺少节点 (第 {seq} 条, 层 {level}) / merkle tree node missing")
        if bytes(row[2]) != h:
            raise _Bad(seq, fact, f"默克尔树节点 (第 {seq} 条, 层 {level}) 与记录不符 / merkle tree node disagrees")

    def extra(self) -> str:
        """A stored node past the record's end (none may be)."""
        row = next(self.rows, None)
        if row is None:
            return ""
        return f"默克尔树多出节点 (第 {row[0]} 条, 层 {row[1]}) / merkle tree holds a node past the record"


def _fact_text(db: sql.Db, stored: Any) -> tuple[str, dict[str, Any] | None]:
    """The payload's text as stored (SQLite keeps the canonical text the writer hashed) and,
    when it had to be parsed, the parsed payload."""
    if isinstance(stored, str):
        return stored, None
    payload = stored if isinstance(stored, dict) else json.loads(stored)
    return canonical_text(payload), payload


def _check_entry(project: str, row: tuple[Any, ...], prev: str, expected: int, v2: bool, db: sql.Db) -> str:
    """The entry's own hash, or raises _Bad naming what does not hold."""
    seq, fact_id, kind, at, stored, actor, prev_hash, digest = row
    seq = int(seq)
    if seq != expected:
        raise _Bad(seq, fact_id, f"序号缺失或重复: 期望 {expected} / sequence gap")
    if prev_hash != prev:
        raise _Bad(seq, fact_id, "前一条的哈希不符 / previous hash does not match")
    when = sql.aware(at)
    assert when is not None
    text, payload = _fact_text(db, stored)
    actor_id = int(actor) if actor is not None else None
    if v2:
        args = {
            "project": project,
            "seq": seq,
            "fact_id": fact_id,
            "kind": kind,
            "at": at_text(when),
            "actor": actor_id,
        }
        if entry_hash_v2(prev, fact_text=text, **args) == digest:
            return str(digest)
        if payload is None:  # stored text not as the writer wrote it: compare its canonical form
            payload = json.loads(text)
            if entry_hash_v2(prev, fact_text=canonical_text(payload), **args) == digest:
                return str(digest)
        raise _Bad(seq, fact_id, "内容被改动,哈希不符 / content altered: hash does not match")
    if payload is None:
        payload = json.loads(text)
    if payload.get("id") != fact_id or payload.get("kind") != kind:
        raise _Bad(seq, fact_id, "编号或类型与内容不符 / id or kind disagrees with the payload")
    if _instant(payload.get("at")) != when:
        raise _Bad(seq, fact_id, "时间列与内容不符 / the at column disagrees with the payload")
    if entry_hash_of_text(prev, project=project, seq=seq, actor=actor_id, fact_text=canonical_text(payload)) != digest:
        raise _Bad(seq, fact_id, "内容被改动,哈希不符 / content altered: hash does not match")
    return str(digest)


def entry_problem(db: sql.Db, project: Project, seq: int, expected_hash: str) -> str:
    """Does entry ``seq`` still hold as written (its columns hash to its hash, and that hash is
    ``expected_hash``)? The problem, or ""."""
    row = db.fetchone(ENTRIES.replace("seq <= %s ORDER BY seq", "seq = %s"), (project.pk, seq))
    head = db.fetchone("SELECT format_from FROM record_chainhead WHERE project_id = %s", (project.pk,))
    if row is None or head is None:
        return "记录中没有这一条 / no such entry"
    try:
        digest = _check_entry(project.code, row, str(row[6]), seq, seq >= int(head[0]), db)
    except _Bad as bad:
        return bad.problem
    return "" if digest == expected_hash else "哈希不是回执上的 / not the receipt's hash"


def _instant(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def verify_chain(
    project: Project,
    *,
    heads: Sequence[TreeHead] = (),
    public_key: Ed25519PublicKey | None = None,
    checkpoint_file: bool = True,
) -> ChainReport:
    """Verify one project. ``heads``: more signed heads to hold the record to (an exported
    checkpoint log, receipts' heads); ``checkpoint_file``: also the checkpoint log outside the
    database. The key is the deployment's own unless one is given."""
    db = sql.Db()
    key = public_key or signing.public_key()
    # read in the order they are written, the chain head last, and the entries and nodes only up
    # to it: appends that commit meanwhile are neither read nor mistaken for a cut record
    wanted: dict[int, list[tuple[str, TreeHead]]] = {}
    if checkpoint_file:
        logged = checkpoint_log.read(project.code)
        if logged:
            last = max(logged, key=lambda h: h.size)
            wanted.setdefault(last.size, []).append(("检查点日志 / the checkpoint log", last))
    kept = signed_heads.latest_kept(db, project.pk, project.code)
    if kept is not None:
        wanted.setdefault(kept.size, []).append(("签名树头表 / the signed head table", kept))
    row = db.fetchone(
        "SELECT seq, hash, format_from, root, signed_at, key, signature FROM record_chainhead WHERE project_id = %s",
        (project.pk,),
    )
    if row is None:
        return ChainReport(False, 0, None, None, "没有链头 / the project has no chain head")
    head_seq, head_hash, format_from = int(row[0]), str(row[1]), int(row[2])
    latest = signed_heads.head_of_row(project.code, (row[0], *row[3:]))
    if latest is not None:
        wanted.setdefault(latest.size, []).append(("链头的签名树头 / the chain head's signed head", latest))
    for extra in heads:
        wanted.setdefault(extra.size, []).append(("给定的签名树头 / a given signed head", extra))
    try:
        for size, items in wanted.items():
            for where, h in items:
                if h.site != project.code or not tree_heads.verify(h, key):
                    raise _Bad(None, None, f"{where}: 签名无效 / the signature does not hold (size {size})")
        count, prev = _pass(db, project, format_from, wanted, head_seq)
        if count != head_seq or prev != head_hash:
            raise _Bad(head_seq, None, "链头与最后一条不符 / chain head disagrees with the last entry")
        _nothing_past(db, project.pk, head_seq)
        if latest is None:
            if count:
                raise _Bad(1, None, "记录没有签名树头 / no signed head covers the record")
        elif latest.size < count:
            raise _Bad(
                latest.size + 1,
                None,
                f"第 {latest.size + 1} 条起没有签名: 不是本系统写入的 / entries past the last signed head "
                f"({latest.size}) were not written by the writer",
            )
    except _Bad as bad:
        return ChainReport(False, 0, bad.seq, bad.fact, bad.problem)
    return ChainReport(True, count, signed=latest.size if latest else 0)


def _nothing_past(db: sql.Db, project_id: int, upto: int) -> None:
    """No entry or tree node past the chain head, unless an append has moved the head since."""
    for table, column, zh, en in (
        ("record_entry", "seq", "条目", "an entry"),
        ("record_treenode", "last", "默克尔树节点", "a merkle tree node"),
    ):
        row = db.fetchone(
            f"SELECT {column} FROM {table} WHERE project_id = %s AND {column} > %s LIMIT 1",  # noqa: S608
            (project_id, upto),
        )
        if row is None:
            continue
        moved = db.fetchone("SELECT seq FROM record_chainhead WHERE project_id = %s", (project_id,))
        if moved is not None and int(moved[0]) == upto:
            raise _Bad(int(row[0]), None, f"链头之后还有{zh}: 链头被移回 / {en} past the chain head: it was moved back")


def _pass(
    db: sql.Db, project: Project, format_from: int, wanted: dict[int, list[tuple[str, TreeHead]]], upto: int
) -> tuple[int, str]:
    code = project.code
    nodes = _Nodes(db, project.pk, upto)
    edge = merkle.Frontier()
    prev, expected = ZERO_HASH, 1
    if 0 in wanted:
        _hold(edge, wanted.pop(0), None, None)
    last_fact: str | None = None
    append, check, fromhex = edge.append, nodes.check, bytes.fromhex
    v2 = v2_hasher(code)
    for row in db.stream(ENTRIES_TEXT_AT if not db.postgres else ENTRIES, (project.pk, upto)):
        # the common case first, without a call per column: a v2 entry as the writer stored it
        # (SQLite: the canonical text, the time naive in UTC); anything else, or any doubt,
        # goes through _check_entry, which also names what does not hold
        seq, fact_id, kind, at, stored, actor, prev_hash, digest = row
        if not (
            seq == expected
            and prev_hash == prev
            and expected >= format_from
            and type(stored) is str
            and type(at) is str
            and _SQLITE_TIME.fullmatch(at) is not None
            and v2(prev, seq, fact_id, kind, f"{at[:10]}T{at[11:]}+00:00", actor, stored) == digest
        ):
            digest = _check_entry(code, row, prev, expected, expected >= format_from, db)
        last_fact = fact_id
        for level, _index, h in append(merkle.leaf_hash(fromhex(digest))):
            check(expected, fact_id, level, h)
        items = wanted.pop(expected, None)
        if items:
            _hold(edge, items, expected, last_fact)
        prev, expected = digest, expected + 1
    count = expected - 1
    if wanted:
        size = min(wanted)
        where = wanted[size][0][0]
        raise _Bad(
            count,
            last_fact,
            f"记录被截断: {where}有 {size} 条,记录只有 {count} 条 / the record was cut short: "
            f"a signed head holds {size} entries, the record {count}",
        )
    problem = nodes.extra()
    if problem:
        raise _Bad(count, last_fact, problem)
    return count, prev


def _hold(edge: merkle.Frontier, items: list[tuple[str, TreeHead]], seq: int | None, fact: str | None) -> None:
    root = edge.root()
    for where, h in items:
        if h.root != root:
            raise _Bad(
                seq,
                fact,
                f"第 1–{edge.size} 条与{where}不符: 记录被改写 / the first {edge.size} entries are not those "
                "the head was signed over: the record was rewritten",
            )
