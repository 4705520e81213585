"""The writes of the money side, one fact each under the signed-in person's name:

- 佣金标准: a commission rate (the site's own, for one 业态 or all) or a channel firm's
  contract, with its validity, by the developer's marketing manager or finance.
- 结佣审批: finance approves one payee's statement of a month exactly as the screen showed it
  (its total sent back is compared with the statement read under the chain lock: a statement
  that changed since is refused, never approved unseen).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from guishu.core import statements as core
from guishu.core.attribution import Attributor
from guishu.deals.actions import UNIT_TYPES
from guishu.penalties.selectors import Period
from guishu.record.actions import Appended, RecordInputError, append_decided, append_fact
from guishu.sites.access import SiteAccess, require
from guishu.sites.templatetags import words
from guishu.statements import selectors

MOST_PERCENT = Decimal(20)
CONTRACT_MAX = 64


def _percent(raw: str) -> Decimal:
    """A rate typed in percent (0.3 for 千分之三), as the fraction of the price."""
    text = (raw or "").strip().rstrip("%").strip()
    if not text:
        raise RecordInputError("percent", "必填 / required")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RecordInputError("percent", "应为数字,如 0.3 / a number such as 0.3") from None
    if not value.is_finite() or value <= 0 or value > MOST_PERCENT:
        raise RecordInputError("percent", f"应在 0 到 {MOST_PERCENT} 之间 / between 0 and {MOST_PERCENT}")
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise RecordInputError("percent", "最多四位小数 / at most four decimals")
    return value / 100


def _midnight(access: SiteAccess, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=words.site_zone(access.project))


def record_rate(
    *,
    access: SiteAccess,
    payee: str,
    percent: str,
    valid_from: date,
    valid_until: date | None = None,
    unit_type: str = "",
    channel: str = "",
    contract: str = "",
) -> Appended:
    """佣金标准 from ``valid_from`` (the site's local midnight) until ``valid_until`` (exclusive)."""
    require(access, "commission_rates")
    if payee not in ("consultant", "channel"):
        raise RecordInputError("payee", "应为置业顾问佣金或渠道合同 / the site's commission or a channel contract")
    data: dict[str, Any] = {
        "kind": "commission_rate",
        "by": access.staff,
        "payee": payee,
        "rate": str(_percent(percent)),
        "valid_from": _midnight(access, valid_from).isoformat(),
    }
    if valid_until is not None:
        if valid_until <= valid_from:
            raise RecordInputError("valid_until", "应晚于生效日期 / after the first day")
        data["valid_until"] = _midnight(access, valid_until).isoformat()
    if unit_type:
        if unit_type not in UNIT_TYPES:
            raise RecordInputError("unit_type", "不在可选的业态中 / not one of the unit types")
        data["unit_type"] = unit_type
    if payee == "channel":
        if channel not in words.firms_of(access.project):
            raise RecordInputError("channel", "不是本案场的渠道 / not a channel firm of this site")
        data["channel"] = channel
        contract = (contract or "").strip()
        if len(contract) > CONTRACT_MAX:
            raise RecordInputError("contract", f"最多{CONTRACT_MAX}字 / at most {CONTRACT_MAX} characters")
        if contract:
            data["contract"] = contract
    elif channel:
        raise RecordInputError("channel", "顾问佣金不填渠道 / the site's own commission names no channel")
    return append_fact(project=access.project, data=data, actor=access.user)


def approve(*, access: SiteAccess, payee: str, period: Period, total: str) -> Appended:
    """结佣审批 of ``payee``'s statement of the month, if it still reads ``total``."""
    require(access, "approve_statement")
    if period.start is None or period.end is None:
        raise RecordInputError("month", "应为某一个月 / one month")
    if payee not in selectors.payees_known(access.project):
        raise RecordInputError("payee", "不是本案场的结佣对象 / no one paid at this site")
    try:
        shown = Decimal((total or "").strip())
    except InvalidOperation:
        raise RecordInputError("total", "应为金额 / an amount") from None

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        assert period.start is not None and period.end is not None
        # read under the chain lock: an approval appended meanwhile is seen, never doubled
        known = selectors.rates(access.project)
        approved = selectors.approvals(access.project)
        found = core.earnings(
            engine.splits(at), known, lambda t: engine.policy_at(t).settlement, engine.penalties_at(at), at
        )
        st = core.statement(payee, period.key, period.start, period.end, found, approved)
        if st.approval is not None:
            raise RecordInputError("month", "该结算单已审批 / this statement is approved already")
        if st.superseded_by is not None:
            raise RecordInputError(
                "month", f"已并入 {st.superseded_by} 的结算单 / carried into the statement of {st.superseded_by}"
            )
        if not st.lines:
            raise RecordInputError("payee", "结算单没有任何行 / the statement has no lines")
        if st.total != shown:
            raise RecordInputError(
                "total",
                f"结算单已变化(现为 {st.total}),请刷新后再审批 / the statement changed (now {st.total}): reload it",
            )
        fact = core.approval(st, id="-", at=at, by=access.staff)
        return {
            "kind": "statement_approved",
            "by": fact.by,
            "month": fact.month,
            "payee": fact.payee,
            "as_of": fact.as_of.isoformat(),
            "total": str(fact.total),
            "lines": [{"key": line.key, "amount": str(line.amount)} for line in fact.lines],
        }

    return append_decided(project=access.project, decide=decide, actor=access.user)
