"""Write the example records (src/guishu/examples/<preset>.jsonl) and their expected verdicts.

Each record is small and realistic and exercises its preset's distinctive rules.
The expected owners are written here by hand from the rule text; the test
tests/cli/test_examples.py checks the engine against them.

    .venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.builders import START, Record

from guishu.core.events import Assistant, Companion, FollowUp, dump_fact

OUT = Path(__file__).resolve().parents[1] / "src" / "guishu" / "examples"

Expected = dict[str, object]


def p(n: int) -> str:
    return f"+86138111100{n:02d}"


def mask(n: int) -> str:
    """The first-4 / last-5 form agents send under S6.1: 1381**10001."""
    digits = p(n)[3:]
    return f"{digits[:4]}**{digits[-5:]}"


def s8() -> tuple[Record, Expected]:
    r = Record()
    r.visit("zhangsan", p(1), "王建国")  # S8.1
    r.later(hours=2).call("lisi", p(2), "李梅", gender="F")
    r.later(days=1).visit("zhouqi", p(3), "刘强")
    r.later(hours=1).visit("zhouqi", p(2), "李梅", gender="F", first_visit=True)  # S8.6 collision
    r.later(hours=1).visit("zhouqi", p(9), "郑爽", gender="F")
    r.later(days=1).visit("zhangsan", p(4), "陈静", gender="F")
    r.on(5, 15).follow_up("zhangsan", p(1))
    r.on(6, 11).visit("wuyi", p(6), "赵敏", gender="F")
    r.on(6, 16).follow_up("lisi", p(2))
    r.on(7, 11).visit(
        "lisi", p(5), "陈大海", companions=(Companion(name="陈静", phone=p(4), relation="child"),)
    )  # S8.3
    r.on(8, 14).visit("lisi", p(7), "孙丽", gender="F")
    r.on(8, 16).complaint(p(9), "zhouqi", type="refusal")  # S8.9, approved by 赵六
    r.on(9, 10).follow_up("zhangsan", p(1))
    r.on(9, 11).follow_up("zhangsan", p(4))
    pend = r.on(9, 15).pending("zhouqi", p(6))  # S8.10: she forgot her consultant
    r.on(9, 16).visit("lisi", p(9), "郑爽", gender="F")
    r.on(10, 16).pending("zhangsan", p(7))  # nobody will claim it
    r.on(10, 17).claim(pend, "wuyi")
    r.on(11, 10).visit("lisi", p(8), "周杰", referred_by=p(1), referrer_present=True)  # S8.8
    r.on(11, 15).visit("lisi", None, None, gender=None)  # S8.5: no name, no phone
    r.on(12, 10).follow_up("lisi", p(2))
    r.on(13, 10).visit("wuyi", p(3), "刘强")  # S8.11: zhouqi never followed up
    r.on(13, 11).follow_up("zhangsan", p(1))
    r.on(15, 10).follow_up("zhangsan", p(4))
    r.on(15, 11).follow_up("lisi", p(9))
    r.on(16, 10).deal(p(1), "zhangsan", "deposit")
    r.on(17, 10).deal(p(8), "zhangsan", "deposit")
    return r, {
        "at": "2026-03-17T18:00:00+08:00",
        "owners": {
            p(1): ["zhangsan", "owned"],
            p(2): ["lisi", "owned"],
            p(3): ["wuyi", "owned"],
            p(4): ["zhangsan", "owned"],
            p(5): ["zhangsan", "owned"],
            p(6): ["wuyi", "owned"],
            p(7): ["zhangsan", "owned"],
            p(8): ["zhangsan", "owned"],
            p(9): ["lisi", "owned"],
        },
    }


def s1() -> tuple[Record, Expected]:
    r = Record()
    r.call("zhangsan", p(1), "王建国")  # S1.C6: the call is A's ...
    r.later(days=2).visit("lisi", p(1), "王建国")  # ... the first visit registration is B's
    r.later(hours=1).visit("zhouqi", p(2), "李梅", gender="F", proxy=True)  # S1.C9 void
    r.later(days=1).visit("wuyi", p(2), "李梅", gender="F")
    r.later(hours=1).visit("zhangsan", p(3), "陈静", gender="F")
    r.later(days=1).visit("lisi", p(4), "陈大海", companions=(Companion(phone=p(3), relation="child"),))  # S1.C3
    r.later(days=20).visit("zhouqi", p(3), "陈静", gender="F", onsite_search="not_found")  # S1.C5
    r.later(hours=2).visit("wuyi", p(5), "刘强", reception_at=r.now - timedelta(days=1))  # S1.2 handed in a day late
    r.later(days=1).deal(p(5), "zhangsan", "deposit")  # S1.C11: the duty consultant only helped
    r.later(days=1).complaint(p(2), "wuyi", approved_by=None, fine=Decimal("200"))  # S1.6
    r.later(hours=1).visit("zhangsan", p(2), "李梅", gender="F")
    r.later(days=3).deal(p(2), "zhangsan", "signing")
    return r, {
        p(1): ("lisi", "owned"),
        p(2): ("zhangsan", "owned"),
        p(3): ("zhouqi", "owned"),
        p(4): ("zhouqi", "owned"),
        p(5): ("wuyi", "owned"),
    }


def s4() -> tuple[Record, Expected]:
    r = Record()
    r.call("zhangsan", p(1), "王先生", intent=None)  # S4.3: no intent -> invalid
    r.later(days=1).visit("lisi", p(1), "王建国")
    r.later(hours=1).visit("zhouqi", p(2), "李梅", gender="F", named="zhangsan")  # S4.5
    r.later(days=1).visit("wuyi", p(3), "刘强")
    r.later(days=1).duty("wuyi", "day_off", until=r.now + timedelta(hours=12))
    r.later(hours=1).visit("lisi", p(3), "刘强", named="wuyi")  # S4.9: wuyi is off
    r.later(hours=2).deal(p(3), "lisi", "deposit")  # S4.9b
    return r, {p(1): ("lisi", "owned"), p(2): ("zhangsan", "owned"), p(3): ("wuyi", "owned")}


def s6() -> tuple[Record, Expected]:
    r = Record()
    r.report(mask(1), "王建国")  # S6.1 first 4 / last 5
    r.later(hours=1).report(mask(2), "李梅", gender="F")
    r.later(hours=1).report(mask(2), "李梅", gender="F", channel="jy", agent="chenshi")  # S6.5
    r.later(hours=1).report("138****1003", "刘强")  # S6.1: wrong mask form
    r.later(days=1).confirm_visit(p(1), "王建国")
    r.later(hours=1).confirm_visit(p(2), "李梅", gender="F", channel="jy", agent="chenshi")
    r.later(hours=1).confirm_visit(p(4), "陈静", gender="F")  # S6.2: never reported
    r.later(hours=1).report(mask(5), "周杰")
    r.later(days=8).confirm_visit(p(5), "周杰")  # S6.3: the report lapsed after 7 days
    r.later(hours=1).group_list([("孙丽", p(6)), ("赵敏", None)])  # S6.4
    r.later(hours=2).confirm_visit(p(6), "孙丽", gender="F")
    r.later(days=1).deal(p(1), "zhangsan", "signing")
    return r, {
        p(1): ("hx", "owned"),
        p(2): ("hx", "owned"),
        p(4): (None, "public"),
        p(5): (None, "public"),
        p(6): ("hx", "owned"),
    }


def s7() -> tuple[Record, Expected]:
    r = Record()
    r.call("zhangsan", p(1), "王建国")  # S7.1: a call is not the basis
    r.later(days=1).visit("lisi", p(1), "王建国")
    r.later(hours=1).visit("zhouqi", p(2), "李梅", gender="F")
    r.later(days=1).duty("zhouqi", "out", until=r.now + timedelta(hours=4))
    r.later(hours=1).visit("wuyi", p(2), "李梅", gender="F", named="zhouqi")  # S7.4
    r.later(hours=1).visit("wuyi", p(3), "刘强", named="zhangsan")  # S7.2 named
    r.later(days=1).visit("lisi", p(2), "李梅", gender="F", purpose="deposit_only")  # S7.5
    r.later(hours=1).deal(p(2), "lisi", "deposit")
    return r, {p(1): ("lisi", "owned"), p(2): ("zhouqi", "owned"), p(3): ("zhangsan", "owned")}


def s10() -> tuple[Record, Expected]:
    r = Record()
    r.call("zhangsan", p(1), "王建国")  # S10.7 first contact
    r.later(days=1).visit("zhouqi", p(1), "王建国")
    r.later(hours=1).visit("lisi", p(2), "李梅", gender="F", source=None)  # S10.6 invalid
    r.later(hours=1).visit("wuyi", p(2), "李梅", gender="F")
    r.later(days=1).duty("zhangsan", "out", until=r.now + timedelta(hours=3))
    r.later(hours=1).visit("lisi", p(1), "王建国", named="zhangsan")  # S10.8 team fallback
    return r, {p(1): ("zhangsan", "owned"), p(2): ("wuyi", "owned")}


def s11() -> tuple[Record, Expected]:
    r = Record()
    r.visit("zhangsan", p(1), "王")  # S11.3: incomplete (surname only)
    r.later(hours=2).visit("lisi", p(1), "王建国")
    r.later(hours=1).call("zhouqi", p(2), "李梅", gender="F")
    r.later(hours=1).add(FollowUp, consultant="zhouqi", phone=p(2), method="sms")
    r.later(days=1).visit("wuyi", p(2), "李梅", gender="F")  # S11.2: the SMS sender
    r.later(hours=1).visit("zhangsan", p(3), "刘强")
    r.later(days=6).visit("lisi", p(3), "刘强")  # S11.4: zhangsan lapsed after 4 days
    r.later(hours=1).deal(p(3), "lisi", "deposit")
    return r, {
        "checks": [
            {"at": "2026-03-03T18:00:00+08:00", "owners": {p(1): ["lisi", "owned"], p(2): ["zhouqi", "owned"]}},
            {"at": None, "owners": {p(1): [None, "public"], p(2): [None, "public"], p(3): ["lisi", "owned"]}},
        ]
    }


def s14() -> tuple[Record, Expected]:
    r = Record()
    r.visit("zhangsan", p(1), "王建国")
    r.later(days=1).visit("lisi", p(1), "王建国", first_visit=False)  # S14.2 first offence
    r.later(hours=1).visit("zhouqi", p(2), "李梅", gender="F")
    r.later(hours=1).deal(p(3), "lisi", "deposit")
    r.later(days=1).visit("lisi", p(2), "李梅", gender="F", called_before=True)  # second: dismissal
    r.later(hours=1).visit("wuyi", p(4), "刘强", named="zhangsan")  # S14.4 acquaintance named
    r.later(hours=1).visit("wuyi", p(5), "周杰", referred_by=p(1), referrer_present=True)  # S14.3d
    return r, {
        p(1): ("zhangsan", "owned"),
        p(2): ("zhouqi", "owned"),
        p(3): ("lisi", "owned"),
        p(4): ("zhangsan", "owned"),
        p(5): ("zhangsan", "owned"),
    }


def s16() -> tuple[Record, Expected]:
    r = Record()
    r.visit("zhangsan", p(1), "王建国")
    r.later(hours=1).visit("lisi", p(2), "李梅", gender="F")
    r.later(hours=1).visit("zhouqi", p(3), "刘强")
    r.later(days=1).duty("zhangsan", "day_off", until=r.now + timedelta(hours=10))
    r.later(hours=1).visit("wuyi", p(1), "王建国", named="zhangsan")  # S16.6 assisted
    r.later(hours=2).deal(p(1), "wuyi", "deposit")  # S16.9: 50/50
    r.later(days=1).visit("wuyi", p(2), "李梅", gender="F", first_visit=True)  # unknowing
    r.later(days=1).deal(p(2), "wuyi", "signing")  # S16.11: 50/50
    r.later(hours=1).deal(
        p(3), "zhouqi", "deposit", assistants=(Assistant(staff="lisi", substantial=True),)
    )  # S16.11: 30/70
    r.later(days=1).visit("lisi", p(4), "陈静", gender="F")
    r.later(days=1).leave("lisi")  # S16.3
    return r, {
        p(1): ("zhangsan", "owned"),
        p(2): ("department", "owned"),
        p(3): ("zhouqi", "owned"),
        p(4): (None, "public"),
    }


def s18() -> tuple[Record, Expected]:
    r = Record(START.replace(hour=8))
    r.on(2, 9, 5).visit("zhangsan", p(1), "王建国")
    r.on(2, 9, 20).visit("lisi", p(1), "王建国")
    r.on(2, 9, 30).handin("lisi", p(1), "王建国")
    r.on(2, 9, 40).handin("zhangsan", p(1), "王建国")  # S18.15: same day -> the manager decides
    r.on(3, 9, 10).visit("zhouqi", p(2), "李梅", gender="F")
    r.on(3, 9, 30).handin("zhouqi", p(2), "李梅")
    r.on(3, 11, 0).handin("zhouqi", p(3), "刘强")  # S18.1: outside the windows
    r.on(4, 9, 10).visit("wuyi", p(2), "李梅", gender="F", asked=True)
    r.on(4, 9, 20).handin("wuyi", p(2), "李梅")  # S18.4: returned
    r.on(5, 10, 0).ruling(p(1), "lisi", rule="S18.15", reason="日报显示李四先联系")
    r.on(6, 15, 0).deal(p(2), "wuyi", "subscription")  # S18.24: wuyi asked
    r.on(7, 10, 0).dispute(p(2), "zhouqi", against="wuyi")
    return r, {p(1): ("lisi", "owned"), p(2): ("zhouqi", "owned"), "at": "2026-03-08T12:00:00+08:00"}


BUILDERS: dict[str, Callable[[], tuple[Record, Expected]]] = {
    "s1": s1,
    "s4": s4,
    "s6": s6,
    "s7": s7,
    "s8": s8,
    "s10": s10,
    "s11": s11,
    "s14": s14,
    "s16": s16,
    "s18": s18,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        record, expected = build()
        if "checks" not in expected:
            at = expected.pop("at", None)
            owners = expected.pop("owners", None) or {k: list(v) for k, v in expected.items()}  # type: ignore[call-overload]
            expected = {"checks": [{"at": at, "owners": owners}]}
        for check in expected["checks"]:  # type: ignore[attr-defined]
            for owner in check["owners"].values():
                owner[0] = owner[0] or "pool"  # the public pool has no id
        lines = [json.dumps(dump_fact(f), ensure_ascii=False, sort_keys=True) for f in record.facts]
        (OUT / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (OUT / f"{name}.expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"{name}: {len(record.facts)} facts")


if __name__ == "__main__":
    main()
