"""The documents that promise things stay true: the rule map and the README's two commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_rule_map_is_current() -> None:
    """core: docs/policies.md is what scripts/rule_map.py builds from the tests and presets today."""
    # when
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "scripts" / "rule_map.py"), "--check"], capture_output=True, check=False
    )
    # then
    assert result.returncode == 0, "docs/policies.md is stale: run scripts/rule_map.py"


def test_every_rule_is_tested_or_explained() -> None:
    """core: no seed rule is left 'not yet tested' in the rule map."""
    text = (ROOT / "docs" / "policies.md").read_text(encoding="utf-8")
    assert "| not yet tested |" not in text
    assert int(re.search(r"- tested: (\d+)", text).group(1)) >= 100  # type: ignore[union-attr]


def test_readme_quick_start_is_two_commands() -> None:
    """core: the README's quick start is exactly two commands, and they are the scripts CI runs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line for line in block.splitlines()[1:] if line.strip() and not line.startswith("#")]
    assert commands == ["./scripts/run", "./scripts/test"]
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_event_kind_is_documented_with_an_example_that_parses() -> None:
    """core: docs/events.md has one example per fact kind, and each example parses."""
    from guishu.core.events import KINDS, parse_fact

    # given
    text = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)\n```", text, flags=re.S)
    # when
    kinds = [parse_fact(block).kind for block in blocks]
    # then
    assert sorted(kinds) == sorted(KINDS)
