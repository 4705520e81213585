"""The channel side (S6): pre-reports (报备), same-day group lists, visit confirmation.

``ChannelBook`` keeps every report the site received. ``answer_report`` tells
the agent at once what became of his report; ``match_visit`` decides, when the
customer arrives with his full phone, which channel (if any) he belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from guishu.core import few
from guishu.core.events import ChannelReport, FollowUp, GroupList, VisitConfirmation
from guishu.core.groups import day_end
from guishu.core.identity import (
    MaskedPhone,
    PhoneError,
    is_masked,
    mask_phone,
    national_digits,
    normalise_name,
    parse_masked_phone,
)
from guishu.core.policy import Policy
from guishu.core.verdict import Invalid, Reason, ReportAnswer


@dataclass(slots=True)
class ReportRecord:
    id: str
    channel: str
    agent: str
    name: str
    gender: str | None
    mask: MaskedPhone | None
    phone: str | None
    at: datetime
    priority_at: datetime  # S6.3: a re-report with continuous follow-up keeps its first time
    valid_until: datetime
    same_day: bool = False  # S6.4 group list entries

    def fits(self, phone: str) -> bool:
        if self.phone is not None:
            return self.phone == phone
        return self.mask is not None and self.mask.fits(phone)

    def tail(self) -> str:
        if self.phone is not None:
            return national_digits(self.phone)[-4:]
        assert self.mask is not None
        return self.mask.tail[-4:]

    def shown(self) -> str:
        if self.mask is not None:
            return self.mask.text
        return mask_phone(self.phone) if self.phone else ""


def _compatible(a: ReportRecord, b: ReportRecord) -> bool:
    """Could two reports describe one phone?  Every digit visible in both must agree."""

    def digits(r: ReportRecord) -> str:
        if r.phone is not None:
            return national_digits(r.phone)
        assert r.mask is not None
        return r.mask.head + "?" * r.mask.hidden + r.mask.tail

    da, db = digits(a), digits(b)
    return len(da) == len(db) and all(x == y or "?" in (x, y) for x, y in zip(da, db, strict=True))


@dataclass(slots=True)
class ChannelBook:
    reports: dict[str, ReportRecord] = field(default_factory=dict)
    # last four digits -> name -> the reports under both (one kept as itself), in the order added
    by_tail: dict[str, dict[str, few.Few[ReportRecord]]] = field(default_factory=dict)
    answers: dict[str, ReportAnswer] = field(default_factory=dict)
    # channel -> report id -> follow-up times (S6.3 continuity)
    follow_ups: dict[str, list[datetime]] = field(default_factory=dict)
    voided: set[str] = field(default_factory=set)

    def add(self, record: ReportRecord) -> None:
        self.reports[record.id] = record
        few.add(self.by_tail.setdefault(record.tail(), {}), record.name, record)

    def under(self, tail: str, name: str) -> Sequence[ReportRecord]:
        """The reports under ``name`` whose phone ends in ``tail`` (four digits).

        A four-digit tail is shared by one report in ten thousand, so on a record of millions
        its reports are many; under one name they are few.
        """
        return few.each(self.by_tail.get(tail, {}).get(name))

    def live_from(self, channel: str, phone: str, at: datetime) -> bool:
        """Does ``channel`` hold a report under any name, live at ``at``, that fits ``phone``?

        Every report under the phone's tail is looked at, so the cheap tests come first.
        """
        for known in self.by_tail.get(national_digits(phone)[-4:], {}).values():
            for r in few.each(known):
                if r.channel == channel and r.at <= at < r.valid_until and r.id not in self.voided and r.fits(phone):
                    return True
        return False

    def live_under_name(self, channel: str, name: str, at: datetime) -> ReportRecord | None:
        """The earliest report of ``channel`` under ``name``, whatever its phone, live at ``at``
        (S6.7's disagreeing details; every tail is looked at: only for a visit nothing matched)."""
        found = [
            r
            for by_name in self.by_tail.values()
            for r in few.each(by_name.get(name))
            if r.channel == channel and r.at <= at < r.valid_until and r.id not in self.voided
        ]
        return min(found, key=lambda r: (r.at, r.id)) if found else None

    def candidates(self, phone: str, name: str) -> list[ReportRecord]:
        """The reports under ``name`` (not voided) that fit ``phone``."""
        return [r for r in self.under(national_digits(phone)[-4:], name) if r.id not in self.voided and r.fits(phone)]

    def follow_up(self, f: FollowUp) -> None:
        if f.report is not None:
            self.follow_ups.setdefault(f.report, []).append(f.at)


def _report_problem(f: ChannelReport, p: Policy, mask: MaskedPhone | None) -> tuple[str, str, tuple[str, ...]] | None:
    missing = tuple(k for k in ("name", "gender", "phone") if not getattr(f, k))
    if missing:
        return ("报备信息不全(姓名、性别、手机号)", "a report needs name, gender and phone", missing)
    if mask is not None:
        form = mask.form()
        if form not in p.channel.accepted_masks:
            allowed = ", ".join(p.channel.accepted_masks)
            return (
                f"手机号遮挡格式 {form} 不符合本案场要求 ({allowed})",
                f"mask form {form} is not accepted here ({allowed})",
                ("phone",),
            )
    elif not p.channel.accept_full_phone:
        return ("本案场要求报备遮挡号码", "this site takes masked phones only", ("phone",))
    return None


def _continuous(times: list[datetime], start: datetime, end: datetime, gap_days: int) -> bool:
    """S6.3: at least one follow-up every ``gap_days`` days from ``start`` to ``end``."""
    gap = timedelta(days=gap_days)
    last = start
    for t in sorted(x for x in times if start <= x <= end):
        if t - last > gap:
            return False
        last = t
    return end - last <= gap


def _local(at: datetime, p: Policy) -> datetime:
    """A time as the site's people read it: in the site's zone (the service stamps UTC)."""
    return at.astimezone(ZoneInfo(p.timezone))


def answer_report(
    book: ChannelBook,
    f: ChannelReport,
    p: Policy,
    known: Callable[[ReportRecord], list[str]],
    owned: Callable[[str], str | None],
) -> tuple[ReportAnswer, Invalid | None]:
    """Record a report and tell the agent its fate (S6.1-S6.5).

    ``known(record)`` lists known customers' phones the report fits by phone and
    name; ``owned(phone)`` says who (if anyone) already has that customer.
    """
    mask = parse_masked_phone(f.phone) if f.phone and is_masked(f.phone) else None
    problem = _report_problem(f, p, mask)
    if problem is not None:
        zh, en, fields = problem
        answer = ReportAnswer(f.id, "invalid", None, zh, en)
        book.answers[f.id] = answer
        return answer, Invalid(f.id, "S6.1", zh, en, fields)
    assert f.phone is not None and f.name is not None
    masked = mask is not None
    record = ReportRecord(
        id=f.id,
        channel=f.channel,
        agent=f.agent,
        name=normalise_name(f.name),
        gender=f.gender,
        mask=mask,
        phone=None if masked else f.phone,
        at=f.at,
        priority_at=f.at,
        valid_until=f.at + timedelta(days=p.channel.report_days),
    )
    earlier = [r for r in book.under(record.tail(), record.name) if r.id not in book.voided and _compatible(r, record)]
    own = [r for r in earlier if r.channel == f.channel]
    for r in sorted(own, key=lambda r: r.at, reverse=True):
        if r.valid_until > f.at:
            answer = ReportAnswer(
                f.id,
                "duplicate",
                r.valid_until,
                f"本渠道已于 {_local(r.at, p):%m-%d %H:%M} 报备,仍在有效期内",
                "your channel's earlier report is still valid",
                r.id,
            )
            book.answers[f.id] = answer
            return answer, None
        if _continuous(book.follow_ups.get(r.id, []), r.at, f.at, p.channel.follow_up_days):
            # S6.3: kept following up at least every 5 days -> the re-report keeps its place
            record.priority_at = r.priority_at
        break
    rivals = [r for r in earlier if r.channel != f.channel and r.valid_until > f.at]
    phones = known(record)
    if len(phones) > 1:
        answer = ReportAnswer(
            f.id,
            "ambiguous",
            None,
            f"{record.shown()} 匹配到 {len(phones)} 位已登记客户,需现场核实",
            f"{record.shown()} fits {len(phones)} known customers: ambiguous",
        )
    elif len(phones) == 1 and owned(phones[0]) is not None:
        answer = ReportAnswer(
            f.id,
            "already_customer",
            None,
            "该客户已是案场登记客户,报备无效 (S6.2)",
            "already a registered customer of the site: not yours",
        )
    elif rivals:
        first = min(rivals, key=lambda r: r.priority_at)
        answer = ReportAnswer(
            f.id,
            "duplicate",
            None,
            f"其他渠道已于 {_local(first.at, p):%m-%d %H:%M} 先报备,以先报备为准 (S6.5)",
            "another channel reported first; the earlier report wins",
            first.id,
        )
    else:
        until = record.priority_at + timedelta(days=p.channel.report_days)
        record.valid_until = max(until, record.valid_until) if record.priority_at != f.at else until
        answer = ReportAnswer(f.id, "accepted", record.valid_until)  # its sentences: ReportAnswer.zh/.en
    if answer.status != "already_customer":  # S6.2: a report after the first visit claims nothing
        book.add(record)
    book.answers[f.id] = answer
    return answer, None


def add_group_list(book: ChannelBook, f: GroupList, tz: ZoneInfo) -> list[Invalid]:
    """S6.4: a same-day list counts as reports only where both name and phone are given."""
    problems: list[Invalid] = []
    for i, entry in enumerate(f.entries):
        if not entry.name or not entry.phone:
            problems.append(
                Invalid(
                    f"{f.id}#{i}",
                    "S6.4",
                    "团队名单只有姓名或电话之一,视为报备不成功",
                    "a group list entry needs both name and phone",
                    ("name",) if not entry.name else ("phone",),
                )
            )
            continue
        book.add(
            ReportRecord(
                id=f"{f.id}#{i}",
                channel=f.channel,
                agent=f.agent,
                name=normalise_name(entry.name),
                gender=None,
                mask=None,
                phone=entry.phone,
                at=f.at,
                priority_at=f.at,
                valid_until=day_end(f.at, 0, tz),
                same_day=True,
            )
        )
    return problems


@dataclass(frozen=True, slots=True)
class VisitOutcome:
    channel: str | None
    reason: Reason
    invalid: Invalid | None = None


def match_visit(book: ChannelBook, f: VisitConfirmation, p: Policy) -> VisitOutcome:
    """Which channel does this visitor belong to (S6.2, S6.5-S6.8)?"""
    facts = (f.id,)
    if not f.phone or f.entry_at is None:
        inv = Invalid(
            f.id,
            "S6.6",
            "来访确认单须留客户全号码并写明入场时间",
            "a visit confirmation needs the full phone and the entry time",
            tuple(k for k in ("phone", "entry_at") if not getattr(f, k)),
        )
        return VisitOutcome(None, Reason("S6.6", inv.zh, inv.en, facts, f.at), inv)
    name = normalise_name(f.name) if f.name else ""
    cited = book.reports.get(f.report) if f.report is not None else None
    if f.report is not None:
        disagreeing = _cited_disagrees(book, cited, f, name, f.phone)
        if disagreeing is not None:
            return disagreeing
    named = [r for r in book.candidates(f.phone, name) if r.at <= f.at < r.valid_until]
    matching = [r for r in named if r.gender is None or r.gender == f.gender]
    if not matching:
        if f.channel and book.live_from(f.channel, f.phone, f.at):
            inv = Invalid(
                f.id,
                "S6.7",
                "报备信息与来访确认信息不一致,视为无效",
                "report and visit details disagree: invalid",
                ("name", "gender"),
            )
            return VisitOutcome(None, Reason("S6.7", inv.zh, inv.en, facts, f.at), inv)
        same_name = (
            book.live_under_name(f.channel, name, f.at)
            if f.channel and name and p.channel.same_name_disagrees
            else None
        )
        if same_name is not None:
            return _disagreement(f, same_name, (_phone_differs(same_name, f.phone),))
        if cited is not None:  # it agreed, but is no longer live (S6.3) or was corrected away
            lapsed = (
                ("S6.3", f"所引报备已于 {_local(cited.valid_until, p):%m-%d %H:%M} 失效", "the cited report had lapsed")
                if cited.id not in book.voided
                else ("S6.7", "所引报备已更正作废", "the cited report was corrected away")
            )
            return VisitOutcome(
                None,
                Reason(
                    lapsed[0],
                    f"{lapsed[1]},来访时无有效报备,客户归公共资源",
                    f"{lapsed[2]} before the visit: a public customer",
                    (cited.id, f.id),
                    f.at,
                ),
            )
        return VisitOutcome(
            None,
            Reason(
                "S6.2",
                "来访前无有效报备,客户归公共资源",
                "no valid report before the visit: a public customer",
                facts,
                f.at,
            ),
        )
    first = min(matching, key=lambda r: (r.priority_at, r.at))
    both = (first.id, f.id)
    rule4 = "S6.4" if first.same_day else "S6.5"
    if f.came_alone:
        if f.named_channel == first.channel:
            return VisitOutcome(
                first.channel,
                Reason(
                    "S6.8",
                    "已报备客户自行到访,写明报备渠道,成交归该渠道",
                    "came alone and named the reporting channel",
                    both,
                    f.at,
                ),
            )
        if f.contact_records_verified:
            return VisitOutcome(
                first.channel,
                Reason(
                    "S6.8",
                    "客户未写明渠道,经核实渠道联系记录属实,仍归报备渠道",
                    "the channel's contact records check out",
                    both,
                    f.at,
                ),
            )
        return VisitOutcome(
            None,
            Reason(
                "S6.8",
                "客户自行到访,未写明渠道且联系记录未核实",
                "came alone, named no channel, records not verified",
                both,
                f.at,
            ),
        )
    missing = [role for role in p.channel.signoffs if role not in {s.role for s in f.signoffs}]
    blanks = tuple(k for k in ("name", "gender", "phone_shown") if not getattr(f, k))
    if missing or blanks:
        roles = "、".join(
            {"agent": "分销个人", "clerk": "客服专员", "marketing_manager": "开发商营销经理"}[m] for m in missing
        )
        inv = Invalid(
            f.id,
            "S6.7",
            f"确认单信息不全或缺少签字: {roles or '、'.join(blanks)}",
            f"confirmation incomplete: missing {', '.join(missing) or ', '.join(blanks)}",
            tuple(missing) + blanks,
        )
        return VisitOutcome(None, Reason("S6.7", inv.zh, inv.en, both, f.at), inv)
    if f.phone_shown and first.mask is not None and first.mask.text.replace(" ", "") != f.phone_shown.replace(" ", ""):
        shown_ok = _shown_fits(f.phone_shown, f.phone)
        if not shown_ok:
            inv = Invalid(
                f.id,
                "S6.7",
                "确认单上的号码与报备不一致,视为无效",
                "the phone on the form disagrees with the report",
                ("phone_shown",),
            )
            return VisitOutcome(None, Reason("S6.7", inv.zh, inv.en, both, f.at), inv)
    if f.channel and f.channel != first.channel:
        return VisitOutcome(
            first.channel,
            Reason(
                rule4,
                f"渠道 {first.channel} 报备在先,以先报备者为准",
                "another channel reported first; the earlier report wins",
                both,
                f.at,
            ),
        )
    return VisitOutcome(
        first.channel,
        Reason(
            "S6.7",
            f"报备与来访一致,三方签字确认,有效期{p.channel.visit_days}天",
            f"report matches the visit, three sign-offs: valid {p.channel.visit_days} days",
            both,
            f.at,
        ),
    )


Disagreement = tuple[str, str, str]  # (field, Chinese, English)


def _phone_differs(r: ReportRecord, phone: str) -> Disagreement:
    return (
        "phone",
        f"手机号(报备 {r.shown()},确认单 {mask_phone(phone)})",
        f"phone ({r.shown()} vs {mask_phone(phone)})",
    )


def _cited_disagrees(
    book: ChannelBook, cited: ReportRecord | None, f: VisitConfirmation, name: str, phone: str
) -> VisitOutcome | None:
    """S6.7: the confirmation names the report it answers; where their details disagree it is
    invalid, each disagreement named. None when they agree (the matching goes on as usual)."""
    if cited is None:
        answer = book.answers.get(f.report or "")
        if answer is None:
            zh, en = f"确认单所引报备 {f.report} 本案场未收到", f"the cited report {f.report} was never received here"
        else:  # received, but it claimed nothing (invalid, already the site's customer, ...)
            zh, en = (
                f"确认单所引报备 {f.report} 未被受理({answer.zh})",
                f"the cited report was not accepted ({answer.en})",
            )
        inv = Invalid(f.id, "S6.7", f"{zh},视为无效", f"{en}: invalid", ("report",))
        return VisitOutcome(None, Reason("S6.7", inv.zh, inv.en, (f.id,), f.at), inv)
    rows: list[Disagreement] = []
    if f.channel and cited.channel != f.channel:
        rows.append(("channel", f"渠道(报备 {cited.channel},确认单 {f.channel})", "channel"))
    if cited.name != name:
        rows.append(("name", f"姓名(报备 {cited.name},确认单 {name or '未填'})", "name"))
    if cited.gender is not None and f.gender is not None and cited.gender != f.gender:
        rows.append(("gender", f"性别(报备 {_GENDER[cited.gender]},确认单 {_GENDER[f.gender]})", "gender"))
    if not cited.fits(phone):
        rows.append(_phone_differs(cited, phone))
    return _disagreement(f, cited, tuple(rows)) if rows else None


def _disagreement(f: VisitConfirmation, report: ReportRecord, rows: tuple[Disagreement, ...]) -> VisitOutcome:
    inv = Invalid(
        f.id,
        "S6.7",
        "报备信息与来访确认信息不一致,视为无效: " + "、".join(zh for _, zh, _ in rows),
        "report and visit details disagree: invalid: " + ", ".join(en for _, _, en in rows),
        tuple(field for field, _, _ in rows),
    )
    return VisitOutcome(None, Reason("S6.7", inv.zh, inv.en, (report.id, f.id), f.at), inv)


_GENDER = {"M": "男", "F": "女"}


def _shown_fits(shown: str, phone: str) -> bool:
    """Does the masked phone written on a confirmation fit the visitor's phone (S6.7)?

    What the form says is a fact, whatever was written: a mask that cannot be read ("x",
    "138****") fits nothing, and the confirmation disagrees with the report.
    """
    if not is_masked(shown):
        return False
    try:
        return parse_masked_phone(shown).fits(phone)
    except PhoneError:
        return False
