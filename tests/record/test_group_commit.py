"""Group commit: appends that queue behind a writer share its transaction, never its failures."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from guishu.record import actions, engines, projections, writer
from guishu.record.actions import Appended, RecordInputError
from guishu.record.group_commit import GroupCommit
from guishu.record.models import ChainHead, Entry, GroupVerdict, PhoneIndex, Project
from guishu.record.verify import verify_chain
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


def queue_behind_a_writer(
    project: Project, datas: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Appended | BaseException], list[int]]:
    """Append each of ``datas`` from its own thread while this thread holds the writer path, so
    that all of them queue; returns each one's result or error, and the sizes of the batches."""
    sizes: list[int] = []
    commit: Callable[[GroupCommit, list[Any]], None] = GroupCommit._commit

    def counted(self: GroupCommit, batch: list[Any]) -> None:
        sizes.append(len(batch))
        commit(self, batch)

    monkeypatch.setattr(GroupCommit, "_commit", counted)
    results: list[Appended | BaseException] = [RuntimeError("not run")] * len(datas)

    def append(i: int) -> None:
        try:
            results[i] = actions.append_fact(project=project, data=datas[i])
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(i,)) for i in range(len(datas))]
    with writer.turn():
        for i, t in enumerate(threads):
            t.start()
            deadline = time.monotonic() + 10
            while len(actions._GROUP._queue) <= i and time.monotonic() < deadline:  # queued in this order
                time.sleep(0.001)
    for t in threads:
        t.join()
    return results, sizes


def test_appends_that_queue_share_one_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """core: five registrations queued behind a writer are written in one transaction, in order."""
    # given
    engines.forget_all()
    project = make_project(code="batch")
    phones = [f"+86138000000{k:02d}" for k in range(5)]
    # when
    results, sizes = queue_behind_a_writer(project, [visit("zhangsan", p) for p in phones], monkeypatch)
    # then: one batch, each append has its own consecutive place in the chain and its verdict
    assert sizes == [5]
    appended = [r for r in results if isinstance(r, Appended)]
    assert len(appended) == 5
    seqs = [a.entry.seq for a in appended]
    assert seqs == list(range(seqs[0], seqs[0] + 5))
    assert all(a.verdicts[0].owner.id == "zhangsan" for a in appended)
    assert verify_chain(project).ok
    # and the chain head, written once for the batch, stands at its last entry
    head = ChainHead.objects.get(project=project)
    assert (head.seq, head.hash) == (appended[-1].entry.seq, appended[-1].entry.hash)
    assert PhoneIndex.objects.filter(project=project, phone__in=phones).count() == 5


def test_a_refused_append_leaves_its_batch_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """core: bad input in the middle of a batch gets its error naming the field; the others commit."""
    # given
    engines.forget_all()
    project = make_project(code="refuse")
    datas = [visit("zhangsan", "+8613800000101"), {"kind": "nonsense"}, visit("lisi", "+8613800000102")]
    before = Entry.objects.filter(project=project).count()
    # when
    results, sizes = queue_behind_a_writer(project, datas, monkeypatch)
    # then
    assert sizes == [3]
    assert isinstance(results[1], RecordInputError) and results[1].field == "kind"
    first, third = results[0], results[2]
    assert isinstance(first, Appended) and isinstance(third, Appended)
    assert third.entry.seq == first.entry.seq + 1  # the refused one took no place in the chain
    assert Entry.objects.filter(project=project).count() == before + 2
    assert verify_chain(project).ok


def test_a_failure_after_writing_rolls_back_and_the_others_commit_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """core: an append failing after its writes costs the others nothing and leaves no trace."""
    # given: the projection write fails for one customer's group
    engines.forget_all()
    project = make_project(code="fail")
    bad_phone = "+8613800000202"
    write_groups = projections.write_groups

    def failing(project: Project, engine: Any, group_ids: Any, *args: Any) -> Any:
        ids = list(group_ids)
        if any(bad_phone in engine.groups[g].members for g in ids):
            raise RuntimeError("disk full")
        return write_groups(project, engine, ids, *args)

    monkeypatch.setattr(projections, "write_groups", failing)
    phones = ["+8613800000201", bad_phone, "+8613800000203"]
    # when
    results, sizes = queue_behind_a_writer(project, [visit("zhangsan", p) for p in phones], monkeypatch)
    # then: the batch was rolled back and each append ran again alone
    assert sizes == [3]
    assert isinstance(results[1], RuntimeError)
    assert isinstance(results[0], Appended) and isinstance(results[2], Appended)
    assert results[2].entry.seq == results[0].entry.seq + 1
    head = ChainHead.objects.get(project=project)
    assert (head.seq, head.hash) == (results[2].entry.seq, results[2].entry.hash)
    stored = set(Entry.objects.filter(project=project, kind="registration").values_list("fact_id", flat=True))
    assert stored == {results[0].entry.fact_id, results[2].entry.fact_id}
    assert verify_chain(project).ok
    # and the live engine knows only what the record holds
    live = engines.live_engine(project)
    assert bad_phone not in live.engine.by_phone
    assert GroupVerdict.objects.filter(project=project).count() == 2


def test_a_failing_after_commit_hook_never_runs_a_committed_append_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """core: once the transaction has committed, a failure after it (say, the checkpoint thread
    cannot start) is logged; the append is not repeated and its caller gets his receipt."""
    project = make_project()

    def broken() -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(actions._GROUP, "committed", broken)
    appended = actions.append_fact(project=project, data=visit("zhangsan", "13800000001"))
    assert Entry.objects.filter(project=project, fact_id=appended.entry.fact_id).count() == 1
    assert Entry.objects.filter(project=project, kind="registration").count() == 1
    assert verify_chain(project).ok
