"""The tamper suite (issue 12): each attack someone holding the database could make, run on a
copy of a small site, and each caught by ``guishu verify`` (through ``verify_chain``, what the
command runs) — on SQLite and on PostgreSQL. Receipts issued before an attack that removes or
changes their entry stop verifying; receipts of untouched entries keep verifying.

The attacker knows the code: he recomputes hashes the way the writer does and rebuilds the
Merkle tree. He does not hold the signing key, nor the checkpoint log outside the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from guishu.core import tree_heads
from guishu.core.receipts import Receipt
from guishu.record import db_roles, engines, receipts, signing, sql, tree
from guishu.record.actions import append_fact
from guishu.record.chain import at_text, canonical_text, entry_hash_v2
from guishu.record.migrations._triggers import statements
from guishu.record.models import ZERO_HASH, ChainHead, Entry, Project, SignedHead, TreeNode
from guishu.record.verify import verify_chain
from tests.db_owner import as_owner
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


HELD: dict[int, Receipt] = {}  # the receipt each visit's registrant was given at its append


@pytest.fixture
def site() -> Project:
    project = make_project()
    HELD.clear()
    for i in range(8):
        appended = append_fact(project=project, data=visit("zhangsan" if i % 2 else "lisi", f"1380000010{i}"))
        HELD[appended.entry.seq] = receipts.issue(project, appended.entry.seq)
    assert verify_chain(project).ok
    assert all(r.head.size == seq for seq, r in HELD.items())  # each under its own commit's head
    return project


@contextmanager
def past_the_guards() -> Iterator[None]:
    """What an attacker with the database does to get past the append-only triggers: on
    PostgreSQL a superuser's replica mode; with two roles (the tests' own role is the app's,
    which may do neither) the owner's, dropping the triggers; on SQLite dropping the triggers
    (put back after)."""
    replica = connection.vendor == "postgresql" and not db_roles.configured()
    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        if replica:
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield
        else:
            for sql_text in statements(connection.vendor, drop=True):
                cursor.execute(sql_text)
            yield
            for sql_text in statements(connection.vendor, drop=False):
                cursor.execute(sql_text)
    engines.forget_all()
    tree.forget()


def entries(project: Project) -> list[Entry]:
    return list(Entry.objects.filter(project=project).order_by("seq"))


def rehash(project: Project, start: int) -> None:
    """Recompute every hash from entry ``start`` on, the chain head and the whole tree."""
    rows = entries(project)
    prev = rows[start - 2].hash if start > 1 else ZERO_HASH
    for e in rows[start - 1 :]:
        digest = entry_hash_v2(
            prev,
            project=project.code,
            seq=e.seq,
            fact_id=e.fact_id,
            kind=e.kind,
            at=at_text(e.at),
            actor=e.actor_id,
            fact_text=canonical_text(e.payload),
        )
        Entry.objects.filter(pk=e.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    last = entries(project)[-1]
    with connection.cursor() as cursor:  # (he cannot sign: the chain head keeps its old signature)
        cursor.execute(
            "UPDATE record_chainhead SET seq = %s, hash = %s, at = %s WHERE project_id = %s",
            [last.seq, last.hash, last.at, project.pk],
        )
    TreeNode.objects.filter(project=project).delete()
    tree.forget()
    tree.append_leaves(sql.Db(), project.pk, 0, ZERO_HASH, [e.hash for e in entries(project)])


def receipt_of(project: Project, seq: int) -> Receipt:
    """The receipt handed out when entry ``seq`` was appended."""
    assert project.code == "demo"
    return HELD[seq]


def bad(project: Project) -> tuple[int | None, str]:
    report = verify_chain(project)
    assert not report.ok, "the attack went unseen"
    return report.first_bad_seq, report.problem


def test_an_edited_payload_is_caught_and_named(site: Project) -> None:
    victim = entries(site)[11]
    held = receipt_of(site, victim.seq)
    other = receipt_of(site, victim.seq - 1)
    with past_the_guards():
        payload = {**victim.payload, "consultant": "zhouqi"}
        Entry.objects.filter(pk=victim.pk).update(payload=payload)
    seq, problem = bad(site)
    assert seq == victim.seq and "hash does not match" in problem
    assert receipts.check_against_record(held)  # his receipt no longer holds
    assert receipts.check_against_record(other) == []  # an untouched entry's still does


def test_an_edited_time_column_is_caught(site: Project) -> None:
    """The `at` column the clerk's register shows is hashed (chain format v2)."""
    victim = entries(site)[12]
    with past_the_guards():
        Entry.objects.filter(pk=victim.pk).update(at=victim.at.replace(year=victim.at.year - 1))
    seq, problem = bad(site)
    assert seq == victim.seq and "hash does not match" in problem


def test_an_entry_deleted_from_the_middle_is_caught(site: Project) -> None:
    with past_the_guards():
        Entry.objects.filter(project=site, seq=9).delete()
    seq, problem = bad(site)
    assert seq == 10 and "sequence gap" in problem


def test_two_swapped_entries_are_caught(site: Project) -> None:
    a, b = entries(site)[10], entries(site)[13]
    with past_the_guards():
        Entry.objects.filter(pk=a.pk).update(fact_id="swapping")
        Entry.objects.filter(pk=b.pk).update(payload=a.payload, fact_id=a.fact_id, kind=a.kind)
        Entry.objects.filter(pk=a.pk).update(payload=b.payload, fact_id=b.fact_id, kind=b.kind)
    seq, _problem = bad(site)
    assert seq == a.seq


def test_the_tail_deleted_and_the_head_moved_back_is_caught(site: Project) -> None:
    """He deletes the last entries, their tree nodes and signed heads, and moves the chain head
    back: the database is consistent, but the checkpoint log outside it holds a longer record."""
    rows = entries(site)
    cut = rows[-4].seq
    held = receipt_of(site, rows[-1].seq)
    kept = receipt_of(site, cut)
    with past_the_guards():
        Entry.objects.filter(project=site, seq__gt=cut).delete()
        TreeNode.objects.filter(project=site, last__gt=cut).delete()
        SignedHead.objects.filter(project=site, size__gt=cut).delete()
        old = SignedHead.objects.get(project=site, size=cut)  # the head signed back then
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE record_chainhead SET seq = %s, hash = %s, at = %s, root = %s, signed_at = %s, key = %s, "
                "signature = %s WHERE project_id = %s",
                [cut, rows[cut - 1].hash, rows[cut - 1].at, old.root, old.at, old.key, old.signature, site.pk],
            )
    # the database alone now verifies: only the log outside it tells
    assert verify_chain(site, checkpoint_file=False).ok
    _seq, problem = bad(site)
    assert "cut short" in problem
    assert receipts.check_against_record(held)
    assert receipts.check_against_record(kept) == []


def test_a_forged_append_with_recomputed_hashes_is_caught(site: Project) -> None:
    """He appends an entry the way the writer would — hash, chain head, tree — but cannot sign."""
    last = entries(site)[-1]
    forged = {**last.payload, "id": "forged-1", "consultant": "zhouqi"}
    with past_the_guards():
        digest = entry_hash_v2(
            last.hash,
            project=site.code,
            seq=last.seq + 1,
            fact_id="forged-1",
            kind=last.kind,
            at=at_text(last.at),
            actor=None,
            fact_text=canonical_text(forged),
        )
        Entry.objects.create(
            project=site,
            seq=last.seq + 1,
            fact_id="forged-1",
            kind=last.kind,
            at=last.at,
            payload=forged,
            prev_hash=last.hash,
            hash=digest,
        )
        rehash(site, last.seq + 1)
    _seq, problem = bad(site)
    assert "the chain head's signed head" in problem and "signature does not hold" in problem


@pytest.mark.parametrize("heads", ["left", "deleted"])
def test_a_rewrite_from_one_entry_to_the_head_is_caught(site: Project, heads: str) -> None:
    """Entry k changed and everything after it recomputed, tree included; the signed heads
    either left alone (their roots no longer match) or deleted from k on (nothing signs the
    rest)."""
    k = entries(site)[12].seq
    held = receipt_of(site, k)
    with past_the_guards():
        victim = entries(site)[k - 1]
        Entry.objects.filter(pk=victim.pk).update(payload={**victim.payload, "consultant": "zhouqi"})
        rehash(site, k)
        if heads == "deleted":
            SignedHead.objects.filter(project=site, size__gte=k).delete()
    _seq, problem = bad(site)
    assert "rewritten" in problem  # the checkpoint log's head, if not the database's, no longer matches
    assert receipts.check_against_record(held)


def test_a_forged_signed_head_is_refused(site: Project) -> None:
    """A head signed with another key (his own) is not the site's, on the chain head or in the
    signed head table."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    latest = SignedHead.objects.filter(project=site).order_by("-size").first()
    assert latest is not None
    mine = tree_heads.sign(
        Ed25519PrivateKey.generate(), site=site.code, size=latest.size, root=bytes(latest.root), at=latest.at
    )
    with past_the_guards():  # no trigger, but the privilege: the app's role may not UPDATE it
        SignedHead.objects.filter(project=site, size=latest.size).update(signature=mine.signature, key=mine.key)
    _seq, problem = bad(site)
    assert "the signed head table" in problem and "signature does not hold" in problem
    with past_the_guards():  # put back
        SignedHead.objects.filter(project=site, size=latest.size).update(signature=latest.signature, key=latest.key)
    assert verify_chain(site).ok
    ChainHead.objects.filter(project=site).update(signature=mine.signature, key=mine.key)
    _seq, problem = bad(site)
    assert "the chain head's signed head" in problem and "signature does not hold" in problem
    assert tree_heads.verify(receipts.issue(site, latest.size).head, signing.public_key()) is False


def test_an_edited_tree_node_is_caught(site: Project) -> None:
    node = TreeNode.objects.filter(project=site, level=1).order_by("last").first()
    assert node is not None
    with past_the_guards():  # no trigger, but the privilege: the app's role may not UPDATE it
        TreeNode.objects.filter(project=site, level=1, last=node.last).update(hash=bytes(32))
    _seq, problem = bad(site)
    assert "merkle tree node" in problem


def test_edited_projections_are_caught_by_a_replay(site: Project) -> None:
    """The projections are not chained: `verify --projections` replays the record and compares.
    He gives a customer to another consultant in the verdict table, and moves a phone."""
    from guishu.record.audit import projection_differences
    from guishu.record.models import GroupVerdict, PhoneIndex

    assert projection_differences(site) == []
    verdict = GroupVerdict.objects.filter(project=site, owner_id="lisi").first()
    assert verdict is not None
    with as_owner():
        GroupVerdict.objects.filter(pk=verdict.pk).update(owner_id="zhouqi")
    problems = projection_differences(site)
    assert len(problems) == 1 and "verdicts" in problems[0]
    with as_owner():
        PhoneIndex.objects.filter(project=site).exclude(group=verdict.group).update(group=verdict.group)
    assert any("phone index" in p for p in projection_differences(site))
    assert GroupVerdict.objects.get(pk=verdict.pk).owner_id == "zhouqi"  # the replay changed nothing
    assert verify_chain(site).ok  # the record itself is intact: only a replay tells


def test_a_chain_head_moved_back_over_entries_left_in_place_is_caught(site: Project) -> None:
    """He moves the chain head (and its signed head) back but leaves the entries after it."""
    rows = entries(site)
    cut = rows[-3].seq
    old = SignedHead.objects.get(project=site, size=cut)
    with past_the_guards(), connection.cursor() as cursor:
        SignedHead.objects.filter(project=site, size__gt=cut).delete()
        cursor.execute(
            "UPDATE record_chainhead SET seq = %s, hash = %s, at = %s, root = %s, signed_at = %s, key = %s, "
            "signature = %s WHERE project_id = %s",
            [cut, rows[cut - 1].hash, rows[cut - 1].at, old.root, old.at, old.key, old.signature, site.pk],
        )
    report = verify_chain(site, checkpoint_file=False)
    assert not report.ok and report.first_bad_seq == cut + 1 and "past the chain head" in report.problem
