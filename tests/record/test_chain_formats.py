"""Chain format v1 before the mark, v2 from it (issue 12): entries written before v2 keep the
v1 rule and verify by it, nothing is re-hashed; the migration's catch-up gives such a record
its tree and a signed head; every new entry is v2."""

from __future__ import annotations

import pytest
from django.db import connection

from guishu.core.events import dump_fact, fact_from_dict
from guishu.record import signed_heads, tree
from guishu.record.actions import append_fact, create_project
from guishu.record.chain import entry_hash
from guishu.record.migrations._triggers import statements
from guishu.record.models import ZERO_HASH, ChainHead, Entry, Project, SignedHead, TreeNode
from guishu.record.verify import verify_chain
from tests.db_owner import as_owner
from tests.record.builders import visit

pytestmark = pytest.mark.django_db(transaction=True)


def v1_record(n: int) -> Project:
    """A site whose first ``n`` entries were written by the code before v2, as it wrote them:
    v1 hashes, no tree, no signed head; the migration marked v2 from the next entry."""
    project = create_project(code="old", name="旧案场", policy="s8")
    prev = ZERO_HASH
    for seq in range(1, n + 1):
        fact = fact_from_dict(
            {
                **visit("zhangsan", f"1380000020{seq}"),
                "id": f"old-{seq}",
                "at": f"2026-11-0{1 + seq % 5}T10:0{seq % 10}:00+08:00",
            }
        )
        payload = dump_fact(fact)
        digest = entry_hash(prev, project="old", seq=seq, actor=None, payload=payload)
        Entry.objects.create(
            project=project,
            seq=seq,
            fact_id=fact.id,
            kind=fact.kind,
            at=fact.at,
            payload=payload,
            prev_hash=prev,
            hash=digest,
        )
        prev = digest
    last = Entry.objects.get(project=project, seq=n)
    ChainHead.objects.filter(project=project).update(seq=n, hash=prev, at=last.at, format_from=n + 1)
    return project


def test_a_v1_record_gets_its_tree_and_a_signed_head_then_goes_on_in_v2() -> None:
    project = v1_record(5)
    assert not verify_chain(project).ok  # before the catch-up: no signed head covers it
    signed_heads.catch_up(project.pk, project.code)
    assert TreeNode.objects.filter(project=project, level=0).count() == 5
    assert SignedHead.objects.filter(project=project, size=5).exists()
    assert verify_chain(project).ok
    old_hashes = list(Entry.objects.filter(project=project).order_by("seq").values_list("hash", flat=True))
    tree.forget()
    appended = append_fact(project=project, data=visit("lisi", "13800000300"))
    assert appended.entry.seq == 6
    report = verify_chain(project)
    assert report.ok and report.entries == 6
    # nothing before the mark was re-hashed
    assert (
        list(Entry.objects.filter(project=project, seq__lte=5).order_by("seq").values_list("hash", flat=True))
        == old_hashes
    )


def test_a_v1_entry_whose_time_column_is_edited_is_caught_by_its_payload() -> None:
    """v1 did not hash the `at` column; the verifier holds it to the hashed payload's time."""
    project = v1_record(4)
    signed_heads.catch_up(project.pk, project.code)
    victim = Entry.objects.get(project=project, seq=3)
    with as_owner(), connection.cursor() as cursor:  # two roles: only the owner may
        for sql in statements(connection.vendor, drop=True):
            cursor.execute(sql)
        Entry.objects.filter(pk=victim.pk).update(at=victim.at.replace(hour=1))
        for sql in statements(connection.vendor, drop=False):
            cursor.execute(sql)
    report = verify_chain(project)
    assert not report.ok and report.first_bad_seq == 3 and "at column" in report.problem


def test_moving_the_mark_is_caught() -> None:
    """The mark says which rule each entry is held to: moved, the entries fail their rule."""
    project = v1_record(4)
    signed_heads.catch_up(project.pk, project.code)
    ChainHead.objects.filter(project=project).update(format_from=1)
    report = verify_chain(project)
    assert not report.ok and report.first_bad_seq == 1
