"""guishu command line: attribute, compare, policy check / show, demo.

Bad input never ends in a traceback: a malformed record line or policy key is
reported with its place, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from guishu import collector
from guishu.cli.db_roles import add_db_roles_command
from guishu.cli.records import RecordFileError, read_record
from guishu.cli.report import render_attribution, render_comparison
from guishu.cli.service import add_service_commands
from guishu.core.attribution import RecordError, decide
from guishu.core.events import Fact, StaffJoined
from guishu.core.policy import Policy, PolicyError
from guishu.core.policy_text import explain_policy
from guishu.core.verdict import Attribution
from guishu.core.verdict_json import attribution_json
from guishu.policies import PRESET_IDS, load_policy, presets

BAD_INPUT = 2


class UsageError(ValueError):
    pass


def _at(raw: str | None, tz: ZoneInfo) -> datetime | None:
    if raw is None:
        return None
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"--at 时间格式不对: {raw!r} / use ISO 8601, e.g. 2026-03-10T18:00+08:00") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=tz)


def _namer(facts: Sequence[Fact]) -> Callable[[str], str]:
    """Display names of staff from the record: zhangsan -> 张三."""
    names = {f.staff: f.name for f in facts if isinstance(f, StaffJoined)}
    return lambda staff: names.get(staff, staff)


def run(facts: Sequence[Fact], policy: Policy, at: datetime | None, *, follow: bool = True) -> Attribution:
    with collector.building():  # a replay: no cyclic collections while the engine grows
        return decide(facts, policy, at=at, catalogue=presets(), follow_policy_changes=follow)


def cmd_attribute(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    tz = ZoneInfo(policy.timezone)
    facts = read_record(Path(args.record))
    result = run(facts, policy, _at(args.at, tz))
    namer = _namer(facts)
    if args.json:
        print(json.dumps(attribution_json(result, namer), ensure_ascii=False, indent=2))
    else:
        print(render_attribution(result, namer, tz))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    if len(args.policy) != 2:
        raise UsageError("compare 需要两个 --policy / give exactly two --policy options")
    first, second = (load_policy(p) for p in args.policy)
    tz = ZoneInfo(first.timezone)
    facts = read_record(Path(args.record))
    at = _at(args.at, tz)
    # "what would change under another policy": the whole record under each, ignoring switches
    a = run(facts, first, at, follow=False)
    b = run(facts, second, at, follow=False)
    text, _diffs = render_comparison(a, b, _namer(facts), tz)
    print(text)
    return 0


def cmd_policy_check(args: argparse.Namespace) -> int:
    policy = load_policy(args.file)
    print(f"OK {policy.key}: {policy.title_zh} — {len(policy.rules)} 条规则 / rules")
    return 0


def cmd_policy_show(args: argparse.Namespace) -> int:
    print("\n".join(explain_policy(load_policy(args.policy))))
    return 0


def example_path(name: str) -> Path:
    return Path(str(resources.files("guishu").joinpath("examples", f"{name}.jsonl")))


def cmd_demo(args: argparse.Namespace) -> int:
    record = example_path("s8")
    print(f"# guishu demo: {record.name} under the s8 preset\n")
    code = cmd_attribute(argparse.Namespace(policy="s8", record=str(record), at=None, json=False))
    print("\n# the same record under s16 instead\n")
    cmd_compare(argparse.Namespace(policy=["s8", "s16"], record=str(record), at=None))
    print("\n# try: guishu attribute --policy s1 " + str(example_path("s1")))
    print("#      guishu policy show s8      (presets: " + ", ".join(PRESET_IDS) + ")")
    return code


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="guishu", description="归属: whose customer is this, and why")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("attribute", help="verdicts for every customer group")
    a.add_argument("--policy", required=True, help="preset id (s1, s8 ...) or a TOML file")
    a.add_argument("record", help="JSON Lines record")
    a.add_argument("--at", help="as of this moment (ISO 8601); default: the last fact")
    a.add_argument("--json", action="store_true", help="stable JSON (docs/verdicts.md)")
    a.set_defaults(func=cmd_attribute)
    c = sub.add_parser("compare", help="groups whose owner or split differs between two policies")
    c.add_argument("--policy", action="append", required=True)
    c.add_argument("record")
    c.add_argument("--at")
    c.set_defaults(func=cmd_compare)
    pol = sub.add_parser("policy", help="check or explain a policy")
    psub = pol.add_subparsers(dest="policy_command", required=True)
    chk = psub.add_parser("check", help="validate a policy TOML file")
    chk.add_argument("file")
    chk.set_defaults(func=cmd_policy_check)
    show = psub.add_parser("show", help="explain a preset in plain Chinese")
    show.add_argument("policy")
    show.set_defaults(func=cmd_policy_show)
    d = sub.add_parser("demo", help="run the bundled demo record")
    d.set_defaults(func=cmd_demo)
    add_service_commands(sub)
    add_db_roles_command(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except RecordFileError as exc:
        print(f"记录文件错误 / record error: {exc}", file=sys.stderr)
    except PolicyError as exc:
        print(f"制度错误 / policy error: {exc}", file=sys.stderr)
    except (UsageError, RecordError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
    except BrokenPipeError:  # `guishu ... | head` is fine
        sys.stderr.close()
        return 0
    return BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
