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


def _who_records() -> list[tuple[list[str], list[str], list[str]]]:
    """docs/events.md's table: each row's kinds, its screens (URL names) and its API operations."""
    text = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    table = text.split("## Who records each fact, and where", 1)[1]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("kind", "---"):
            continue
        kinds = re.findall(r"`([a-z_]+)`", cells[0])
        screens: list[str] = []
        operations: list[str] = []
        for part in cells[2].split(";"):
            names = re.findall(r"`([a-z_]+)`", part)
            (operations if part.strip().startswith("API ") else screens).extend(names)
        rows.append((kinds, screens, operations))
    return rows


# the kinds no person records: the system appends them (docs/events.md says where)
RECORDED_BY_THE_SYSTEM = {"disclosed"}


def test_every_fact_kind_has_who_records_it_and_where() -> None:
    """Issue 15: every kind of guishu.core.events is in the table of who records it, and each
    screen and API operation the table names is one the access matrix covers."""
    import tomllib

    from guishu.core.events import KINDS

    # given the table and the access matrix
    rows = _who_records()
    matrix = tomllib.loads((ROOT / "tests" / "sites" / "access_matrix.toml").read_text(encoding="utf-8"))
    operations = {name.removeprefix("guishu_api_api_") for name in matrix["api"]["operations"]}
    # when every kind is looked up in it
    listed = [k for kinds, _s, _o in rows for k in kinds]
    # then each kind has one row, and none is listed that the record does not know
    assert sorted(listed) == sorted(KINDS), set(KINDS) ^ set(listed)
    for kinds, screens, ops in rows:
        if set(kinds) <= RECORDED_BY_THE_SYSTEM:
            continue
        # and each row names where it is done, every screen in the matrix with who passes it
        assert screens or ops, f"{kinds}: no screen or API operation"
        for name in screens:
            assert name in matrix and "pass" in matrix[name], f"{kinds}: screen {name} is not in the access matrix"
        for name in ops:
            assert name in operations, f"{kinds}: API operation {name} is not in the access matrix"
