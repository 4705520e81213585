"""Receipts from the stored record: issued after an append, a fresh consistency proof on
request, and a receipt checked against the record as it stands (``guishu verify-receipt``)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from guishu.core import receipts
from guishu.core.receipt_codes import ReceiptCode
from guishu.core.receipts import Problem, Receipt
from guishu.core.tree_heads import TreeHead
from guishu.record import signed_heads, signing, sql, tree
from guishu.record.models import Project
from guishu.record.verify import entry_problem


class NoReceipt(LookupError):
    """The record has no such entry, or no signed head over it."""


def issue(project: Project, seq: int) -> Receipt:
    """The receipt of entry ``seq``: under the latest signed head (which covers every entry)."""
    db = sql.Db()
    row = db.fetchone(
        "SELECT fact_id, at, hash FROM record_entry WHERE project_id = %s AND seq = %s", (project.pk, seq)
    )
    head = signed_heads.latest(db, project.pk, project.code)
    if row is None or head is None or head.size < seq:
        raise NoReceipt(f"{project.code}#{seq}")
    at = sql.aware(row[1])
    assert at is not None
    return Receipt(
        site=project.code,
        seq=seq,
        fact_id=str(row[0]),
        at=at.astimezone(ZoneInfo(project.timezone)).isoformat(),
        entry_hash=str(row[2]),
        inclusion=tree.inclusion_proof(db, project.pk, seq, head.size),
        head=head,
    )


def issue_many(project: Project, seqs: list[int]) -> dict[int, Receipt]:
    """The receipts of many entries under one signed head: three queries in all (the agent's
    list of reports asks for up to 200 at once)."""
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    db = sql.Db()
    head = signed_heads.latest(db, project.pk, project.code)
    if head is None or head.size < wanted[-1] or wanted[0] < 1:
        raise NoReceipt(f"{project.code}: no signed head over {wanted[-1]}")
    marks = ", ".join(["%s"] * len(wanted))
    rows = db.fetchall(
        f"SELECT seq, fact_id, at, hash FROM record_entry WHERE project_id = %s AND seq IN ({marks})",  # noqa: S608
        [project.pk, *wanted],
    )
    if len(rows) != len(wanted):
        raise NoReceipt(f"{project.code}: no such entries")
    proofs = tree.inclusion_proofs(db, project.pk, wanted, head.size)
    zone = ZoneInfo(project.timezone)
    out = {}
    for seq, fact_id, at, digest in rows:
        when = sql.aware(at)
        assert when is not None
        out[int(seq)] = Receipt(
            site=project.code,
            seq=int(seq),
            fact_id=str(fact_id),
            at=when.astimezone(zone).isoformat(),
            entry_hash=str(digest),
            inclusion=proofs[int(seq)],
            head=head,
        )
    return out


def consistency(project: Project, size: int) -> tuple[TreeHead, list[bytes]]:
    """The latest signed head and the proof that the tree of ``size`` entries is its prefix."""
    db = sql.Db()
    head = signed_heads.latest(db, project.pk, project.code)
    if head is None or not 0 <= size <= head.size:
        raise NoReceipt(f"{project.code}: no signed head of {size} entries or more")
    return head, tree.consistency_proof(db, project.pk, size, head.size)


def check_against_record(receipt: Receipt) -> list[Problem]:
    """The receipt against the deployment's key and its record now: its own proof, then a
    consistency proof from the receipt's head to the latest signed head, read from the stored
    tree, then the entry itself."""
    public = signing.public_key()
    problems = receipts.check(receipt, public)
    if problems:
        return problems
    project = Project.objects.filter(code=receipt.site).first()
    if project is None:
        return [Problem("没有这个案场", "no such site in this deployment")]
    db = sql.Db()
    latest = signed_heads.latest(db, project.pk, project.code)
    if latest is None:
        return [Problem("记录没有签名树头", "the record has no signed head")]
    proof: list[bytes] = []
    if latest.size >= receipt.head.size:
        try:
            proof = tree.consistency_proof(db, project.pk, receipt.head.size, latest.size)
        except tree.MissingNode:
            return [
                Problem("记录的默克尔树不完整: 记录被改动", "the record's tree is incomplete: the record was altered")
            ]
    problems = receipts.check(receipt, public, later=latest, consistency=proof)
    if problems:
        return problems
    if entry_problem(db, project, receipt.seq, receipt.entry_hash):
        return [Problem(f"记录中第 {receipt.seq} 条已不是这一条", f"entry {receipt.seq} of the record is not this one")]
    return []


def consistency_json(head: TreeHead, proof: list[bytes]) -> dict[str, Any]:
    return {"tree_head": head.to_dict(), "proof": receipts.proof_hex(proof)}


def from_code(code: ReceiptCode) -> Receipt:
    """The receipt a printed code (核验码) stands for: the entry it names, under the stored signed
    head it names, with the inclusion proof read from the stored tree. Nothing here is trusted:
    ``check_against_record`` then checks the head's signature with the key outside the database,
    the proof against the signed root, and the entry against the code's hash."""
    project = Project.objects.filter(code=code.site).first()
    if project is None:
        raise NoReceipt(code.site)
    db = sql.Db()
    head = signed_heads.at_size(db, project.pk, project.code, code.head_size)
    if head is None or head.root.hex()[: len(code.head_root)] != code.head_root:
        raise NoReceipt(f"{code.site}: no signed head {code.head_size}/{code.head_root}")
    row = db.fetchone("SELECT fact_id, at FROM record_entry WHERE project_id = %s AND seq = %s", (project.pk, code.seq))
    if row is None:
        raise NoReceipt(f"{code.site}#{code.seq}")
    try:
        inclusion = tree.inclusion_proof(db, project.pk, code.seq, head.size)
    except tree.MissingNode:
        raise NoReceipt(f"{code.site}: the tree of {head.size} is incomplete") from None
    at = sql.aware(row[1])
    assert at is not None
    return Receipt(
        site=project.code,
        seq=code.seq,
        fact_id=str(row[0]),
        at=at.astimezone(ZoneInfo(project.timezone)).isoformat(),
        entry_hash=code.entry_hash,  # the code's, not the record's: the check compares them
        inclusion=inclusion,
        head=head,
    )


def check_code(code: ReceiptCode) -> list[Problem]:
    """Every reason a printed code does not hold against the record now (none: it holds)."""
    try:
        receipt = from_code(code)
    except NoReceipt:
        return [Problem("记录中没有核验码所指的签名树头或记录", "the record holds no such signed head or entry")]
    return check_against_record(receipt)
