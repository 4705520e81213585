"""Live engines: a cold start replays the record; a forgotten engine is freed, frozen or not."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    gc.enable() if enabled else gc.disable()


def test_a_cold_start_replays_the_record_and_a_forgotten_engine_is_freed(monkeypatch: pytest.MonkeyPatch) -> None:
    """S8.1: the rebuilt engine answers as the live one did; dropping it after the freeze that
    follows a large catch-up frees it (it holds no reference cycles), so nothing leaks."""
    # given a record, and an engine forgotten (as after a failed transaction)
    project = make_project()
    append_fact(project=project, data=visit("zhangsan", "13800000001"))
    append_fact(project=project, data=visit("lisi", "13800000001"))
    engines.forget_all()
    monkeypatch.setattr(engines, "FREEZE_AFTER", 1)  # this small catch-up counts as large
    # when a cold start replays it
    live = engines.live_engine(project)
    # then it answers from the whole record, with the collector restored and the engine frozen
    group = live.engine.by_phone["+8613800000001"].id
    assert live.engine.verdict(group).owner.id == "zhangsan"
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    # and once forgotten, it is freed at once
    gone = weakref.ref(live.engine)
    del live
    engines.forget(project.pk)
    assert gone() is None
