"""The example records in examples/ give the verdicts written beside them."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from guishu.cli.main import run
from guishu.cli.records import read_record
from guishu.core.verdict import Attribution
from guishu.policies import PRESET_IDS, load_preset

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "guishu" / "examples"


def _checks(preset: str) -> list[tuple[dict[str, Any], Attribution]]:
    """Each check of examples/<preset>.expected.json with the attribution at its moment."""
    # given
    expected = json.loads((EXAMPLES / f"{preset}.expected.json").read_text(encoding="utf-8"))
    facts = read_record(EXAMPLES / f"{preset}.jsonl")
    out = []
    for check in expected["checks"]:
        at = datetime.fromisoformat(check["at"]) if check["at"] else None
        # when
        out.append((check, run(facts, load_preset(preset), at)))
    return out


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_example_record_gives_expected_owners(preset: str) -> None:
    """core: each preset's example record (examples/<preset>.jsonl) gives its expected owners."""
    for check, result in _checks(preset):
        # then
        for phone, (owner, state) in check["owners"].items():
            v = result.verdict_for(phone)
            assert v is not None, phone
            got = v.owner.id if v.owner.kind in ("consultant", "channel") else v.owner.kind
            assert (got, v.state) == (owner, state), (preset, phone, v.reasons)


@pytest.mark.parametrize("preset", PRESET_IDS)
def test_example_record_gives_exactly_the_expected_splits_penalties_invalid_and_reports(preset: str) -> None:
    """core: each example record gives exactly the splits, penalties, invalid entries and report answers expected."""
    for check, result in _checks(preset):
        # then
        splits = {s.deal: dict(s.shares) for s in result.splits}
        want_splits = {
            deal: {who: Decimal(share) for who, share in shares.items()} for deal, shares in check["splits"].items()
        }
        assert splits == want_splits, (preset, check["at"])
        penalties = sorted((p.staff, p.amount, p.rule, p.action) for p in result.penalties)
        want_penalties = sorted((who, Decimal(amount), rule, act) for who, amount, rule, act in check["penalties"])
        assert penalties == want_penalties, (preset, check["at"])
        assert {i.fact: i.rule for i in result.invalid} == check["invalid"], (preset, check["at"])
        assert {r.report: r.status for r in result.reports} == check.get("reports", {}), (preset, check["at"])


def test_every_preset_has_an_example() -> None:
    """core: examples/ holds a record and its expectations for every preset."""
    for preset in PRESET_IDS:
        assert (EXAMPLES / f"{preset}.jsonl").stat().st_size > 0
        assert (EXAMPLES / f"{preset}.expected.json").exists()
