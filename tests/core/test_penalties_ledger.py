"""The penalties ledger's source (罚款台账, issue 16): ``Attributor.penalties_at`` gives every
fine, warning and dismissal the record proves by a moment, without deciding every verdict."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest

from guishu.cli.records import read_record
from guishu.core.attribution import Attributor
from guishu.policies import load_preset, presets

EXAMPLES = sorted(Path(str(resources.files("guishu").joinpath("examples"))).glob("*.jsonl"))


def _engine(record: Path) -> Attributor:
    engine = Attributor(load_preset(record.stem), catalogue=presets())
    for f in read_record(record):
        engine.apply(f)
    return engine


@pytest.mark.parametrize("record", EXAMPLES, ids=lambda p: p.stem)
def test_the_ledger_holds_what_the_whole_attribution_holds(record: Path) -> None:
    """S1.4, S14.2, S16.11, S18.17: at the record's end the ledger is exactly the penalties of the
    whole attribution (the facts' fines, the splits' and the stealing counted over the site)."""
    engine = _engine(record)
    assert engine.penalties_at() == engine.attribution().penalties


def test_s14_2_a_moment_before_a_penalty_the_ledger_does_not_hold_it() -> None:
    """S14.2: the s14 example's penalties; just before each one the ledger has only the earlier
    ones, and the stealing count behind a warning or dismissal is that moment's."""
    record = next(p for p in EXAMPLES if p.stem == "s14")
    engine = _engine(record)
    every = engine.penalties_at()
    assert every, "the s14 example proves penalties"
    for p in every:
        before = engine.penalties_at(p.at - timedelta(seconds=1))
        assert p not in before
        assert all(q.at < p.at for q in before)
        assert len(before) == sum(1 for q in every if q.at <= p.at - timedelta(seconds=1))
