"""The confirmation desk (S18): hand-ins, pre-filings, developer notices."""

from __future__ import annotations

from datetime import datetime

from guishu.core import handins
from guishu.core.engine_state import EngineState
from guishu.core.events import (
    DeveloperNotice,
    HandIn,
    PreFiling,
    Registration,
)
from guishu.core.groups import (
    Confirmation,
    GroupState,
    same_local_day,
)
from guishu.core.identity import normalise_name
from guishu.core.policy import Policy
from guishu.core.verdict import (
    CollisionRecord,
    Invalid,
    Reason,
)


class DeskRules(EngineState):
    def _active_count(self, consultant: str, at: datetime) -> int:
        """S18.5: confirmations the consultant holds at ``at`` (lapsed ones free their place;
        under ``quota_counts = "confirmations"`` only customers held by a confirmation count)."""
        only_confirmed = self.policy_at(at).handins.quota_counts == "confirmations"
        count = 0
        for gid in self.owned_by.get(consultant, ()):
            g = self.groups.get(gid)
            if g is None or g.owner.id != consultant or (only_confirmed and g.basis != "handin"):
                continue
            if g.protected_until is None or g.protected_until > at:
                count += 1
        return count

    def quota_state(self, consultant: str, at: datetime) -> tuple[int, int | None]:
        """S18.5: the places a consultant's confirmations take at ``at``, and his quota then
        (None: the policy has none) — the confirmation desk's counter."""
        quota = handins.quota_for(self.policy_at(at), self._signings_last_quarter(consultant, at))
        return self._active_count(consultant, at), quota

    def _signings_last_quarter(self, consultant: str, at: datetime) -> int:
        q = handins.previous_quarter(handins.quarter_of(at, self.tz))
        return sum(1 for t in self.signings.get(consultant, ()) if handins.quarter_of(t, self.tz) == q)

    def _note_amendment(self, f: HandIn) -> None:
        """Known before routing, so a replay caused by this very amendment already honours it."""
        if f.amends:
            self.amended.add(f.amends)

    def _on_visitor_sheet(self, g: GroupState, f: HandIn, p: Policy) -> bool:
        """S18.7: the customer is on the consultant's 来人来电表: under "same_day", a call or visit
        registration of his on the hand-in's local date (the site's time zone)."""
        if p.handins.visitor_sheet_day == "any_day":
            return g.record_of(f.consultant) is not None
        day = (f.signed_at or f.at).astimezone(self.tz).date()
        return any(
            isinstance(x, Registration) and x.consultant == f.consultant and x.at.astimezone(self.tz).date() == day
            for x in g.facts
            if x.id not in self.invalid and x.at <= f.at
        )

    def _handin(self, g: GroupState, f: HandIn) -> None:
        p = self.policy_at(f.at)
        if f.name:
            g.add_name(normalise_name(f.name))
        result = handins.check_handin(
            f,
            p,
            self.tz,
            on_visitor_sheet=self._on_visitor_sheet(g, f, p),
            active_count=lambda consultant: self._active_count(consultant, f.signed_at or f.at),
            signings_last_quarter=self._signings_last_quarter,
            opened=self.milestones.get("internal_subscription_opened"),
        )
        if result.invalid is not None:
            self.invalid[f.id] = result.invalid
            return
        conf = result.confirmation
        assert conf is not None
        confs = list(g.confirmations)
        if f.amends:
            # S18.6: a changed confirmation takes the time of the second hand-in
            confs = [c for c in confs if not (c.fact == f.amends and c.consultant == f.consultant)]
        mine = [c for c in confs if c.consultant == f.consultant]
        # a form that a later amendment replaces does not block others (S18.6 with S18.11 merges)
        others = [c for c in confs if c.consultant != f.consultant and c.fact not in self.amended]
        first = min(others, key=lambda c: c.signed_at) if others and not f.amends else None
        if first is not None and p.deals.name_decides and bool(first.company) != bool(conf.company):
            # S18.14: a company form and a personal form both stand; the contract's name decides
            g.note(
                Reason(
                    "S18.14",
                    "单位购房与个人购房确认并存,以认购/签约名称为准",
                    "company and personal confirmations both stand; the contract's name decides",
                    (first.fact, f.id),
                    f.at,
                )
            )
        elif (
            first is not None
            and conf.signed_at < first.signed_at
            and not same_local_day(first.signed_at, conf.signed_at, self.tz)
        ):
            # S18.3: the confirmer's signed time decides, even for a form entered later
            self.collisions[f.id] = CollisionRecord(g.id, f.at, f.consultant, first.consultant, f.id, False, "S18.3")
        elif first is not None and same_local_day(first.signed_at, conf.signed_at, self.tz):
            g.state = "disputed"
            g.note(
                Reason(
                    "S18.15",
                    f"{self._who(first.consultant)} 与 {self._who(f.consultant)} 同日递交,由经理根据日报判定",
                    "handed in by two on the same day: the manager decides from daily reports",
                    (first.fact, f.id),
                    f.at,
                )
            )
            self.collisions[f.id] = CollisionRecord(g.id, f.at, first.consultant, f.consultant, f.id, False, "S18.15")
            return
        elif first is not None:
            self.invalid[f.id] = Invalid(
                f.id,
                "S18.4",
                f"与 {self._who(first.consultant)} 的确认冲突(其确认在先),24小时内退回,不得继续联系",
                "conflicts with an earlier confirmation: returned within 24 h",
                ("phone",),
            )
            self.collisions[f.id] = CollisionRecord(g.id, f.at, first.consultant, f.consultant, f.id, False, "S18.12")
            return
        if mine and not f.amends:
            # re-confirmation within validity keeps the original time (S18.21)
            keep = min(mine, key=lambda c: c.signed_at)
            conf = Confirmation(
                keep.fact, keep.consultant, keep.signed_at, conf.name, conf.company, conf.need, conf.until
            )
            confs = [c for c in confs if c.consultant != f.consultant]
        confs.append(conf)
        g.confirmations = tuple(confs)
        self._settle_confirmations(g, f.at, p, (f.id,))

    def _settle_confirmations(self, g: GroupState, at: datetime, p: Policy, facts: tuple[str, ...]) -> None:
        if not g.confirmations or g.state == "disputed" or p.ownership.basis != "handin":
            return
        first = min(g.confirmations, key=lambda c: c.signed_at)
        if g.owner.id != first.consultant:
            rule = "S18.20" if first.prefiled else "S18.12"
            self._own(
                g,
                first.consultant,
                first.signed_at,
                Reason(
                    rule,
                    f"确认时间最早(确认人签字 {first.signed_at.astimezone(self.tz):%m-%d %H:%M}),"
                    f"归 {self._who(first.consultant)}",
                    "the earliest confirmation (the confirmer's signed time) wins",
                    facts,
                    at,
                ),
                "handin",
            )
        g.protected_until = self._conf_until(first, p)
        g.last_contact = at

    def _prefiling(self, g: GroupState, f: PreFiling) -> None:
        p = self.policy_at(f.at)
        g.record(f.consultant, f.at)
        if p.ownership.basis != "handin":
            return
        conf = Confirmation(f.id, f.consultant, f.at, f.name, None, None, None, prefiled=True)
        g.confirmations = (*g.confirmations, conf)
        self._settle_confirmations(g, f.at, p, (f.id,))

    def _developer_notice(self, g: GroupState, f: DeveloperNotice) -> None:
        g.developer_notice_at = f.at
        g.note(Reason("S18.22", "开发商书面通知: 关系客户", "announced as developer-related", (f.id,), f.at))
