"""Policies are data: a TOML document, validated, every clause citing its seed rule.

A policy is a set of switches and parameters over one attribution engine. Each
seed policy (S1, S4, S6 ...) is a preset file in ``guishu/policies``; a site may
write its own. ``parse_policy`` refuses unknown keys and wrong values with a
``PolicyError`` naming the key (``protection.days``) and what is wrong, in
Chinese and English.
"""

from __future__ import annotations

import functools
import re
import tomllib
from datetime import datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from guishu.core.qualification import CheckItem
from guishu.core.rotation_view import StandIn

Share = Annotated[Decimal, Field(ge=0, le=1)]
Amount = Annotated[Decimal, Field(ge=0)]
RuleId = Annotated[str, Field(pattern=r"^S\d+(\.[0-9A-Za-z]+)*$")]
RegisterField = Literal["name", "surname", "name_or_surname", "gender", "phone", "intent", "source", "signature"]
RelationName = Literal["spouse", "parent", "child", "sibling"]


class KeyedValueError(ValueError):
    """A cross-field error that knows which key to blame (relative to its section)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Ownership(_Section):
    """Which record makes a consultant (or channel) the owner."""

    basis: Literal["registration", "handin", "channel"] = "registration"
    counts: tuple[Literal["call", "visit"], ...] = ("call", "visit")
    visit_outranks_call: bool = False  # S1.C6
    proxy: Literal["void", "buyer"] = "buyer"  # S1.C9 void / S8.7 the buyer's name decides
    search_miss_reassigns: bool = False  # S1.C5
    developer_staff_to_duty: bool = False  # S18.23
    rule: RuleId = "S8.1"


class Validity(_Section):
    """Fields a registration needs to count (S4.3, S4.8, S8.5, S10.6, S11.3)."""

    call_requires: tuple[RegisterField, ...] = ("name_or_surname", "phone")
    visit_requires: tuple[RegisterField, ...] = ("name_or_surname", "phone")
    call_rule: RuleId = "S8.5"
    visit_rule: RuleId = "S8.5"


class Group(_Section):
    """Who counts as one customer group (S8.3, S14.3f, S18.11)."""

    relations: tuple[RelationName, ...] = ()
    same_name_same_need: bool = False  # S18.11
    rule: RuleId = "S8.3"


class Naming(_Section):
    """The customer names a consultant at the front desk."""

    with_record: bool = True  # S7.2, S8.2, S10.2, S11.2
    without_record: bool = False  # S4.5, S14.3b, S14.4
    sms: bool = False  # S11.2: "did a consultant send you an SMS?"
    rule: RuleId = "S8.2"
    without_record_rule: RuleId = "S14.4"
    unnamed_caller_is_new: bool = False  # S4.7: a caller who cannot remember who took his call is new
    # "cannot remember his consultant" (S1.C6, S4.7) only when the registration records it
    # (answers.knows_consultant false); v1 read any visit that named nobody so
    forgot_needs_answer: bool = False


class Referral(_Section):
    """An old customer brings or sends a new one (老带新)."""

    mode: Literal[
        "none",  # S1.C1, S1.C8, S1.C10: rotation decides
        "accompanied_unless_refused",  # S8.8
        "accompanied_or_named",  # S16.14
        "unregistered_accompanied",  # S14.3d
    ] = "none"
    rule: RuleId = "S1.C8"  # when not given: the rule whose practice the mode is (_RULE_OF_MODE)

    @model_validator(mode="before")
    @classmethod
    def _rule_of_the_mode(cls, data: Any) -> Any:
        """A mode without a rule cites the clause it comes from, not another mode's."""
        if isinstance(data, dict) and "rule" not in data:
            mode = data.get("mode", "none")
            if isinstance(mode, str) and mode in _RULE_OF_MODE:  # anything else: the mode's own error
                return {**data, "rule": _RULE_OF_MODE[mode]}
        return data


_RULE_OF_MODE = {
    "none": "S1.C8",
    "accompanied_unless_refused": "S8.8",
    "accompanied_or_named": "S16.14",
    "unregistered_accompanied": "S14.3d",
}


class Protection(_Section):
    """How long ownership lasts without contact."""

    basis: Literal["none", "follow_up", "confirmation"] = "none"
    days: int | None = Field(default=None, ge=1, le=366)
    deal_locks: bool = True  # a deposit or signing ends the lapse clock
    rule: RuleId = "S8.11"

    @model_validator(mode="after")
    def _days_needed(self) -> Protection:
        if self.basis != "none" and self.days is None:
            raise KeyedValueError("days", "必填 / days is required when basis is not 'none'")
        return self


class Pending(_Section):
    """待确认 (S8.10, S14.3a): a returning customer who forgot his consultant."""

    enabled: bool = False
    claim_days: int | None = Field(default=None, ge=0, le=60)  # None: until a claim or a ruling (S14.3a)
    # who verifies a claim: "claim" trusts the claim's own flag (v1 presets, records written
    # before); "clerk" needs a claim_verified fact by a clerk or manager other than the claimant
    verification: Literal["claim", "clerk"] = "claim"
    rule: RuleId = "S8.10"


class Refusal(_Section):
    """Complaint or refusal of the consultant (S1.6, S8.9, S14.3e, S16.13, S18.25)."""

    needs_approval: bool = True
    original_share: Share = Decimal(0)  # S18.25: 50/50 with the new consultant
    fine_min: Amount | None = None  # S1.6: ¥100-500
    fine_max: Amount | None = None
    rule: RuleId = "S8.9"


class Assist(_Section):
    """A colleague receives an owned customer whose consultant is away or busy."""

    first_deposit_share: Share | None = None  # S4.9b: the assistant's share of the first deposit
    assistant_closes_share: Share | None = None  # S16.9: 50/50
    owner_closes_assistant_share: Share | None = None  # S16.9: 70/30
    rule: RuleId | None = None  # cited when a colleague stands in; default naming.rule
    busy_rule: RuleId | None = None  # cited when the owner is present but busy (S16.5); default rule
    # S16.1 "the software record is the only basis": an owner recorded (duty) as away or busy at
    # the moment makes the receiver of a customer who says he has been here before his assistant
    # (S16.6), whether or not the customer names him; v1 needed the owner named
    from_duty_record: bool = False
    # S16.5, S14.2: a reception "on behalf of" a named owner needs him recorded away or busy at
    # that moment; otherwise the receiver knew whose customer it was and the knowing rules apply
    needs_duty_record: bool = False
    # S10.8: a stand-in is read against the owner's team: one of his team receives, or, when
    # the whole team is recorded away or busy, another team's, who hands him back
    team_fallback: bool = False
    # who the rotation makes the stand-in (S4.9 最少制 "fewest", S7.4 / S16.6 "last_in_rotation"),
    # checked only where the record holds the queue at that moment (core.rotation_view); "any":
    # whoever received. A stand-in the rotation did not choose earns no assistant's share
    stand_in: StandIn = "any"


SkipReasonName = Literal["with_customer", "old_customer", "sales_work", "absent", "non_sales", "on_break", "duty_away"]


class Rotation(_Section):
    """The reception queue (轮序) at the front desk: how it orders, what a passed turn keeps."""

    order: Literal["sign_in", "roster"] = "sign_in"  # 签到顺序, or the manager's fixed roster of the day
    # S16.7: passed over while receiving a customer or on sales work, he keeps his turn (累计);
    # for any other reason (absent, non-sales business, a break, recorded away) he loses it (轮空)
    keeps_turn: tuple[SkipReasonName, ...] = ("with_customer", "old_customer", "sales_work")
    make_up_for: tuple[SkipReasonName, ...] = ()  # S7.6: passed over for these, he gets 补接一次
    rule: RuleId = "S7.3"  # a first-time visitor goes to the rotation consultant, counted one
    skip_rule: RuleId = "S16.7"
    make_up_rule: RuleId = "S7.6"
    returning_rule: RuleId = "S7.2"  # been here, or names someone: that consultant (not a turn)
    appointment_rule: RuleId = "S7.4"  # the named consultant; away or busy, a stand-in, not counted
    staff_sent_rule: RuleId = "S18.23"  # sent by developer or non-sales staff: the duty consultant
    # S18.8: at the desk an old customer's new one goes to the original when brought in person
    # or naming him, else the duty consultant, whatever the referral section says of ownership
    referral_to_original: bool = False
    referral_rule: RuleId | None = None
    # S4.9's least-count (最少制) counts receptions over the site-local day, or the month
    counts_over: Literal["day", "month"] = "day"


class Collision(_Section):
    """撞单 and 抢单 (S14.2, S14.3, S16.11, S18.13, S18.24)."""

    unknowing_closer_share: Share | None = None  # S16.11: 50/50
    unknowing_contributor_share: Share | None = None  # S16.11: 30/70
    knowing_fine: Amount | None = None  # S16.11: ¥1000, whole deal to the owner
    # S16.11: the deal's closer_knew makes the closer a knowing one even if he never registered
    # the customer (v1 read it only for a closer who had registered him)
    deal_knowledge: bool = False
    stealing_fine: Amount | None = None  # S14.2: ¥200 on the first offence
    stealing_dismissal_at: int | None = Field(default=None, ge=1)  # S14.2: the second offence
    raise_days: int | None = Field(default=None, ge=0)  # S18.13, S18.24: 3 days after signing
    asked_share: Share | None = None  # S18.24: 50/50 when the receiver asked
    rule: RuleId | None = None  # the rule an unknowing collision cites; default ownership.rule


class Channel(_Section):
    """Channel pre-reporting and visit confirmation (S6)."""

    enabled: bool = False
    accepted_masks: tuple[str, ...] = ("first4_last5",)
    accept_full_phone: bool = True
    report_days: int = Field(default=7, ge=1)  # S6.3
    follow_up_days: int = Field(default=5, ge=1)  # S6.3
    visit_days: int = Field(default=30, ge=1)  # S6.7
    # S6.7: a visit whose confirming channel holds a live report under the visitor's name, with
    # another phone, is an invalid confirmation naming the disagreement, not an unreported
    # visit (S6.2); v1 matched by the full phone only
    same_name_disagrees: bool = False
    signoffs: tuple[Literal["agent", "clerk", "marketing_manager"], ...] = (
        "agent",
        "clerk",
        "marketing_manager",
    )

    @field_validator("accepted_masks")
    @classmethod
    def _mask_forms(cls, forms: tuple[str, ...]) -> tuple[str, ...]:
        for form in forms:
            if not re.fullmatch(r"first[3-7]_last[4-7]", form):
                raise ValueError(f"未知的遮挡格式 {form!r} / mask form must look like first4_last5")
        return forms


class Window(_Section):
    start: time
    end: time


class HandIns(_Section):
    """The confirmation desk (S18.1-S18.7)."""

    windows: tuple[Window, ...] = ()
    requires: tuple[Literal["customer_no", "name", "contact_person", "phone", "need"], ...] = (
        "customer_no",
        "name",
        "phone",
    )
    visitor_sheet_required: bool = False  # S18.7
    # S18.7 "当天": "same_day" wants a registration of the consultant on the hand-in's local date;
    # "any_day" (s18@v1, records written before) took any earlier record of his
    visitor_sheet_day: Literal["any_day", "same_day"] = "any_day"
    # S18.5 "可同时确认50名客户": what takes a place of the quota: "owned", every customer the
    # consultant owns with no lapsed protection (v1, v2: a customer he signed without any hand-in
    # kept a place for good); "confirmations", only customers he holds by a live confirmation
    quota_counts: Literal["owned", "confirmations"] = "owned"
    quota: int | None = Field(default=None, ge=1)  # S18.5: 50
    quota_high: int | None = Field(default=None, ge=1)  # 80 after meeting the quarter target
    quota_low: int | None = Field(default=None, ge=1)  # 30 after a quarter with no signing
    quarter_target: int = Field(default=3, ge=1)
    prelaunch: bool = False  # S18.21: confirmations before the subscription opens last until it + days


class Departure(_Section):
    """S16.3: customers of a consultant who left."""

    mode: Literal["keep", "department"] = "keep"


class Fines(_Section):
    """Fines the record can prove (S1.2-S1.4, S18.17)."""

    register_late: Amount | None = None  # S1.2: ¥10
    entry_late: Amount | None = None  # S1.3: ¥20
    entry_late_hours: int = Field(default=24, ge=1)
    unauthorised_correction: Amount | None = None  # S1.4: ¥300
    appeal_rejected: Amount | None = None  # S18.17: ¥400
    appeal_overturned: Amount | None = None  # S18.17: ¥500


class Deals(_Section):
    group_purchase_rule: bool = False  # S16.10
    developer_notice: bool = False  # S18.22
    name_decides: bool = False  # S18.14
    # S18.14 under s18@v2: the contract's name also decides who owns the customer from the deal
    # on (v1 paid the matching confirmation but left the owner with the other one)
    name_owns: bool = False
    helper_rule: RuleId | None = None  # "the closer only helped" (S1.C11, S7.5, S16.12); default ownership.rule
    # 退房 (S9.1): by default the customer stays his owner's after a refund; a site may release
    # him to the public pool instead (no seed policy does)
    refund_releases: bool = False


class Modules(_Section):
    """Steps any policy can switch on where they touch attribution (S2/S15, S9, S13)."""

    qualification: bool = False  # S2, S15: a deal needs a qualified buyer (ID number on file)
    # the checklist (资格审核) required before a qualified deal's commission is paid (S2.1-S2.5,
    # S15.4: "ID, funds"); guishu.core.qualification
    checks: tuple[CheckItem, ...] = ("identity", "eligibility", "funds")
    pipeline: bool = False  # S9: deals move through recorded stages
    chasing: bool = False  # S13: protections and claims about to lapse are chased (催办)
    chase_days: int = Field(default=2, ge=0, le=30)  # how far ahead the chase list looks
    # where the buyer's resident ID is asked (S2.1): at the deal, or at registration (S15.1)
    id_at: Literal["deal", "registration"] = "deal"

    @field_validator("checks")
    @classmethod
    def _checklist(cls, checks: tuple[CheckItem, ...]) -> tuple[CheckItem, ...]:
        if not checks:
            raise ValueError("至少一项审核 / at least one item")
        if len(set(checks)) != len(checks):
            raise ValueError("审核项重复 / an item appears twice")
        return checks


SettlementStage = Literal["subscription", "signing", "online_filing", "down_payment", "loan_disbursed", "paid_in_full"]


class Settlement(_Section):
    """结佣节点: the stages at which a purchase's commission is earned, and the share at each.

    No seed policy names its stages; by default the whole commission is earned at the signing
    (签约), the common practice. "subscription" is reached by the purchase's first deposit or
    subscription, "signing" by its signing, "online_filing" by its contract filed online (网签备案),
    the others by the payments received (回款, S9.1).
    """

    stages: tuple[tuple[SettlementStage, Share], ...] = (("signing", Decimal(1)),)

    @model_validator(mode="after")
    def _whole(self) -> Settlement:
        names = [name for name, _share in self.stages]
        if not names:
            raise KeyedValueError("stages", "至少一个节点 / at least one stage")
        if len(set(names)) != len(names):
            raise KeyedValueError("stages", "节点重复 / a stage appears twice")
        if any(share <= 0 for _name, share in self.stages):
            raise KeyedValueError("stages", "每个节点的比例应大于 0 / each stage's share must be above 0")
        if sum((share for _name, share in self.stages), Decimal(0)) != 1:
            raise KeyedValueError("stages", "各节点比例之和应为 1 / the shares must sum to 1")
        return self


class Uncomputed(_Section):
    """Why a seed rule is not decided by the engine (a conduct rule, a permission ...)."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Policy(_Section):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
    version: int = Field(ge=1)
    title_zh: str
    title_en: str
    source: str
    timezone: str = "Asia/Shanghai"
    rules: tuple[RuleId, ...] = ()
    not_computable: dict[RuleId, Uncomputed] = Field(default_factory=dict)
    ownership: Ownership = Ownership()
    validity: Validity = Validity()
    group: Group = Group()
    naming: Naming = Naming()
    referral: Referral = Referral()
    protection: Protection = Protection()
    pending: Pending = Pending()
    refusal: Refusal = Refusal()
    assist: Assist = Assist()
    rotation: Rotation = Rotation()
    collision: Collision = Collision()
    channel: Channel = Channel()
    handins: HandIns = HandIns()
    departure: Departure = Departure()
    fines: Fines = Fines()
    deals: Deals = Deals()
    modules: Modules = Modules()
    settlement: Settlement = Settlement()

    @model_validator(mode="after")
    def _coherent(self) -> Policy:
        if self.ownership.basis == "channel" and not self.channel.enabled:
            raise KeyedValueError(
                "channel.enabled", "ownership.basis = 'channel' 需要 channel.enabled = true / needs channel.enabled"
            )
        if self.protection.basis == "confirmation" and self.ownership.basis != "handin":
            raise KeyedValueError(
                "protection.basis",
                "protection.basis = 'confirmation' 只适用于确认单制度 / only with ownership.basis = 'handin'",
            )
        r = self.refusal
        if r.fine_min is not None and r.fine_max is not None and r.fine_min > r.fine_max:
            raise KeyedValueError("refusal.fine_min", "大于 fine_max / fine_min exceeds fine_max")
        return self

    @functools.cached_property
    def key(self) -> str:  # once per policy: every verdict carries it
        return f"{self.id}@v{self.version}"


class PolicyError(ValueError):
    """A policy that cannot be used; ``key`` names the offending key (dotted)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


_ZH = {
    "extra_forbidden": "未知的键",
    "missing": "缺少必填键",
    "literal_error": "取值不在允许范围",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_type": "应为 true/false",
    "bool_parsing": "应为 true/false",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_pattern_mismatch": "格式不对",
    "decimal_parsing": "应为数字",
    "time_parsing": "时间格式应为 HH:MM",
    "value_error": "取值不对",
    "tuple_type": "应为列表",
}


def policy_from_dict(data: dict[str, Any]) -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        parts = [str(p) for p in first["loc"]]
        cause = (first.get("ctx") or {}).get("error")
        if isinstance(cause, KeyedValueError):
            parts.append(cause.key)
        key = ".".join(parts) or "(policy)"
        zh = _ZH.get(first["type"], "无效")
        raise PolicyError(key, f"{zh} / {first['msg'].removeprefix('Value error, ')}") from None


def parse_policy(text: str) -> Policy:
    """Parse and validate a policy written in TOML."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("(toml)", f"TOML 语法错误 / {exc}") from None
    return policy_from_dict(data)


def in_force(timeline: list[tuple[datetime | None, Policy]], at: datetime) -> Policy:
    """The policy a site's timeline of (start, policy), first start None, has in force at ``at``."""
    if len(timeline) == 1:
        return timeline[0][1]
    for start, policy in reversed(timeline):
        if start is None or start <= at:
            return policy
    return timeline[0][1]
