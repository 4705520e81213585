"""The readable Chinese report of an Attribution, and of a comparison of two policies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from guishu.cli.table import render
from guishu.core.identity import mask_phone
from guishu.core.verdict import Attribution, Owner, Split, Verdict

STATE_ZH = {"owned": "已归属", "pending": "待确认", "disputed": "争议中", "public": "公共客户"}
Namer = Callable[[str], str]


def when(at: datetime | None, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else "-"


def owner_text(o: Owner, name: Namer) -> str:
    if o.kind in ("consultant", "channel") and o.id:
        label = name(o.id)
        prefix = "渠道 " if o.kind == "channel" else ""
        return f"{prefix}{label}" if label == o.id else f"{prefix}{label}({o.id})"
    return o.label()


def members_text(v: Verdict) -> str:
    return ",".join(mask_phone(m) for m in v.members)


def shares_text(s: Split, name: Namer) -> str:
    return " / ".join(f"{name(w)} {float(x) * 100:g}%" for w, x in s.shares)


def render_attribution(a: Attribution, name: Namer, tz: ZoneInfo) -> str:
    out = [f"制度 / policy: {a.policy}    时点 / as of: {when(a.at, tz)}", ""]
    rows = []
    for v in a.verdicts:
        # owned: the clause that made the owner; pending / disputed / public: what happened last
        reason = (v.reasons[0] if v.state == "owned" else v.reasons[-1]) if v.reasons else None
        more = f" (+{len(v.reasons) - 1})" if len(v.reasons) > 1 else ""
        why = f"{reason.rule} {reason.zh}{more}" if reason else ""
        until = when(v.deadline or v.protected_until, tz) if (v.deadline or v.protected_until) else "-"
        rows.append([members_text(v), owner_text(v.owner, name), STATE_ZH[v.state], when(v.since, tz), until, why])
    out.append(render(["客户", "归属", "状态", "起始", "保护至/期限", "依据"], rows))
    if a.invalid:
        out += ["", "无效登记 / invalid entries:"]
        out += [f"  {i.fact}: [{i.rule}] {i.zh}" for i in a.invalid]
    if a.collisions:
        out += ["", "撞单与抢单 / collisions:"]
        out += [
            f"  {when(c.at, tz)} {name(c.other)} 与 {name(c.owner)}: [{c.rule}] "
            + ("抢单(明知)" if c.knowing else "撞单(不知情)")
            for c in a.collisions
        ]
    if a.penalties:
        out += ["", "处罚 / penalties:"]
        out += [f"  {when(p.at, tz)} {name(p.staff)}: {p.amount} 元 [{p.rule}] {p.zh}" for p in a.penalties]
    if a.splits:
        out += ["", "佣金分配 / commission splits:"]
        for s in a.splits:
            tail = f"(暂定,至 {when(s.provisional_until, tz)})" if s.provisional_until else ""
            tail += {"qualification": "(待资格审核)", "signing": "(待签约)"}.get(s.awaiting or "", "")
            chan = f" 渠道 {name(s.channel)}" if s.channel else ""
            out.append(f"  {s.deal} {when(s.at, tz)}: {shares_text(s, name)}{chan} [{s.rule}] {s.zh}{tail}")
    if a.chases:
        out += ["", "催办 / to chase:"]
        out += [f"  {when(c.due, tz)} {name(c.who) if c.who else '-'}: [{c.rule}] {c.zh}" for c in a.chases]
    if a.reports:
        out += ["", "报备答复 / report answers:"]
        out += [f"  {r.report}: {r.status} {r.zh}" for r in a.reports]
    return "\n".join(out)


def owner_key(v: Verdict | None) -> str:
    if v is None:
        return "-"
    return f"{v.owner.kind}:{v.owner.id}:{v.state}"


def render_comparison(a: Attribution, b: Attribution, name: Namer, tz: ZoneInfo) -> tuple[str, int]:
    """Every customer whose owner or split differs, with both reasons. Returns (text, count)."""
    lines = [f"比较 / compare: {a.policy}  vs  {b.policy}    时点: {when(a.at, tz)}", ""]
    phones = sorted({m for v in a.verdicts for m in v.members} | {m for v in b.verdicts for m in v.members})
    diffs = 0
    for phone in phones:
        va, vb = a.verdict_for(phone), b.verdict_for(phone)
        if owner_key(va) == owner_key(vb):
            continue
        diffs += 1
        lines.append(f"{mask_phone(phone)}:")
        for label, v in ((a.policy, va), (b.policy, vb)):
            if v is None:
                lines.append(f"  {label}: -")
                continue
            why = "; ".join(f"{r.rule} {r.zh}" for r in v.reasons)
            lines.append(f"  {label}: {owner_text(v.owner, name)} {STATE_ZH[v.state]}  ({why})")
    sa = {s.deal: s for s in a.splits}
    sb = {s.deal: s for s in b.splits}
    for deal in sorted(set(sa) | set(sb)):
        x, y = sa.get(deal), sb.get(deal)
        if x is not None and y is not None and x.shares == y.shares:
            continue
        diffs += 1
        lines.append(f"成交 {deal}:")
        for label, s in ((a.policy, x), (b.policy, y)):
            lines.append(f"  {label}: " + (f"{shares_text(s, name)} [{s.rule}] {s.zh}" if s else "-"))
    if diffs == 0:
        lines.append("两种制度下归属与分佣完全相同 / no differences")
    return "\n".join(lines), diffs
