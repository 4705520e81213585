"""Replay synthetic site records through the attribution engine.

One site: ~100 consultants in 10 teams, ~20 channels with 3 agents each, and a
realistic mix of calls, visits, channel reports and visit confirmations,
follow-ups, pending confirmations and claims, relationships, duty changes and
deals. Facts are generated on the fly (deterministic seed) so that memory is
the engine's own, not a list of facts.

Each size runs in a fresh process (so the peak RSS is that size's alone) and
reports facts/s through ``Attributor.apply`` on one core, the cost per fact,
and the peak memory. The baseline, measured in the same run, is the generator
alone (producing the same facts without attributing them).

The floor, also measured in the same run, is the least any engine of this shape
must do per fact: refuse a duplicate id, find the fact's customer group by
phone, and keep the fact with its group for a later replay (a merge, a late
fact, a correction). It decides nothing; it shows what part of the cost, and of
its growth with the record's size, comes before any rule is applied.

    .venv/bin/python bench/replay.py                 # 100k, 1M, 10M under s8
    .venv/bin/python bench/replay.py --sizes 100000 --policy s16
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from guishu import collector
from guishu.core.attribution import Attributor
from guishu.core.events import (
    Answers,
    Assistant,
    ChannelReport,
    Claim,
    Companion,
    Customer,
    Deal,
    Duty,
    Fact,
    FollowUp,
    PendingConfirmation,
    Registration,
    Relationship,
    Signoff,
    StaffJoined,
    VisitConfirmation,
)
from guishu.policies import load_preset, presets

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2024, 1, 1, 9, 0, tzinfo=TZ)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
    "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玲文辉鹏飞宇浩然子轩梓涵一诺欣怡"


# Mobile prefixes seen on a site's register. A site's customers' numbers are spread over them,
# not consecutive: with consecutive numbers, 3M customers fill one block of 10M numbers, and at
# 10M facts every first-4/last-5 mask fits ~35 of them.
PREFIXES = tuple(
    str(n)
    for n in (
        *range(130, 140),
        *range(150, 154),
        *range(155, 160),
        166,
        170,
        171,
        173,
        *range(175, 179),
        *range(180, 190),
        191,
        198,
        199,
    )
)


def phone_of(seq: int) -> str:
    """The ``seq``-th customer's phone: a prefix, then eight digits scrambled by a bijection."""
    return f"+86{PREFIXES[seq % len(PREFIXES)]}{seq * 48_271 % 10**8:08d}"


def generate(n: int, seed: int = 7) -> Iterator[Fact]:
    """A deterministic stream of ``n`` facts for one busy site."""
    rng = random.Random(seed)
    consultants = [f"c{i:03d}" for i in range(100)]
    channels = [f"ch{i:02d}" for i in range(20)]
    now = START
    step = timedelta(seconds=40)
    k = 0
    for i, c in enumerate(consultants):
        k += 1
        yield StaffJoined(id=f"s{k}", at=now, staff=c, name=f"顾问{i}", role="consultant", team=f"T{i // 10}")
    for ch in channels:
        for a in range(3):
            k += 1
            yield StaffJoined(id=f"s{k}", at=now, staff=f"{ch}a{a}", name=f"经纪{a}", role="agent", channel=ch)
    phones: list[str] = []
    names: list[str] = []
    registrant: list[str] = []
    reported: list[tuple[int, str]] = []  # (index into phones, channel) awaiting a visit
    pending: list[str] = []
    seq = 0
    produced = k
    while produced < n:
        produced += 1
        now += step
        fid = f"e{produced}"
        roll = rng.random()
        who = consultants[rng.randrange(100)]
        if roll < 0.16 or not phones:  # a new visitor
            seq += 1
            phone = phone_of(seq)
            name = SURNAMES[seq % len(SURNAMES)] + GIVEN[(seq * 7) % len(GIVEN)] + GIVEN[(seq * 13) % len(GIVEN)]
            phones.append(phone)
            names.append(name)
            registrant.append(who)
            yield Registration(
                id=fid,
                at=now,
                mode="visit" if roll < 0.11 else "call",
                consultant=who,
                customer=Customer(name=name, gender="M" if seq % 2 else "F", phone=phone, intent="三居", source="路过"),
                answers=Answers(first_visit=True),
            )
            continue
        j = rng.randrange(len(phones))
        phone = phones[j]
        if roll < 0.22:  # a return visit, sometimes to another consultant
            other = who if rng.random() < 0.3 else registrant[j]
            yield Registration(
                id=fid,
                at=now,
                mode="visit",
                consultant=other,
                customer=Customer(name=names[j], gender="M", phone=phone, intent="三居", source="老客户"),
                answers=Answers(first_visit=False, named_consultant=registrant[j] if rng.random() < 0.5 else None),
            )
        elif roll < 0.60:  # follow-ups
            method = "call" if roll < 0.5 else "sms"
            yield FollowUp(id=fid, at=now, phone=phone, consultant=registrant[j], method=method)
        elif roll < 0.70:  # a channel reports a new customer, masked
            seq += 1
            phone = phone_of(seq)
            name = SURNAMES[seq % len(SURNAMES)] + GIVEN[(seq * 5) % len(GIVEN)]
            phones.append(phone)
            names.append(name)
            registrant.append(who)
            ch = channels[rng.randrange(20)]
            reported.append((len(phones) - 1, ch))
            digits = phone[3:]
            yield ChannelReport(
                id=fid, at=now, channel=ch, agent=f"{ch}a0", name=name, gender="F", phone=f"{digits[:4]}**{digits[-5:]}"
            )
        elif roll < 0.76 and reported:  # the reported customer arrives
            idx, ch = reported.pop(rng.randrange(len(reported)))
            digits = phones[idx][3:]
            yield VisitConfirmation(
                id=fid,
                at=now,
                name=names[idx],
                gender="F",
                phone=phones[idx],
                phone_shown=f"{digits[:4]}**{digits[-5:]}",
                entry_at=now,
                channel=ch,
                agent=f"{ch}a0",
                signoffs=(
                    Signoff(role="agent", staff=f"{ch}a0"),
                    Signoff(role="clerk", staff="clerk"),
                    Signoff(role="marketing_manager", staff="mm"),
                ),
            )
        elif roll < 0.80:  # a deal
            yield Deal(
                id=fid,
                at=now,
                type=rng.choice(("deposit", "subscription", "signing")),
                phone=phone,
                closer=registrant[j] if rng.random() < 0.8 else who,
                assistants=(Assistant(staff=who, substantial=rng.random() < 0.3),) if rng.random() < 0.2 else (),
                amount=Decimal("30000"),
            )
        elif roll < 0.82:  # family
            k2 = rng.randrange(len(phones))
            yield Relationship(id=fid, at=now, phone_a=phone, phone_b=phones[k2], relation="parent")
        elif roll < 0.85:  # a returning customer who forgot his consultant
            yield PendingConfirmation(id=fid, at=now, phone=phone, consultant=who)
            pending.append(fid)
        elif roll < 0.87 and pending:
            yield Claim(id=fid, at=now, pending=pending.pop(), consultant=registrant[j], verified=True)
        elif roll < 0.92:  # duty
            yield Duty(
                id=fid,
                at=now,
                staff=who,
                status=rng.choice(("on_duty", "busy", "day_off", "out")),
                until=now + timedelta(hours=8),
            )
        else:  # a call registration of a new customer brought along by a relative
            seq += 1
            new = phone_of(seq)
            phones.append(new)
            names.append("王" + GIVEN[seq % len(GIVEN)])
            registrant.append(who)
            yield Registration(
                id=fid,
                at=now,
                mode="visit",
                consultant=who,
                customer=Customer(name=names[-1], gender="M", phone=new, intent="两居", source="朋友介绍"),
                companions=(Companion(phone=phone, relation="friend"),),
                referred_by=phone,
                referrer_present=True,
            )


class _Kept:
    """The floor's customer group: the facts kept for its replays, and its last time."""

    __slots__ = ("facts", "last_at")

    def __init__(self) -> None:
        self.facts: list[Fact] = []
        self.last_at: datetime | None = None


_PHONE_OF: dict[type[Fact], Callable[[Any], str | None]] = {
    Registration: lambda f: f.customer.phone,
    Relationship: lambda f: f.phone_a,
    FollowUp: lambda f: f.phone,
    VisitConfirmation: lambda f: f.phone,
    Deal: lambda f: f.phone,
    PendingConfirmation: lambda f: f.phone,
}


def floor(facts: Iterator[Fact]) -> int:
    """Dedupe, route by phone, keep: the work before any rule (see the module's docstring)."""
    seen: dict[str, int] = {}
    by_phone: dict[str, _Kept] = {}
    count = 0
    for f in facts:
        count += 1
        if f.id in seen:
            raise ValueError(f"duplicate fact id {f.id}")
        seen[f.id] = count
        phone_of = _PHONE_OF.get(type(f))
        phone = phone_of(f) if phone_of is not None else None
        if phone is None:
            continue
        g = by_phone.get(phone)
        if g is None:
            g = by_phone[phone] = _Kept()
        g.facts.append(f)
        g.last_at = f.at
    return count


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int, policy_id: str, kind: str) -> dict[str, float]:
    gc.collect()
    gc.freeze()
    # The collector as the product sets it (guishu.collector): the serving process's thresholds,
    # and a replay that builds an engine runs without cyclic collections, as the CLI's replay
    # and the service's cold start do. All three sides of the comparison run the same way.
    collector.tune()
    if kind in ("baseline", "floor"):
        t0 = time.perf_counter()
        with collector.building():
            count = sum(1 for _ in generate(size)) if kind == "baseline" else floor(generate(size))
        elapsed = time.perf_counter() - t0
        return {"size": size, "seconds": elapsed, "facts_per_s": count / elapsed, "peak_rss_mib": peak_rss_mib()}
    engine = Attributor(load_preset(policy_id), catalogue=presets())
    apply = engine.apply
    t0 = time.perf_counter()
    with collector.building():
        for fact in generate(size):
            apply(fact)
    elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    verdicts = len(engine.attribution().verdicts)
    answer = time.perf_counter() - t1
    return {
        "size": size,
        "seconds": elapsed,
        "facts_per_s": size / elapsed,
        "peak_rss_mib": peak_rss_mib(),
        "groups": verdicts,
        "answer_seconds": answer,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--policy", default="s8")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--kind", default="engine", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.policy, args.kind)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        result = {}
        for kind in ("baseline", "floor", "engine"):
            cmd = [sys.executable, __file__, "--one", str(size), "--policy", args.policy, "--kind", kind]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
            result[kind] = json.loads(out)
        engine, base, least = result["engine"], result["baseline"], result["floor"]
        # cost of attribution alone: engine run minus producing the facts
        net = engine["seconds"] - base["seconds"]
        floor_net = least["seconds"] - base["seconds"]
        row = {
            "size": size,
            "policy": args.policy,
            "engine_facts_per_s": round(engine["facts_per_s"]),
            "attribution_only_facts_per_s": round(size / net) if net > 0 else None,
            "generator_facts_per_s": round(base["facts_per_s"]),
            "engine_vs_generator": round(engine["seconds"] / base["seconds"], 2),
            "us_per_fact_attribution": round(net / size * 1e6, 3),
            "us_per_fact_floor": round(floor_net / size * 1e6, 3),
            "floor_peak_rss_mib": round(least["peak_rss_mib"]),
            "peak_rss_mib": round(engine["peak_rss_mib"]),
            "groups": engine["groups"],
            "answer_all_groups_s": round(engine["answer_seconds"], 2),
        }
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        growth = b["us_per_fact_attribution"] / a["us_per_fact_attribution"] - 1
        floor_growth = b["us_per_fact_floor"] / a["us_per_fact_floor"] - 1
        print(
            json.dumps(
                {
                    "cost_per_fact_growth": f"{growth:+.1%}",
                    "floor_cost_per_fact_growth": f"{floor_growth:+.1%}",
                    "from": a["size"],
                    "to": b["size"],
                }
            )
        )
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
