"""The engine as an object: what a process holding engines relies on."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from guishu.cli.records import read_record
from guishu.core.attribution import Attributor
from guishu.policies import load_preset, presets

EXAMPLES = sorted(Path(str(resources.files("guishu").joinpath("examples"))).glob("*.jsonl"))


@pytest.fixture
def collector_paused() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda p: p.stem)
def test_an_engine_holds_no_reference_cycles(record: Path, collector_paused: None) -> None:
    """core: a dropped engine is freed by reference counting alone, so one frozen out of the
    collector's reach (guishu.collector) is not leaked when the service forgets it."""
    # given an engine that has applied a whole example record (merges, channels, deals)
    facts = read_record(record)
    engine = Attributor(load_preset(record.stem), catalogue=presets())
    for f in facts:
        engine.apply(f)
    assert engine.attribution().verdicts  # it did answer
    gone = weakref.ref(engine)
    # when it is dropped
    del engine
    # then it is gone at once, and the replay left nothing for the cyclic collector
    assert gone() is None
    assert gc.collect() == 0
