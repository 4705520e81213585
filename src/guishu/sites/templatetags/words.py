"""Words for the codes a person sees, and times in the site's time zone: one vocabulary for every
screen (templates load it with ``{% load words %}``, selectors import it).

Every code of the record (fact kinds, verdict states, owner kinds, roles, modes, statuses ...) is
shown as a word of the active language, never as the code itself; every time as the site's
local time (``Project.timezone``), to the minute, ``2026-03-12 14:05``.

    {{ e.kind|fact_kind }}  {{ role|role_name }}  {{ signed|role_names|join:"、" }}
    {{ e.at|site_time:project }}  {{ m.joined_at|site_date:project }}
    {% site_people project as people %}{{ form.agent|person:people }}
    {% site_firms project as firms %}{{ form.channel|person:firms }}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.conf import settings
from django.utils import timezone as dj_timezone
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guishu.record.models import Entry, Membership, Project
from guishu.sites import roles

register = template.Library()

MINUTE = "%Y-%m-%d %H:%M"
DAY = "%Y-%m-%d"

Words = Mapping[str, Promise]

# every kind of fact the record holds (guishu.core.events); "fact" context: 登记 the fact is not
# 登记 the button
FACT_KINDS: Words = {
    "staff_joined": pgettext_lazy("fact", "人员入职"),
    "staff_left": pgettext_lazy("fact", "人员离职"),
    "channel_joined": pgettext_lazy("fact", "分销单位加入"),
    "duty": pgettext_lazy("fact", "值班状态"),
    "queue": pgettext_lazy("fact", "接待轮序"),
    "reception": pgettext_lazy("fact", "前台分配接待"),
    "registration": pgettext_lazy("fact", "登记"),
    "follow_up": pgettext_lazy("fact", "跟进"),
    "report": pgettext_lazy("fact", "分销报备"),
    "group_list": pgettext_lazy("fact", "带看名单"),
    "visit_confirmation": pgettext_lazy("fact", "来访确认单"),
    "pending_confirmation": pgettext_lazy("fact", "待确认客户登记"),
    "claim": pgettext_lazy("fact", "认领"),
    "claim_verified": pgettext_lazy("fact", "认领核实"),
    "dispute_raised": pgettext_lazy("fact", "查询单/争议"),
    "complaint": pgettext_lazy("fact", "投诉/拒绝"),
    "ruling": pgettext_lazy("fact", "裁定"),
    "appeal": pgettext_lazy("fact", "申诉"),
    "handin": pgettext_lazy("fact", "交单确认"),
    "pre_filing": pgettext_lazy("fact", "预备案"),
    "developer_notice": pgettext_lazy("fact", "开发商通知"),
    "milestone": pgettext_lazy("fact", "销售节点"),
    "deal": pgettext_lazy("fact", "成交"),
    "deal_refunded": pgettext_lazy("fact", "退房"),
    "unit_changed": pgettext_lazy("fact", "换房"),
    "payment_milestone": pgettext_lazy("fact", "回款"),
    "qualification_check": pgettext_lazy("fact", "资格审核"),
    "commission_rate": pgettext_lazy("fact", "佣金标准"),
    "statement_approved": pgettext_lazy("fact", "结佣审批"),
    "relationship": pgettext_lazy("fact", "亲友关系"),
    "policy_changed": pgettext_lazy("fact", "制度变更"),
    "correction": pgettext_lazy("fact", "更正"),
    "disclosed": pgettext_lazy("fact", "查看完整资料"),
    "api_key_issued": pgettext_lazy("fact", "签发接口密钥"),
    "api_key_revoked": pgettext_lazy("fact", "吊销接口密钥"),
}
# a registration is a call or a visit one (S1.C6)
REGISTRATION_MODES: Words = {"visit": _("来访登记"), "call": _("来电登记")}
MODES: Words = {"visit": _("来访"), "call": _("来电")}
FOLLOW_UP_METHODS: Words = {"call": _("电话"), "sms": _("短信"), "visit": _("来访"), "wechat": _("微信")}
VERDICT_STATES: Words = {
    "owned": _("已归属"),
    "pending": _("待确认"),
    "disputed": _("争议中"),
    "public": _("公共客户"),
}
OWNER_KINDS: Words = {
    "consultant": _("置业顾问"),
    "channel": _("分销单位"),
    "pool": _("公共资源"),
    "department": _("销售部"),
}
COMPLAINT_TYPES: Words = {"complaint": _("投诉"), "refusal": _("拒绝该顾问")}
APPEAL_OUTCOMES: Words = {"rejected": _("驳回"), "overturned": _("改判")}
# what a penalty does (guishu.core.verdict.Penalty.action)
PENALTY_ACTIONS: Words = {"fine": _("罚款"), "warning": _("警告"), "dismissal": _("辞退")}
MILESTONES: Words = {"internal_subscription_opened": _("内部认购开放"), "launch": _("开盘")}
DUTY_STATUSES: Words = {
    "on_duty": _("在岗"),
    "busy": _("接待中"),
    "day_off": _("休息"),
    "absent": _("缺勤"),
    "out": _("外出"),
    "sick": _("病假"),
    "left": _("已离职"),
    "unknown": _("未知"),
}
DEAL_TYPES: Words = {"deposit": _("定金"), "subscription": _("认购"), "signing": _("签约")}
# where a deal's split stands now (guishu.deals.selectors)
DEAL_STATES: Words = {
    "payable": _("可结算"),
    "provisional": _("暂定(异议期内)"),
    "signing": _("待签约"),
    "qualification": _("待资格审核"),
    "refunded": _("已退房,不计佣金"),
    "voided": _("已作废"),
    "invalid": _("不计成交"),
}
# what became of a hand-in at the confirmation desk (guishu.handins.selectors)
HANDIN_STATES: Words = {"same_day": _("与他人同日递交,由经理根据日报判定")}
# who a split may credit besides a consultant (guishu.core.commission)
SPLIT_PARTIES: Words = {
    "company": _("公司(没收)"),
    "group_purchase": _("团购"),
    "developer": _("开发商关系客户"),
    "department": _("销售部"),
}
UNIT_TYPES: Words = {
    "residence": _("住宅"),
    "apartment": _("公寓"),
    "shop": _("商铺"),
    "office": _("写字楼"),
    "parking": _("车位"),
    "other": _("其他业态"),
}
# who earns a deal besides people and channel firms (guishu.core.commission)
PAYEE_POTS: Words = {
    "company": _("公司"),
    "department": _("销售部"),
    "group_purchase": _("团购"),
    "developer": _("开发商"),
}
SETTLEMENT_STAGES: Words = {
    "subscription": _("认购"),
    "signing": _("签约"),
    "online_filing": _("网签备案"),
    "down_payment": _("首付到账"),
    "loan_disbursed": _("按揭放款"),
    "paid_in_full": _("全款到账"),
    "fine": _("罚款"),
}
STATEMENT_LINE_KINDS: Words = {"current": _("本期"), "carried": _("往期未结"), "adjusted": _("调整")}
STATEMENT_STATES: Words = {"approved": _("已审批"), "open": _("待审批"), "carried": _("已并入后期")}
PAYEE_KINDS: Words = {"consultant": _("置业顾问"), "channel": _("渠道"), "company": _("公司")}
# 资格审核 (S2.1-S2.5, S15.4): the checklist's items and their states
CHECK_ITEMS: Words = {
    "identity": _("身份证件核验"),
    "eligibility": _("购房资格审核"),
    "funds": _("资金实力证明"),
    "credit": _("信用评估"),
    "letter": _("购房确认书签署"),
}
CHECK_STATES: Words = {"open": _("待审核"), "passed": _("通过"), "failed": _("未通过")}
PAYMENT_STAGES: Words = {
    "down_payment": _("首付"),
    "loan_disbursed": _("按揭放款"),
    "paid_in_full": _("全款到账"),
    "online_filing": _("网签备案"),
}
REPORT_STATUSES: Words = {
    "accepted": _("报备成功"),
    "duplicate": _("重复报备"),
    "already_customer": _("已是案场客户"),
    "ambiguous": _("号码无法确定"),
    "invalid": _("报备无效"),
}
GENDERS: Words = {"M": _("男"), "F": _("女")}
# S3.1: the screen that showed a customer's full data, and what it showed (a disclosed fact)
DISCLOSURE_SCREENS: Words = {
    "desk": _("判客"),
    "registered": _("登记结果"),
    "mine": _("我的客户"),
    "card": _("客户卡片"),
    "trail": _("完整记录"),
    "export": _("导出表格"),
}
PERSONAL_DATA: Words = {"phone": _("完整电话"), "name": _("完整姓名")}
RELATIONS: Words = {
    "spouse": _("配偶"),
    "parent": _("父母"),
    "child": _("子女"),
    "sibling": _("兄弟姐妹"),
    "friend": _("朋友"),
    "colleague": _("同事"),
    "other": _("其他"),
}


def word(words: Words, code: object) -> str:
    """The word for a code in the active language; an empty code stays empty. A code the
    vocabulary does not know is shown as it is (tests/sites/test_words.py keeps them known)."""
    if code is None or code == "":
        return ""
    found = words.get(str(code))
    return str(found) if found is not None else str(code)


@register.filter
def fact_kind(kind: str) -> str:
    return word(FACT_KINDS, kind)


@register.filter
def check_item(item: str) -> str:
    return word(CHECK_ITEMS, item)


@register.filter
def verdict_state(state: str) -> str:
    return word(VERDICT_STATES, state)


@register.filter
def owner_kind(kind: str) -> str:
    return word(OWNER_KINDS, kind)


@register.filter
def role_name(role: str | None) -> str:
    return roles.role_name(role)


@register.filter
def role_names(codes: Iterable[str]) -> list[str]:
    """Each role of a set by its name, in the table's order (a set has none of its own)."""
    order = list(roles.ROLE_NAMES)
    known = sorted(codes, key=lambda r: (order.index(r) if r in order else len(order), r))
    return [roles.role_name(r) for r in known]


@register.filter
def contact_mode(mode: str) -> str:
    return word(MODES, mode)


@register.filter
def follow_up_method(method: str) -> str:
    return word(FOLLOW_UP_METHODS, method)


@register.filter
def complaint_type(kind: str) -> str:
    return word(COMPLAINT_TYPES, kind or "complaint")


@register.filter
def duty_status(status: str) -> str:
    return word(DUTY_STATUSES, status)


@register.filter
def report_status(status: str) -> str:
    return word(REPORT_STATUSES, status)


@register.filter
def gender(code: str) -> str:
    return word(GENDERS, code)


def fact_words(kind: str, payload: Mapping[str, Any] | None = None) -> str:
    """What a fact is, in words: a registration says whether it was a call or a visit."""
    if kind == "registration" and payload and payload.get("mode") in REGISTRATION_MODES:
        return word(REGISTRATION_MODES, payload["mode"])
    if kind == "deal" and payload and payload.get("type") in DEAL_TYPES:
        return f"{fact_kind(kind)} · {word(DEAL_TYPES, payload['type'])}"
    if kind == "complaint" and payload:
        return complaint_type(str(payload.get("type", "complaint")))
    return fact_kind(kind)


# ---------------------------------------------------------------------------
# Times in the site's time zone


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def site_zone(where: Project | str | None) -> ZoneInfo:
    """The time zone of a site (its ``Project.timezone``), or of a zone's name."""
    if isinstance(where, Project):
        return zone(where.timezone)
    return zone(where or "")


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def local(value: object, where: Project | str | None) -> datetime | None:
    """A moment (an aware datetime or an ISO 8601 text, as facts hold them) at the site."""
    at = _moment(value)
    if at is None:
        return None
    if at.tzinfo is None:  # the database's naive times are UTC (USE_TZ)
        at = at.replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(site_zone(where))


def minute(value: object, where: Project | str | None) -> str:
    """``2026-03-12 14:05`` at the site; empty for no time (templates add ``|default:"-"``)."""
    at = local(value, where)
    if at is None:
        return "" if value is None or value == "" else str(value)
    return at.strftime(MINUTE)


def day(value: object, where: Project | str | None) -> str:
    at = local(value, where)
    if at is None:
        return "" if value is None or value == "" else str(value)
    return at.strftime(DAY)


@register.filter
def site_time(value: object, where: Project | str | None = None) -> str:
    return minute(value, where)


@register.filter
def site_date(value: object, where: Project | str | None = None) -> str:
    return day(value, where)


@register.filter
def site_when(at: datetime, project: Project, now: datetime | None = None) -> str:
    """``3月2日 10:00`` at the site, with the year when it is not this one (``2 Mar 10:00``,
    ``2 Mar 2025 10:00`` in English)."""
    there = local(at, project)
    today = local(now or dj_timezone.now(), project)
    if there is None or today is None:
        return ""
    year = there.year != today.year
    if english():
        return f"{there.day} {there:%b}" + (f" {there.year}" if year else "") + f" {there:%H:%M}"
    return (f"{there.year}年" if year else "") + f"{there.month}月{there.day}日 {there:%H:%M}"


# ---------------------------------------------------------------------------
# People and firms by name


def people_of(project: Project) -> dict[str, str]:
    """Staff id -> name of everyone who ever worked at the site (leavers keep their names)."""
    return dict(Membership.objects.filter(project=project).values_list("staff", "name"))


def firms_of(project: Project) -> dict[str, str]:
    """Channel firm id -> name, from the site's channel_joined facts (the latest name wins)."""
    rows = Entry.objects.filter(project=project, kind="channel_joined").order_by("seq")
    return {str(e.payload["channel"]): str(e.payload["name"]) for e in rows}


@register.simple_tag
def site_people(project: Project) -> dict[str, str]:
    return people_of(project)


@register.simple_tag
def site_firms(project: Project) -> dict[str, str]:
    return firms_of(project)


@register.filter
def person(code: str | None, names: Mapping[str, str]) -> str:
    """The name of a staff id (or a firm's id) from a ``site_people`` / ``site_firms`` map."""
    if not code:
        return ""
    return names.get(code, code)


# ---------------------------------------------------------------------------
# The record's two-language messages


def english() -> bool:
    return (translation.get_language() or "").split("-")[0] == "en"


def in_language(text: str) -> str:
    """One half of a ``"中文 / English"`` message (the pure core's and the record's errors
    carry both): the active language's."""
    zh, sep, en = text.partition(" / ")
    return en if sep and english() else zh


@register.filter
def said(text: str) -> str:
    return in_language(str(text))


# a staff id as the engine writes it into a sentence (zhangsan, li.si, wang-wu)
_LOGIN = re.compile(r"(?<![\w.-])[a-z][a-z0-9_.-]*[a-z0-9]")


def with_names(text: str, names: Mapping[str, str]) -> str:
    """A sentence of the engine's with each staff id in it replaced by the person's name: the
    English reasons of the core name people by id ("zhangsan registered after lisi")."""
    if not names:
        return text
    return _LOGIN.sub(lambda m: names.get(m.group(0), m.group(0)), text)


@register.filter
def reason_words(reason: object, names: Mapping[str, str] | None = None) -> str:
    """A verdict's reason (or an invalid entry's) in the active language: its ``zh`` or ``en``,
    people by name (``{% site_people project as people %}{{ r|reason_words:people }}``)."""
    if english():
        return with_names(str(getattr(reason, "en", "")), names or {})
    return str(getattr(reason, "zh", ""))


@register.filter
def money(amount: object) -> str:
    """An amount in yuan as the signing room writes it: 1500000 → ¥1,500,000.00 ("" when none,
    the value as given when it is no number)."""
    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except (ArithmeticError, ValueError):
        return str(amount)
    if not value.is_finite():
        return str(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value).quantize(Decimal('0.01')):,.2f}"


@register.filter
def percent(share: object) -> str:
    """A split's share as a percentage: 0.5 → 50%, 1/3 → 33.33%."""
    try:
        value = Decimal(str(share)) * 100
    except (ArithmeticError, ValueError):
        return ""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return f"{text}%"


_STATEMENT_WORDS: dict[str, Words] = {
    "payee": PAYEE_KINDS,
    "state": STATEMENT_STATES,
    "line": STATEMENT_LINE_KINDS,
    "stage": SETTLEMENT_STAGES,
}


@register.filter
def statement_word(code: object, which: str) -> str:
    """A statement's word: ``{{ s.state|statement_word:"state" }}`` (payee, state, line, stage)."""
    return word(_STATEMENT_WORDS[which], code)


@register.filter
def unit_type(code: object) -> str:
    """业态 in words: residence → 住宅."""
    return word(UNIT_TYPES, code)
