"""The example records in examples/ give the verdicts written beside them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from guishu.cli.main import run
from guishu.cli.records import read_record
from guishu.policies import PRESET_IDS, load_preset

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "guishu" / "examples"


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_example_record_gives_expected_owners(preset: str) -> None:
    """core: each preset's example record (examples/<preset>.jsonl) gives its expected owners."""
    # given
    expected = json.loads((EXAMPLES / f"{preset}.expected.json").read_text(encoding="utf-8"))
    facts = read_record(EXAMPLES / f"{preset}.jsonl")
    for check in expected["checks"]:
        at = datetime.fromisoformat(check["at"]) if check["at"] else None
        # when
        result = run(facts, load_preset(preset), at)
        # then
        for phone, (owner, state) in check["owners"].items():
            v = result.verdict_for(phone)
            assert v is not None, phone
            got = v.owner.id if v.owner.kind in ("consultant", "channel") else v.owner.kind
            assert (got, v.state) == (owner, state), (preset, phone, v.reasons)


def test_every_preset_has_an_example() -> None:
    """core: examples/ holds a record and its expectations for every preset."""
    for preset in PRESET_IDS:
        assert (EXAMPLES / f"{preset}.jsonl").stat().st_size > 0
        assert (EXAMPLES / f"{preset}.expected.json").exists()
