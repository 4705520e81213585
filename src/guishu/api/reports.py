"""Channel reports (报备), shared by the API and the agents' phone page (S6.1-S6.5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guishu.core.verdict import ReportAnswer
from guishu.record import engines
from guishu.record.actions import Receipt, append_fact
from guishu.record.models import Entry, Project


@dataclass(frozen=True)
class ReportReceipt:
    answer: ReportAnswer
    entry: Receipt
    earlier_visible: bool  # never name another channel's report
    payload: dict[str, Any]  # the report's fields (agent, name, masked phone ...)


def submit_report(*, project: Project, channel: str, agent: str, name: str, gender: str, phone: str) -> ReportReceipt:
    data = {"kind": "report", "channel": channel, "agent": agent, "name": name, "gender": gender, "phone": phone}
    appended = append_fact(project=project, data=data)
    live = engines.current(project)
    with live.lock:
        answer = live.engine.book.answers[appended.fact.id]
    return ReportReceipt(answer, appended.entry, _same_channel(live, answer.earlier, channel), data)


def reports_of(*, project: Project, channel: str, agent: str | None, limit: int = 200) -> list[ReportReceipt]:
    """An agent's own reports (or, with ``agent=None``, his firm's, for its manager), newest first."""
    entries = Entry.objects.filter(project=project, kind="report", payload__channel=channel)
    if agent is not None:
        entries = entries.filter(payload__agent=agent)
    entries = entries.order_by("-seq")[:limit]
    live = engines.live_engine(project)
    out = []
    with live.lock:
        for e in entries:
            answer = live.engine.book.answers.get(e.fact_id)
            if answer is not None:
                out.append(
                    ReportReceipt(answer, Receipt.of(e), _same_channel(live, answer.earlier, channel), e.payload)
                )
    return out


def _same_channel(live: engines.LiveEngine, report_id: str | None, channel: str) -> bool:
    if report_id is None:
        return False
    with live.lock:
        record = live.engine.book.reports.get(report_id)
    return record is not None and record.channel == channel
