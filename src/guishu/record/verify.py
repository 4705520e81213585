"""Check a project's whole chain and name the first entry that does not hold."""

from __future__ import annotations

from dataclasses import dataclass

from guishu.record.chain import entry_hash
from guishu.record.models import ZERO_HASH, ChainHead, Entry, Project


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    first_bad_fact: str | None = None
    problem: str = ""


def verify_chain(project: Project) -> ChainReport:
    prev = ZERO_HASH
    expected_seq = 1
    count = 0
    for entry in Entry.objects.filter(project=project).order_by("seq").iterator():
        problem = ""
        if entry.seq != expected_seq:
            problem = f"序号缺失或重复: 期望 {expected_seq} / sequence gap"
        elif entry.prev_hash != prev:
            problem = "前一条的哈希不符 / previous hash does not match"
        elif entry.payload.get("id") != entry.fact_id or entry.payload.get("kind") != entry.kind:
            problem = "编号或类型与内容不符 / id or kind disagrees with the payload"
        else:
            digest = entry_hash(prev, project=project.code, seq=entry.seq, actor=entry.actor_id, payload=entry.payload)
            if digest != entry.hash:
                problem = "内容被改动,哈希不符 / content altered: hash does not match"
        if problem:
            return ChainReport(False, count, entry.seq, entry.fact_id, problem)
        prev = entry.hash
        expected_seq += 1
        count += 1
    head = ChainHead.objects.get(project=project)
    if head.seq != count or head.hash != prev:
        return ChainReport(
            False, count, head.seq, None, "链头与最后一条不符 / chain head disagrees with the last entry"
        )
    return ChainReport(True, count)
