"""Who may do what at a site: each action a role may take, in one table (django-rules).

Every view and API operation names one action here; ``guishu.sites.access`` asks this table
with the person's membership of the request's site. Object-level conditions (a claim not by
its filer, a follow-up by the owner ...) are checked by the actions that write the facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules as _rules
from django.utils.translation import gettext, gettext_noop

if TYPE_CHECKING:
    from guishu.sites.access import SiteAccess

rules: Any = _rules  # django-rules ships no type information

# (Chinese name, English name): the Chinese is the msgid, role_name() says it in the active
# language (the English here is what the en catalogue says, tests/sites/test_words.py)
ROLE_NAMES: dict[str, tuple[str, str]] = {
    "front_desk": (gettext_noop("判客/前台"), "Front desk"),
    "consultant": (gettext_noop("置业顾问"), "Sales consultant"),
    "supervisor": (gettext_noop("销售主管"), "Sales supervisor"),
    "clerk": (gettext_noop("内业"), "Clerk"),
    "manager": (gettext_noop("案场经理"), "Site manager"),
    "marketing_manager": (gettext_noop("开发商营销经理"), "Developer's marketing manager"),
    "finance": (gettext_noop("财务"), "Finance"),
    "agent": (gettext_noop("分销个人"), "Channel agent"),
    "channel_manager": (gettext_noop("分销负责人"), "Channel firm manager"),
    "signing_room": (gettext_noop("签约室"), "Signing room"),
    "admin": (gettext_noop("案场管理员"), "Site administrator"),
}
GROUP_ADMIN = "group_admin"  # 集团管理员: every site of the deployment (GroupRole)
GROUP_ADMIN_NAME = gettext_noop("集团管理员")

SELLERS = ("consultant", "supervisor")  # who receives customers and may own them


def _role_in(*roles: str) -> Any:
    def has(access: SiteAccess) -> bool:
        return access.role in roles

    return rules.predicate(has, name=f"role_in{roles}")


def _is_group_admin(access: SiteAccess) -> bool:
    return access.group_admin


_group_admin: Any = rules.predicate(_is_group_admin)


SITE_RULES: Any = rules.RuleSet()
_RULES: dict[str, Any] = {
    # every member has a home at the site with his menu
    "home": _role_in(*ROLE_NAMES) | _group_admin,
    # 判客: look a customer up (masked unless he is one's own, S3.1)
    "judge": _role_in("front_desk", *SELLERS, "clerk", "manager", "signing_room", "admin") | _group_admin,
    # register one's own reception (S4.3, S8.5: the receiver registers)
    "register": _role_in(*SELLERS),
    # enter a registration for the receiving consultant (S1.3: the clerk enters paper registers)
    "register_for": _role_in("front_desk", "clerk", "manager"),
    "register_any": _role_in(*SELLERS, "front_desk", "clerk", "manager"),
    # my customers, follow-ups, pending confirmations and claims (S8.10, S8.11)
    "own_customers": _role_in(*SELLERS),
    "file_pending": _role_in(*SELLERS),
    "claim": _role_in(*SELLERS),
    # S8.10 "经核实": the back office verifies a claim
    "verify_claim": _role_in("clerk", "manager"),
    # S1.3, S11.3: the clerk checks the day's registers
    "check_registers": _role_in("clerk", "manager"),
    # S1.4, S8.12: a wrong fact is voided by a later correction with its reason, never edited;
    # only the clerk and the manager may (anyone else altering a record is fined, S1.4)
    "correct": _role_in("clerk", "manager"),
    # ... and from a customer's whole history, which only the manager both sees and may correct
    "correct_history": _role_in("manager"),
    # duty: days off, absences, busy, out, sick (S4.9, S7.4, S10.8, S16.6), by the back office
    "duty": _role_in("clerk", "manager"),
    # S4.4, S10.7, S18.18: the trail of past registers with the manager's permission
    "view_trail": _role_in("manager", "admin") | _group_admin,
    # rulings, complaint reviews, the policy (S1.4, S8.9, S18.15)
    "decide": _role_in("manager"),
    # complaints, disputes, appeals: the page; a complaint or refusal the customer makes at the
    # desk (S1.6, S8.9, S14.3e, S16.13); a consultant's 查询单 (S18.16); an appeal's outcome
    # (S18.17), recorded by the developer's marketing manager, above the site's manager
    "disputes": _role_in("front_desk", *SELLERS, "clerk", "manager", "marketing_manager"),
    "complain": _role_in("front_desk", "clerk", "manager"),
    "dispute": _role_in(*SELLERS),
    "appeal": _role_in("marketing_manager"),
    # 备案与关系: a consultant's pre-filing of his old customers (S18.20); the developer's notice
    # of its related customers (S18.22), by its marketing manager or the site's manager; two
    # customers related (S8.3, S14.3f, S18.11), by the back office; the site's milestones (S18.21)
    "filings": _role_in(*SELLERS, "clerk", "manager", "marketing_manager"),
    "pre_file": _role_in(*SELLERS),
    "developer_notice": _role_in("marketing_manager", "manager"),
    "relate": _role_in("clerk", "manager"),
    "milestone": _role_in("manager"),
    # 成交 (S9): the site's deals and their splits; a consultant sees the deals he closed or
    # assisted. The signing room, the clerk and the manager record a deposit, subscription or
    # signing and a unit change (换房); a refund (退房) is the clerk's or the manager's; the
    # payments received (回款) are finance's, the clerk's and the signing room's
    "deals": _role_in(*SELLERS, "clerk", "manager", "finance", "marketing_manager", "signing_room"),
    "record_deal": _role_in("signing_room", "clerk", "manager"),
    "refund": _role_in("clerk", "manager"),
    "record_payment": _role_in("finance", "clerk", "signing_room"),
    # 资格审核 (S2.1 "the developer checks it", S15.4): each item of the buyer's checklist, by the
    # back office, the signing room or the developer's marketing manager; a signing with an
    # item open only by the site's manager, who writes why (the commission stays held)
    "check_qualification": _role_in("clerk", "manager", "marketing_manager", "signing_room"),
    "override_checks": _role_in("manager"),
    # 确认台 (S18): the confirmer (the clerk, the manager; the signing room outside the desk's
    # hours, S18.1) signs and records each hand-in; a consultant sees his own and his quota
    "handins": _role_in(*SELLERS, "clerk", "manager", "signing_room"),
    "record_handin": _role_in("clerk", "manager", "signing_room"),
    # 罚款台账: every penalty the record proves, per person, and its export (S1.4, S14.2, S18.17):
    # the manager who answers for the site's discipline and finance who deducts the fines
    "penalties": _role_in("manager", "finance"),
    # 结佣单: the month's commission statements and the rates behind them, for finance who pays,
    # the manager and the developer's marketing manager who answer for them; finance alone
    # approves a statement; the rates and channel contracts are marketing's or finance's
    "statements": _role_in("manager", "finance", "marketing_manager"),
    "approve_statement": _role_in("finance"),
    "commission_rates": _role_in("marketing_manager", "finance"),
    # 我的结佣: a consultant's own statement, a channel firm's manager his firm's (read only)
    "own_statement": _role_in(*SELLERS, "channel_manager"),
    # 客户确认书: the letter of a customer's owner with its rule basis and QR, printed at the
    # desk or by the back office for the customer and the consultant (the phone masked, S3.1)
    "print_letter": _role_in("front_desk", "clerk", "manager"),
    # S16.3: a leaver's customers without a deposit go to the pool; the manager assigns them
    "pool": _role_in("manager"),
    # S3.1: who saw which customer's full data, from the site's record: its manager
    "audit_views": _role_in("manager"),
    # S6.6, S6.7: visit confirmations: the clerk opens, the three parties sign
    "visits": _role_in("clerk", "marketing_manager", "agent", "manager"),
    "open_visit": _role_in("clerk"),
    "sign_visit": _role_in("clerk", "marketing_manager", "agent"),
    # the reception rotation (轮序): see the queue; run it at the desk (next customer, sign-ins,
    # skips); correct it (a manager: moves, make-up turns); one's own turn on the phone
    "rotation": _role_in("front_desk", *SELLERS, "manager"),
    "run_queue": _role_in("front_desk", "manager"),
    "correct_queue": _role_in("manager"),
    "own_turn": _role_in(*SELLERS),
    "board_links": _role_in("manager"),
    # who received how many turns, kept, lost, and the deviation from a fair share
    "fairness": _role_in("manager", "marketing_manager") | _group_admin,
    # the channel's phone page (报备)
    "agent_page": _role_in("agent", "channel_manager"),
    # site administration: staff, channel firms, API keys, passwords
    "administer": _role_in("manager", "admin") | _group_admin,
}
for _name, _predicate in _RULES.items():
    SITE_RULES.add_rule(_name, _predicate)
ACTIONS: tuple[str, ...] = tuple(_RULES)


def allowed(access: SiteAccess, action: str) -> bool:
    if action not in _RULES:
        raise KeyError(f"unknown site action {action!r}")
    return bool(SITE_RULES.test_rule(action, access))


def role_zh(role: str) -> str:
    """The role's Chinese name, whatever the language (the record's own words)."""
    if role == GROUP_ADMIN:
        return GROUP_ADMIN_NAME
    return ROLE_NAMES.get(role, (role, role))[0]


def role_name(role: str | None) -> str:
    """The role's name in the active language (Chinese, or English in English mode)."""
    if not role:
        return ""
    if role == GROUP_ADMIN:
        return gettext(GROUP_ADMIN_NAME)
    known = ROLE_NAMES.get(role)
    return gettext(known[0]) if known else role
