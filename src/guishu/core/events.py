"""The vocabulary of the record: every fact a sales office can write down.

Each fact is a frozen dataclass with a ``kind`` tag, an ``id`` unique within the
record and a timezone-aware ``at`` (the server's time of the entry). Phones are
stored normalised (E.164); masked phones as the agent wrote them. Nothing here
is ever edited: a mistake is corrected by a later ``correction`` fact.

The JSON Lines interchange format (one fact per line) is documented in
``docs/events.md``; ``parse_fact`` / ``dump_fact`` are its codec.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    with_config,
)

from guishu.core.identity import (
    PhoneError,
    is_masked,
    normalise_phone,
    parse_masked_phone,
)
from guishu.core.policy import Modules
from guishu.core.qualification import CheckItem

# Every fact: frozen, slotted, keyword-only; unknown JSON keys are refused.
_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except PhoneError as exc:  # pydantic turns ValueError into a located error
        raise ValueError(str(exc)) from exc


def _phone_or_mask(raw: str) -> str:
    if is_masked(raw):
        try:
            parse_masked_phone(raw)
        except PhoneError as exc:
            raise ValueError(str(exc)) from exc
        return raw.strip()
    return _phone(raw)


FIRST_YEAR, LAST_YEAR = 1900, 2999  # a mistyped year (0001, 9999) would overflow deadline arithmetic


def _plausible(at: datetime) -> datetime:
    if not FIRST_YEAR <= at.year <= LAST_YEAR:
        raise ValueError(f"年份应在 {FIRST_YEAR}-{LAST_YEAR} 之间 / the year must be {FIRST_YEAR}-{LAST_YEAR}")
    return at


When = Annotated[AwareDatetime, AfterValidator(_plausible)]  # timezone-aware, in years a record can hold
Phone = Annotated[str, AfterValidator(_phone)]
PhoneOrMask = Annotated[str, AfterValidator(_phone_or_mask)]
Name = Annotated[str, Field(min_length=1, max_length=64)]
StaffId = Annotated[str, Field(min_length=1, max_length=64)]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
SignedMoney = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
Rate = Annotated[Decimal, Field(gt=0, le=Decimal("0.2"), max_digits=8, decimal_places=6)]  # of the price
UnitType = Annotated[str, Field(min_length=1, max_length=16)]
Month = Annotated[str, Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]
Gender = Literal["M", "F"]
Role = Literal[
    "front_desk",
    "consultant",
    "supervisor",
    "clerk",
    "manager",
    "marketing_manager",
    "finance",
    "agent",
    "channel_manager",
    "admin",
    "signing_room",
]
Relation = Literal["spouse", "parent", "child", "sibling", "friend", "colleague", "other"]


# ---------------------------------------------------------------------------
# People and organisation


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class StaffJoined:
    """A person joins the site: consultant, clerk, manager, agent of a channel firm ..."""

    kind: Literal["staff_joined"] = "staff_joined"
    id: str
    at: When
    staff: StaffId
    name: Name
    role: Role
    team: str | None = None
    channel: str | None = None  # for agents and channel managers: their firm


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class StaffLeft:
    """S16.3: the customers of a consultant who left go to the department."""

    kind: Literal["staff_left"] = "staff_left"
    id: str
    at: When
    staff: StaffId


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelJoined:
    """A distributor firm (分销单位) starts working with the site."""

    kind: Literal["channel_joined"] = "channel_joined"
    id: str
    at: When
    channel: StaffId
    name: Name


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Duty:
    """Duty, day off, absence: a status from ``at`` until ``until`` or the next Duty fact.

    S4.9, S7.4, S10.8, S16.6: whether the named consultant was there decides who
    assists and how a deal is split.
    """

    kind: Literal["duty"] = "duty"
    id: str
    at: When
    staff: StaffId
    status: Literal["on_duty", "busy", "day_off", "absent", "out", "sick"]
    until: When | None = None


# ---------------------------------------------------------------------------
# The reception rotation (轮序): the queue at the front desk, and each walk-in's assignment

# Why a consultant's turn passed him (S7.6, S16.7): the policy says which keep the turn
SkipReason = Literal["with_customer", "old_customer", "sales_work", "absent", "non_sales", "on_break", "duty_away"]
QueueAction = Literal["sign_in", "break", "back", "skip", "make_up", "move", "roster", "sign_out"]
Note = Annotated[str, Field(min_length=1, max_length=200)]


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFact:
    """One change of the day's queue: a consultant signs in (at the desk, or by the code the desk
    shows), takes a break, comes back, is skipped with a reason, is granted a make-up turn
    (补接, S7.6), is moved by a manager, signs out; or the manager sets the day's fixed roster.

    ``duty`` facts stay the planned status and win: someone recorded off cannot sign in.
    """

    kind: Literal["queue"] = "queue"
    id: str
    at: When
    action: QueueAction
    staff: StaffId | None = None  # whose turn; None only for "roster"
    reason: SkipReason | None = None  # "skip": why (S16.7 keeps or loses the turn by it)
    note: Note | None = None  # "make_up", "move": the manager's reason, in his words
    confirmed: Literal["desk", "code"] | None = None  # "sign_in": at the desk, or by the desk's code
    position: Annotated[int, Field(ge=1, le=200)] | None = None  # "move": his new place, 1 = up next
    order: tuple[StaffId, ...] = ()  # "roster": the day's fixed order

    def __post_init__(self) -> None:
        needs = {
            "skip": ("reason", self.reason),
            "sign_in": ("confirmed", self.confirmed),
            "move": ("position", self.position),
            "make_up": ("note", self.note),
        }.get(self.action)
        if needs is not None and needs[1] is None:
            raise ValueError(f"{needs[0]} 必填({self.action}) / {needs[0]} is required for {self.action}")
        if self.action == "move" and self.note is None:
            raise ValueError("note 必填(move) / a manager's move needs his reason (note)")
        if self.action == "roster":
            if not self.order or self.staff is not None:
                raise ValueError("roster 须给出 order,不填 staff / a roster gives its order, no staff")
            if len(set(self.order)) != len(self.order):
                raise ValueError("order 中有重复的顾问 / a consultant appears twice in the roster")
        elif self.staff is None:
            raise ValueError(f"staff 必填({self.action}) / staff is required")


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    staff: StaffId
    reason: SkipReason


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Reception:
    """A walk-in assigned at the front desk ("next customer"): who receives him, by which route
    of the guided questions, whether it counts as a turn, and whom the queue passed over on the
    way (each with the reason). The desk's press key is the fact's id: a retry finds it."""

    kind: Literal["reception"] = "reception"
    id: str
    at: When
    consultant: StaffId
    route: Literal["new", "returning", "appointment", "deposit_only", "sent_by_staff", "refused"]
    counted: bool  # a turn of the rotation (S7.3); helping is not (S7.4, S7.5)
    rule: Annotated[str, Field(pattern=r"^S\d+(\.[0-9A-Za-z]+)*$")]
    named: StaffId | None = None  # the consultant he asked for, or his own (or the refused one)
    stand_in: bool = False  # helps for ``named``, who is away or busy (S4.9, S7.4, S10.8, S16.6)
    make_up: bool = False  # the receiver's make-up turn was used (补接, S7.6)
    skipped: tuple[Skipped, ...] = ()
    eligible: tuple[StaffId, ...] = ()  # who could have received this turn (the fairness share)


# ---------------------------------------------------------------------------
# Customers: registrations, follow-ups


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Customer:
    """The customer as written on a register."""

    name: str | None = None  # 王建国, or 王先生 (surname + gender, S4.3)
    gender: Gender | None = None
    phone: Phone | None = None
    phone_raw: str | None = None  # what was written when it is not a valid number (S4.3)
    id_number: str | None = None
    intent: str | None = None  # 购房意向
    source: str | None = None  # 信息来源: 路过, 朋友介绍, 分销, developer_staff ...
    company: str | None = None  # S18.11 company buyer
    contact_person: str | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Companion:
    """Someone who came along (or a relative named on the register)."""

    name: str | None = None
    phone: Phone | None = None
    relation: Relation = "other"


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Answers:
    """The front-desk questions (S7.2, S8.2, S10.2, S11.2, S14.2) and what was answered."""

    first_visit: bool | None = None
    called_before: bool | None = None
    family_visited: bool | None = None
    named_consultant: str | None = None  # the customer asked for / named this consultant
    sms_from: str | None = None  # "a consultant sent me an SMS" (S10.2, S11.2)
    asked: bool | None = None  # did the receiver ask whether he had contacted anyone (S18.24)
    # asked whether he knows his consultant: False, he does not know or recognise him (S1.C6,
    # S4.7, S8.10, S11.4); True, he does (``named_consultant`` says who when he gave a name);
    # None, not asked, which never counts as "does not know"
    knows_consultant: bool | None = None

    def __post_init__(self) -> None:
        if self.knows_consultant is False and self.named_consultant:
            raise ValueError(
                "knows_consultant 为否却指名了顾问 / knows_consultant is false but named_consultant is given"
            )


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Registration:
    """A call (来电) or visit (来访) entered in the register by the consultant who received it."""

    kind: Literal["registration"] = "registration"
    id: str
    at: When
    mode: Literal["call", "visit"]
    consultant: StaffId  # the receiver who registers
    customer: Customer
    answers: Answers = Answers()
    companions: tuple[Companion, ...] = ()
    referred_by: Phone | None = None  # an old customer who introduced him (老带新)
    referrer_present: bool = False  # the old customer came along
    # how the old customer brought him (S1.C8, S8.8, S14.3d, S16.14): "accompanied", he came
    # along; "named", absent, but the new one names him; "introduced", sent by him, naming
    # nobody (naming the consultant is answers.named_consultant). None: as referrer_present says
    referral: Literal["accompanied", "named", "introduced"] | None = None
    refuses_original: bool = False  # S8.8: clearly asks not to be served by the original
    reception: str | None = None  # the front desk's reception this registers (轮序, its id)
    proxy: bool = False  # registered by a friend on his behalf, customer not present (S1.C9, S8.7)
    purpose: Literal["enquiry", "deposit_only", "signing_only"] = "enquiry"  # S7.5, S1.C11
    onsite_search: Literal["found", "not_found"] | None = None  # S1.C5
    signed: bool = True  # the consultant's signature on the register (S4.3, S4.8)
    reception_at: When | None = None  # when received, if entered later (S1.2)
    handed_at: When | None = None  # when the register reached the clerk (S1.2)
    entered_by: str | None = None  # the clerk who entered it (S1.3)

    def __post_init__(self) -> None:
        if self.referral is not None and self.referred_by is None:
            raise ValueError("referral 须同时给出 referred_by(老客户电话) / referral needs referred_by")
        if self.referrer_present and self.referral in ("named", "introduced"):
            raise ValueError("referrer_present 与 referral 矛盾(老客户未陪同) / referrer_present contradicts referral")

    @property
    def accompanied(self) -> bool:
        """The old customer came along (老客户陪同)."""
        return self.referrer_present or self.referral == "accompanied"


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUp:
    """A contact after registration: call, SMS or visit (S8.11, S11.4, S6.3)."""

    kind: Literal["follow_up"] = "follow_up"
    id: str
    at: When
    phone: Phone | None = None
    consultant: str | None = None
    channel: str | None = None  # a channel's own follow-up of a reported customer (S6.3)
    report: str | None = None
    method: Literal["call", "sms", "visit", "wechat"] = "call"
    note: str | None = None


# ---------------------------------------------------------------------------
# Channels (S6)


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelReport:
    """报备: a distributor reports a customer before the visit, phone usually masked (S6.1)."""

    kind: Literal["report"] = "report"
    id: str
    at: When
    channel: StaffId
    agent: StaffId
    name: str | None = None
    gender: Gender | None = None
    phone: PhoneOrMask | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class GroupListEntry:
    name: str | None = None
    phone: Phone | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class GroupList:
    """S6.4: a channel bringing a group unreported gives names and phones the same day."""

    kind: Literal["group_list"] = "group_list"
    id: str
    at: When
    channel: StaffId
    agent: StaffId
    entries: tuple[GroupListEntry, ...]


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Signoff:
    role: Literal["agent", "clerk", "marketing_manager"]
    staff: StaffId


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class VisitConfirmation:
    """来访客户确认单 (S6.6-S6.8): full phone, entry time and, for channel customers, three signatures."""

    kind: Literal["visit_confirmation"] = "visit_confirmation"
    id: str
    at: When
    name: str | None = None
    gender: Gender | None = None
    phone: Phone | None = None
    phone_shown: str | None = None  # the masked phone written on the form (S6.7)
    entry_at: When | None = None
    channel: str | None = None
    agent: str | None = None
    signoffs: tuple[Signoff, ...] = ()
    came_alone: bool = False  # S6.8
    named_channel: str | None = None  # S6.8: the customer wrote the channel down
    contact_records_verified: bool | None = None  # S6.8: the clerk checked the channel's records
    report: str | None = None  # S6.7: the channel report (its fact id) this confirmation answers


# ---------------------------------------------------------------------------
# Pending confirmations, claims, complaints, rulings


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class PendingConfirmation:
    """待确认客户登记 (S8.10, S14.3a): a returning customer who forgets his consultant."""

    kind: Literal["pending_confirmation"] = "pending_confirmation"
    id: str
    at: When
    phone: Phone
    consultant: StaffId  # the receiver who files it


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A consultant claims a pending confirmation; ``verified`` after checking his records."""

    kind: Literal["claim"] = "claim"
    id: str
    at: When
    pending: str
    consultant: StaffId
    verified: bool = False


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimVerified:
    """S8.10 "认领并经核实": a clerk or manager checked the claimant's records (or found none).

    Under a policy whose ``pending.verification`` is ``clerk``, only this fact, naming the
    verifier, makes a claim stand; the claim's own ``verified`` flag counts for nothing.
    """

    kind: Literal["claim_verified"] = "claim_verified"
    id: str
    at: When
    pending: str
    claim: str
    by: StaffId
    approved: bool = True


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class DisputeRaised:
    """查询单 (S18.16) or an earlier filer raising a collision after a deal (S18.13, S18.24)."""

    kind: Literal["dispute_raised"] = "dispute_raised"
    id: str
    at: When
    phone: Phone
    consultant: StaffId
    against: str | None = None
    note: str | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Complaint:
    """A complaint or a refusal of the consultant (S1.6, S8.9, S14.3e, S16.13, S18.25)."""

    kind: Literal["complaint"] = "complaint"
    id: str
    at: When
    phone: Phone
    against: StaffId
    type: Literal["complaint", "refusal"] = "complaint"
    approved_by: str | None = None  # the manager's review; required by S8.9 and S14.3e
    fine: Money | None = None  # S1.6: ¥100-500 by severity


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Ruling:
    """A manager's recorded decision: who owns the group now, and why (S18.15, S18.16)."""

    kind: Literal["ruling"] = "ruling"
    id: str
    at: When
    phone: Phone
    owner: str | None  # a consultant id, or None for the public pool
    by: StaffId
    rule: str
    reason: str
    stealing_by: str | None = None  # S14.2: the manager finds this consultant stole the customer


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Appeal:
    """S18.17: an appeal against a manager's decision and its outcome."""

    kind: Literal["appeal"] = "appeal"
    id: str
    at: When
    phone: Phone
    appellant: StaffId
    outcome: Literal["rejected", "overturned"]
    responsible: tuple[str, ...] = ()  # supervisor / manager who did not follow the policy
    # the consequence of an overturn: who owns the customer, and from when (no later than the
    # appeal); deals closed from then on split as if he had owned him. None: ownership unchanged
    owner: StaffId | None = None
    effective_at: When | None = None

    def __post_init__(self) -> None:
        if self.owner is not None and self.outcome != "overturned":
            raise ValueError("只有改判的申诉才能改变归属 / only an overturned appeal names a new owner")
        if self.effective_at is not None and self.owner is None:
            raise ValueError("effective_at 须同时给出 owner / effective_at needs the new owner")
        if self.effective_at is not None and self.effective_at > self.at:
            raise ValueError("effective_at 不能晚于申诉时间 / effective_at cannot be after the appeal")


# ---------------------------------------------------------------------------
# Confirmation desk (S18), pre-filings, developer-related customers


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class HandIn:
    """客户确认单 handed in at the confirmation desk; the confirmer's signed time decides (S18.3)."""

    kind: Literal["handin"] = "handin"
    id: str
    at: When
    consultant: StaffId
    customer_no: str | None = None
    name: str | None = None
    company: str | None = None
    contact_person: str | None = None
    phone: Phone | None = None
    need: str | None = None
    signed_at: When | None = None
    confirmer: str | None = None
    signed_by_role: Literal["confirmer", "signing_room"] = "confirmer"
    amends: str | None = None  # S18.6: a change of an earlier hand-in
    members: tuple[Companion, ...] = ()  # S18.11: the group on this form


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class PreFiling:
    """S18.20: a consultant pre-files an old or relationship customer."""

    kind: Literal["pre_filing"] = "pre_filing"
    id: str
    at: When
    consultant: StaffId
    phone: Phone
    name: str | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class DeveloperNotice:
    """S18.22: the developer announces in writing that a customer is related to it."""

    kind: Literal["developer_notice"] = "developer_notice"
    id: str
    at: When
    phone: Phone
    name: str | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Milestone:
    """A site milestone, e.g. internal subscription opening (S18.21)."""

    kind: Literal["milestone"] = "milestone"
    id: str
    at: When
    name: Literal["internal_subscription_opened", "launch"]


# ---------------------------------------------------------------------------
# Deals, relationships, policy, corrections


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Assistant:
    staff: StaffId
    knew: bool = False  # S16.11: knew the customer was another consultant's
    substantial: bool = False  # S16.11: contributed substantially (重大促进作用)


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Deal:
    """认购/定金/签约: a deposit, subscription or signing; commission follows it."""

    kind: Literal["deal"] = "deal"
    id: str
    at: When
    type: Literal["deposit", "subscription", "signing"]
    phone: Phone
    closer: StaffId
    closer_knew: bool = False  # S16.11
    assistants: tuple[Assistant, ...] = ()
    buyer_name: str | None = None
    company: str | None = None  # S18.14 company buyer
    group_purchase: bool = False  # S16.10
    qualified: bool | None = None  # S2.2: the purchase-eligibility check (None: not yet checked)
    unit: str | None = None
    amount: Money | None = None
    # S2.1, S15.1: the buyer's resident ID, asked at the stage the policy names (masked when shown)
    id_number: str | None = None
    unit_type: UnitType | None = None  # 业态 (住宅, 商铺, 车位 ...): which commission rate applies
    # S2, S15.4: a signing recorded while a required check was open, by the manager, with why
    checks_overridden: Annotated[str, Field(min_length=1, max_length=200)] | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class QualificationCheck:
    """资格审核: one item of the customer's checklist (S2.1-S2.5, S15.4), checked by ``by``.

    The latest check of an item decides it; the policy's ``modules.checks`` names the items
    required before the commission of the customer's deals is paid (guishu.core.qualification).
    """

    kind: Literal["qualification_check"] = "qualification_check"
    id: str
    at: When
    phone: Phone
    item: CheckItem
    passed: bool
    by: StaffId
    note: Annotated[str, Field(min_length=1, max_length=200)] | None = None


# 首付, 按揭放款, 全款到账; and 网签备案, the contract filed online with the housing authority
PaymentStage = Literal["down_payment", "loan_disbursed", "paid_in_full", "online_filing"]


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class DealRefunded:
    """退房: the purchase of a deal is cancelled; its split earns nothing from then (S9.1).

    Voids ``deal`` and the group's earlier deals of the same unit (the deposit and subscription
    a signing followed). Who owns the customer stays, unless the policy releases him
    (``deals.refund_releases``).
    """

    kind: Literal["deal_refunded"] = "deal_refunded"
    id: str
    at: When
    phone: Phone  # the customer's, as on the deal: it finds his group
    deal: str
    by: StaffId
    reason: Annotated[str, Field(min_length=1)]


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class UnitChanged:
    """换房: the buyer of a deal moves to another unit; the split stays with the deal (S9.1)."""

    kind: Literal["unit_changed"] = "unit_changed"
    id: str
    at: When
    phone: Phone
    deal: str
    unit: Annotated[str, Field(min_length=1, max_length=64)]
    amount: Money | None = None
    by: StaffId


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentMilestone:
    """回款节点 (S9.1 "payment and receipt"): the buyer paid a stage of a deal's price; or the
    deal's contract was filed online (网签备案, ``online_filing``: no amount), a settlement stage."""

    kind: Literal["payment_milestone"] = "payment_milestone"
    id: str
    at: When
    phone: Phone
    deal: str
    stage: PaymentStage
    amount: Money | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class CommissionRate:
    """佣金标准: what a deal earns, as a fraction of its price, entered by marketing or finance.

    ``payee`` "consultant": the site's own sales commission (for one 业态, or every one when
    ``unit_type`` is None); "channel": a channel firm's contract (``channel``, ``contract``).
    A rate applies to the deals made from ``valid_from`` until ``valid_until``; a later rate of
    the same scope replaces it for the deals it covers (nothing is edited).
    """

    kind: Literal["commission_rate"] = "commission_rate"
    id: str
    at: When
    by: StaffId
    payee: Literal["consultant", "channel"]
    rate: Rate
    valid_from: When
    valid_until: When | None = None
    unit_type: UnitType | None = None
    channel: StaffId | None = None  # the channel firm, for a channel contract
    contract: Annotated[str, Field(min_length=1, max_length=64)] | None = None  # 合同编号

    def __post_init__(self) -> None:
        if (self.payee == "channel") != (self.channel is not None):
            raise ValueError("channel: 渠道合同须写明渠道,顾问佣金不写 / a channel contract names its firm")
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValueError("valid_until: 应晚于生效时间 / must be after valid_from")


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class StatementLine:
    """One line of an approved statement: a purchase's settlement stage, or a fine, and its amount."""

    key: Annotated[str, Field(min_length=1, max_length=200)]  # "<purchase>/<stage>" or "fine/<facts>"
    amount: SignedMoney


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class StatementApproved:
    """结佣审批: finance approves one payee's statement of a month, as it read at ``as_of``.

    The lines are kept as approved: the statement never changes, and whatever the record says
    later about its deals appears as adjusting lines on the payee's next statement.
    """

    kind: Literal["statement_approved"] = "statement_approved"
    id: str
    at: When
    by: StaffId
    month: Month
    payee: StaffId  # a consultant, a channel firm, or company / department ...
    as_of: When
    total: SignedMoney
    lines: tuple[StatementLine, ...] = ()

    def __post_init__(self) -> None:
        if sum((line.amount for line in self.lines), Decimal(0)) != self.total:
            raise ValueError("total: 与各行合计不符 / does not equal the sum of the lines")


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Relationship:
    """Two customers are related (S8.3, S14.3f, S18.11)."""

    kind: Literal["relationship"] = "relationship"
    id: str
    at: When
    phone_a: Phone
    phone_b: Phone
    relation: Relation


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyChanged:
    """The site switches policy from ``effective_at``; verdicts before it are never rewritten.

    ``modules``: the steps the site switches on over the preset (S2/S15 qualification and its
    checklist, S9 pipeline, S13 chasing), the whole section as the site chose it; without it,
    the preset's own.
    """

    kind: Literal["policy_changed"] = "policy_changed"
    id: str
    at: When
    policy: str
    effective_at: When
    modules: Modules | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Correction:
    """Voids an earlier fact, with a reason. Only a manager or clerk may (S1.4, S8.12)."""

    kind: Literal["correction"] = "correction"
    id: str
    at: When
    target: str
    by: StaffId
    reason: Annotated[str, Field(min_length=1)]


# ---------------------------------------------------------------------------
# Who saw whose personal data


DisclosureScreen = Literal["desk", "registered", "mine", "card", "trail", "export"]
PersonalData = Literal["phone", "name"]


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Disclosed:
    """S3.1: a screen showed a person customers' full personal data (a full phone, unmasked).

    Not a fact of the sales office: no owner, protection or deadline depends on it, and the
    engine keeps nothing of it (it does not even move the engine's moment of "now"). It is in
    the record so that who saw what is chained and signed like everything else.
    """

    kind: Literal["disclosed"] = "disclosed"
    id: str
    at: When
    staff: StaffId  # who saw it: his login at the site
    screen: DisclosureScreen  # why: the screen that showed it (判客, 我的客户 ...)
    shown: Annotated[tuple[PersonalData, ...], Field(min_length=1)]  # what was unmasked
    phones: Annotated[tuple[Phone, ...], Field(min_length=1)]  # whose: the customers' phones


# ---------------------------------------------------------------------------
# Agents' API keys (the audit record of who may write through the API)


KeyDigest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKeyIssued:
    """A channel agent was given an API key (only its SHA-256 is ever stored or recorded).

    Like ``disclosed``, a fact of the site's administration, not of its sales: the engine keeps
    nothing of it. ``guishu verify`` holds the key table to these facts: a key the record did
    not issue, or one it revoked that the table lets in again, is tampering.
    """

    kind: Literal["api_key_issued"] = "api_key_issued"
    id: str
    at: When
    staff: StaffId  # the agent
    channel: StaffId  # his firm
    key: KeyDigest


@with_config(_STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ApiKeyRevoked:
    """An agent's API key was revoked (by a manager, or because he left the site)."""

    kind: Literal["api_key_revoked"] = "api_key_revoked"
    id: str
    at: When
    staff: StaffId
    key: KeyDigest


Fact = (
    StaffJoined
    | StaffLeft
    | ChannelJoined
    | Duty
    | QueueFact
    | Reception
    | Registration
    | FollowUp
    | ChannelReport
    | GroupList
    | VisitConfirmation
    | PendingConfirmation
    | Claim
    | ClaimVerified
    | DisputeRaised
    | Complaint
    | Ruling
    | Appeal
    | HandIn
    | PreFiling
    | DeveloperNotice
    | Milestone
    | Deal
    | DealRefunded
    | UnitChanged
    | PaymentMilestone
    | QualificationCheck
    | CommissionRate
    | StatementApproved
    | Relationship
    | PolicyChanged
    | Correction
    | Disclosed
    | ApiKeyIssued
    | ApiKeyRevoked
)

FACT_TYPES: tuple[type[Any], ...] = (
    StaffJoined,
    StaffLeft,
    ChannelJoined,
    Duty,
    QueueFact,
    Reception,
    Registration,
    FollowUp,
    ChannelReport,
    GroupList,
    VisitConfirmation,
    PendingConfirmation,
    Claim,
    ClaimVerified,
    DisputeRaised,
    Complaint,
    Ruling,
    Appeal,
    HandIn,
    PreFiling,
    DeveloperNotice,
    Milestone,
    Deal,
    DealRefunded,
    UnitChanged,
    PaymentMilestone,
    QualificationCheck,
    CommissionRate,
    StatementApproved,
    Relationship,
    PolicyChanged,
    Correction,
    Disclosed,
    ApiKeyIssued,
    ApiKeyRevoked,
)
KINDS: tuple[str, ...] = tuple(t.__dataclass_fields__["kind"].default for t in FACT_TYPES)

_ADAPTER: TypeAdapter[Fact] = TypeAdapter(Annotated[Fact, Field(discriminator="kind")])


class FactError(ValueError):
    """A fact that cannot be read; ``field`` is the dotted path of the first bad key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


_MESSAGES_ZH: dict[str, str] = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "unexpected_keyword_argument": "未知字段",
    "timezone_aware": "时间必须带时区",
    "datetime_from_date_parsing": "时间格式不对",
    "datetime_parsing": "时间格式不对",
    "union_tag_invalid": "未知的事实类型",
    "union_tag_not_found": "缺少 kind",
    "literal_error": "取值不在允许范围",
    "string_type": "应为文本",
    "bool_type": "应为 true/false",
    "bool_parsing": "应为 true/false",
    "json_invalid": "不是合法的 JSON",
    "string_too_long": "文本过长",
    "string_too_short": "不能为空",
}


def _fact_error(exc: ValidationError) -> FactError:
    first = exc.errors()[0]
    loc = [str(p) for p in first["loc"]]
    if loc and loc[0] in KINDS:
        loc = loc[1:]  # the discriminator branch is not a field
    field = ".".join(loc) or ("(json)" if first["type"] == "json_invalid" else "kind")
    zh = _MESSAGES_ZH.get(first["type"], "")
    message = first["msg"].removeprefix("Value error, ")
    return FactError(field=field, message=f"{zh} / {message}" if zh else message)


def parse_fact(line: str | bytes) -> Fact:
    """Read one JSON line. Raises FactError naming the field."""
    try:
        return _ADAPTER.validate_json(line)
    except ValidationError as exc:
        raise FactError(**_error_fields(exc)) from None


def fact_from_dict(data: dict[str, Any]) -> Fact:
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise FactError(**_error_fields(exc)) from None


def _error_fields(exc: ValidationError) -> dict[str, str]:
    err = _fact_error(exc)
    return {"field": err.field, "message": err.message}


def dump_fact(item: Fact) -> dict[str, Any]:
    """The JSON-ready dict of a fact, defaults omitted, for canonical storage."""
    data: dict[str, Any] = _ADAPTER.dump_python(item, mode="json", exclude_defaults=True)
    return data | {"kind": item.kind}
