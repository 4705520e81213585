"""Channel facts (S6): reports, group lists, visit confirmations."""

from __future__ import annotations

from datetime import timedelta

from guishu.core import channels as ch
from guishu.core.engine_state import EngineState
from guishu.core.events import (
    ChannelReport,
    GroupList,
    VisitConfirmation,
)
from guishu.core.groups import (
    GroupState,
)
from guishu.core.identity import national_digits, normalise_name
from guishu.core.verdict import (
    POOL,
    Owner,
)


class ChannelRules(EngineState):
    def _known_for_report(self, record: ch.ReportRecord) -> list[str]:
        visible = national_digits(record.phone) if record.phone else record.mask.tail if record.mask else ""
        # the customers under the visible tail are many on a large record: the mask's head as a
        # plain substring test first (it never refuses a phone that fits), then the exact test
        head = record.mask.head if record.mask else ""
        phones = [ph for ph in self.phones_ending(visible) if head in ph and record.fits(ph)]
        if len(phones) > 1:
            named = [ph for ph in phones if record.name in self.by_phone[ph].names]
            if named:
                return named
        return phones

    def _report(self, f: ChannelReport) -> None:
        p = self.policy_at(f.at)

        def owned(phone: str) -> str | None:
            g = self.by_phone.get(phone)
            if g is None:
                return None
            if g.owner.kind != "pool" or g.channel is not None or g.has_visit:
                return g.owner.label()
            return None

        _answer, invalid = ch.answer_report(self.book, f, p, self._known_for_report, owned)
        if invalid is not None:
            self.invalid[f.id] = invalid

    def _group_list(self, f: GroupList) -> None:
        for problem in ch.add_group_list(self.book, f, self.tz):
            self.invalid[problem.fact] = problem

    def _visit_confirmation(self, g: GroupState, f: VisitConfirmation) -> None:
        p = self.policy_at(f.at)
        if f.name:
            g.add_name(normalise_name(f.name))
        g.has_visit = True
        if g.channel is not None:
            return  # S6.7: the 30 days run from the first visit
        outcome = ch.match_visit(self.book, f, p)
        if outcome.invalid is not None:
            self.invalid[f.id] = outcome.invalid
        if outcome.channel is None:
            if p.ownership.basis == "channel":
                g.set_owner(POOL, f.at, "public", outcome.reason, None)
            else:
                g.note(outcome.reason)
            return
        channel = Owner("channel", outcome.channel)
        g.channel = channel
        g.channel_since = f.entry_at or f.at
        g.channel_until = g.channel_since + timedelta(days=p.channel.visit_days)
        if p.ownership.basis == "channel":
            g.set_owner(channel, g.channel_since, "owned", outcome.reason, "channel")
        else:
            g.note(outcome.reason)
