"""What each role's home shows at a site: the work waiting for him today, from the record.

consultant — his customers whose protection lapses soon (a follow-up renews it, S8.11), his
claims awaiting verification and the pending confirmations he may claim (S8.10); clerk — the
day's registers and what does not count, claims to verify, today's duty entries; manager — the
site today: visits, new customers, collisions, complaints to review, disputes to decide;
marketing manager — each channel firm's reports, confirmed visits and customers credited;
finance — the latest deals and the split the policy gives now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.core.identity import mask_phone, national_digits
from guishu.desk import selectors
from guishu.record import engines
from guishu.record.models import Entry, GroupVerdict, Project
from guishu.sites.access import SiteAccess
from guishu.sites.templatetags import words

LAPSING_DAYS = 3  # "about to lapse": within three days
SHOWN = 10  # each list shows the first ten; the screens behind it show them all


@dataclass(frozen=True)
class Item:
    """One line of a home's list: what, about whom, until when, and where to do it."""

    text: str
    when: datetime | None = None
    url_name: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...]
    url_name: str = ""  # the screen where the list is worked through
    empty: str = ""


def _start_of_day(project: Project) -> datetime:
    return timezone.localtime(timezone=words.site_zone(project)).replace(hour=0, minute=0, second=0, microsecond=0)


def consultant(access: SiteAccess) -> list[Section]:
    project, now = access.project, timezone.now()
    mine = selectors.my_customers(project, access.staff)
    soon = now + timedelta(days=LAPSING_DAYS)
    live = engines.live_engine(project)
    lapsing = []
    with live.lock:
        for v in mine:
            if v.state == "owned" and v.protected_until is not None and v.protected_until <= soon:
                g = live.engine.groups.get(v.group)
                names = "、".join(g.names) if g is not None else ""
                phones = "、".join(national_digits(p) for p in v.members)  # his own: in full
                lapsing.append(Item(f"{names} {phones}".strip(), v.protected_until, "mine"))
    pending = selectors.pending_now(project)
    claims = [
        Item(i.phones, i.verdict.deadline, "mine")
        for i in pending
        if any(who == access.staff for _, who, _ in i.claims)
    ]
    claimable = [
        Item(i.phones, i.verdict.deadline, "mine")
        for i in pending
        if i.filer != access.staff and not any(who == access.staff for _, who, _ in i.claims)
    ]
    return [
        Section(_("保护期将到(请跟进)"), tuple(lapsing[:SHOWN]), "mine", _("近三日内没有到期的客户")),
        Section(_("我的认领(待核实)"), tuple(claims[:SHOWN]), "mine", _("暂无")),
        Section(_("可认领的待确认客户"), tuple(claimable[:SHOWN]), "mine", _("暂无")),
    ]


def clerk(access: SiteAccess) -> list[Section]:
    project = access.project
    lines = selectors.day_register(project, timezone.localtime())
    invalid = [
        Item(f"#{line.entry.seq} {line.consultant} · {line.invalid}", line.entry.at)
        for line in lines
        if line.invalid and not line.voided
    ]
    to_verify = [
        Item(f"{i.phones} · {name}", i.verdict.deadline)
        for i in selectors.pending_now(project)
        for _, _, name in i.claims
    ]
    duty = Entry.objects.filter(project=project, kind="duty", at__gte=_start_of_day(project)).count()
    return [
        Section(
            _("今日登记 %(n)s 条,其中不计有效的") % {"n": len(lines)},
            tuple(invalid[:SHOWN]),
            "clerk",
            _("今日登记均有效"),
        ),
        Section(_("待核实的认领"), tuple(to_verify[:SHOWN]), "clerk", _("暂无")),
        Section(_("今日考勤登记 %(n)s 条") % {"n": duty}, (), "duty"),
        *_handins(access),
    ]


def _handins(access: SiteAccess) -> list[Section]:
    """S18: today's hand-ins at the confirmation desk, the returned ones first (a site whose
    policy has a desk)."""
    from guishu.handins import actions as desk
    from guishu.handins import selectors as handins

    if not desk.offered(access):
        return []
    lines = handins.handins(access.project)
    returned = [Item(f"{h.consultant} · {h.customer} · {h.why}", h.signed_at) for h in lines if h.state == "returned"]
    title = _("今日确认单 %(n)s 张,其中退回的") % {"n": len(lines)}
    return [Section(title, tuple(returned[:SHOWN]), "handins", _("今日没有退回的确认单"))]


def manager(access: SiteAccess) -> list[Section]:
    from guishu.disputes import selectors as disputes

    project = access.project
    start = _start_of_day(project)
    today = Entry.objects.filter(project=project, kind="registration", at__gte=start)
    visits = today.filter(payload__mode="visit").count()
    live = engines.live_engine(project)
    with live.lock:
        collisions = [c for c in live.engine.collisions.values() if c.at >= start]
        name = live.engine.staff.name
        lines = [Item(f"{name(c.owner)} ← {name(c.other)} · {c.rule}", c.at, "manage") for c in collisions]
    complaints = [Item(f"{c.what} · {c.against}", c.at, "manage") for c in selectors.complaints_awaiting(project)]
    open_disputes = [Item(f"{d.customer} · {d.who}", d.at, "disputes") for d in disputes.disputes(project) if d.open]
    return [
        Section(
            _("今日来访 %(visits)s 组,登记 %(all)s 条;撞单与抢单") % {"visits": visits, "all": today.count()},
            tuple(lines[:SHOWN]),
            "manage",
            _("今日无撞单"),
        ),
        Section(_("待审核的投诉/拒绝"), tuple(complaints[:SHOWN]), "manage", _("暂无")),
        Section(_("待裁定的查询单"), tuple(open_disputes[:SHOWN]), "disputes", _("暂无")),
    ]


def marketing(access: SiteAccess) -> list[Section]:
    """Each channel firm: its reports, its confirmed visits, the customers credited to it now."""
    project = access.project
    firms = words.firms_of(project)
    reports = Entry.objects.filter(project=project, kind="report")
    confirmed = Entry.objects.filter(project=project, kind="visit_confirmation")
    credited = GroupVerdict.objects.filter(project=project)  # the channel the verdict credits (S6.7)
    items = tuple(
        Item(
            _("%(firm)s:报备 %(reports)s,确认来访 %(visits)s,渠道客户 %(customers)s")
            % {
                "firm": name,
                "reports": reports.filter(payload__channel=code).count(),
                "visits": confirmed.filter(payload__channel=code).count(),
                "customers": credited.filter(data__channel__id=code).count(),
            }
        )
        for code, name in firms.items()
    )
    return [Section(_("分销单位"), items, "visit_forms", _("本案场暂无分销单位"))]


def finance(access: SiteAccess) -> list[Section]:
    """The latest deals, each with the split the site's policy gives now, by name."""
    project = access.project
    deals = list(Entry.objects.filter(project=project, kind="deal").order_by("-seq")[:SHOWN])
    live = engines.live_engine(project)
    now = timezone.now()
    items = []
    with live.lock:
        groups = {
            live.engine.by_phone[p].id for e in deals if (p := str(e.payload.get("phone", ""))) in live.engine.by_phone
        }
        splits = {s.deal: s for s in live.engine.splits_of(groups, now)}
        name = live.engine.staff.name
        for e in deals:
            split = splits.get(e.fact_id)
            shares = "、".join(f"{name(who)} {share:.0%}" for who, share in split.shares) if split else "-"
            kind = words.word(words.DEAL_TYPES, e.payload.get("type"))
            phone = mask_phone(str(e.payload.get("phone", "")))
            refunded = f" · {words.word(words.DEAL_STATES, 'refunded')}" if split and split.refunded_at else ""
            text = f"{kind} · {phone} · {shares}" + (f" ({split.rule})" if split else "") + refunded
            items.append(Item(text, e.at))
    return [Section(_("最近成交与分佣"), tuple(items), "deals", _("暂无成交"))]


def sections(access: SiteAccess) -> list[Section]:
    role = access.role
    if role in ("consultant", "supervisor"):
        return consultant(access)
    if role == "clerk":
        return clerk(access)
    if role == "manager":
        return manager(access)
    if role == "marketing_manager":
        return marketing(access)
    if role == "finance":
        return finance(access)
    return []
