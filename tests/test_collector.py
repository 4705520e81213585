"""The cyclic collector around engines: paused while a replay builds, what it built kept."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from guishu import collector


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture(autouse=True)
def _restore_collector() -> Iterator[None]:
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    gc.enable() if enabled else gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_restores_the_collector_as_it_was_even_after_an_error(enabled: bool) -> None:
    """core: a replay that fails must not leave a serving process without its collector."""
    gc.enable() if enabled else gc.disable()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        raise RuntimeError("replay failed")
    assert gc.isenabled() is enabled


def test_building_keeps_what_it_built_yet_reference_counting_still_frees_it() -> None:
    """core: an engine built in ``building`` is frozen, and freed the moment it is dropped."""
    gc.unfreeze()
    with collector.building():
        built = [Node() for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)  # out of the collector's generations
    gone = weakref.ref(built[0])
    del built
    assert gone() is None


def test_keep_with_collect_frees_cyclic_garbage_instead_of_freezing_it() -> None:
    """core: a serving process clears other threads' cycles before freezing its engine."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    collector.keep(collect=True)
    assert gone() is None


def test_tune_sets_a_large_young_generation() -> None:
    """core: the serving process's thresholds (guishu.web.wsgi)."""
    collector.tune()
    assert gc.get_threshold()[0] == collector.YOUNG
