"""Channel reports (报备), shared by the API and the agents' phone page (S6.1-S6.5).

What an agent is told is made here, not taken from the engine's sentences: the engine's
answer to a duplicate names the time of the earlier report, and when that report is another
firm's, an agent must learn nothing of it (no time, no firm, no name, no id). Every time an
agent is told is in the site's time zone (``Project.timezone``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from guishu.core.verdict import ReportAnswer
from guishu.record import engines
from guishu.record.actions import Receipt, append_fact
from guishu.record.models import Entry, Project

_MASK_FORM = re.compile(r"first(\d+)_last(\d+)")


@dataclass(frozen=True)
class ReportReceipt:
    answer: ReportAnswer
    entry: Receipt
    # when the agent's own channel made the earlier report this one duplicates; None when
    # there is none or it is another channel's (never named, never timed)
    own_earlier_at: datetime | None
    payload: dict[str, Any]  # the report's fields (agent, name, masked phone ...)

    @property
    def status(self) -> str:
        return self.answer.status

    @property
    def earlier(self) -> str | None:
        """The earlier report's id, only when it is the agent's own channel's."""
        return self.answer.earlier if self.own_earlier_at is not None else None

    def valid_until(self, tz: ZoneInfo) -> datetime | None:
        until = self.answer.valid_until
        if until is None or (self.status == "duplicate" and self.own_earlier_at is None):
            return None
        return until.astimezone(tz)

    def at(self, tz: ZoneInfo) -> datetime:
        """When the report entered the record (its receipt's time), in the site's zone."""
        return self.entry.at.astimezone(tz)

    def message(self, tz: ZoneInfo) -> tuple[str, str]:
        """What the agent is told, in Chinese and English, with times in the site's zone."""
        a = self.answer
        until = self.valid_until(tz)
        if a.status == "accepted" and until is not None:
            return (f"报备成功,有效期至 {until:%Y-%m-%d %H:%M} (S6.3)", f"accepted; valid until {until:%Y-%m-%d %H:%M}")
        if a.status == "duplicate":
            if self.own_earlier_at is None:  # another firm's report: say only that it cannot count
                return ("该客户不能受理 (S6.5)", "this customer cannot be accepted (S6.5)")
            when = self.own_earlier_at.astimezone(tz)
            return (
                f"本渠道已于 {when:%Y-%m-%d %H:%M} 报备,仍在有效期内",
                f"your channel reported this customer at {when:%Y-%m-%d %H:%M}; that report is still valid",
            )
        # already_customer, ambiguous, invalid: the engine's sentences hold no time and no other
        # firm; a mask form's code is said in words
        return (_MASK_FORM.sub(r"前\1后\2", a.given_zh), a.given_en)


def submit_report(*, project: Project, channel: str, agent: str, name: str, gender: str, phone: str) -> ReportReceipt:
    """Append a report whose fields the caller has cleaned (``guishu.core.inputs``)."""
    data = {"kind": "report", "channel": channel, "agent": agent, "name": name, "gender": gender, "phone": phone}
    appended = append_fact(project=project, data=data)
    live = engines.current(project)
    with live.lock:
        answer = live.engine.book.answers[appended.fact.id]
    return ReportReceipt(answer, appended.entry, _own_earlier_at(live, answer.earlier, channel), data)


def reports_of(*, project: Project, channel: str, agent: str | None, limit: int = 200) -> list[ReportReceipt]:
    """An agent's own reports (or, with ``agent=None``, his firm's, for its manager), newest first."""
    entries = Entry.objects.filter(project=project, kind="report", payload__channel=channel)
    if agent is not None:
        entries = entries.filter(payload__agent=agent)
    rows = list(entries.order_by("-seq")[:limit])
    live = engines.live_engine(project)
    out = []
    with live.lock:
        for e in rows:
            answer = live.engine.book.answers.get(e.fact_id)
            if answer is not None:
                out.append(
                    ReportReceipt(answer, Receipt.of(e), _own_earlier_at(live, answer.earlier, channel), e.payload)
                )
    return out


def _own_earlier_at(live: engines.LiveEngine, report_id: str | None, channel: str) -> datetime | None:
    if report_id is None:
        return None
    with live.lock:
        record = live.engine.book.reports.get(report_id)
    return record.at if record is not None and record.channel == channel else None
