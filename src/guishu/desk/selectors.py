"""Reads for the desk: find a customer by phone (full or masked) or name, and his verdict now.

Verdicts are computed by the live engine at the moment of reading, so a protection that
lapsed an hour ago shows as lapsed although no fact has touched the group since.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guishu.core.attribution import Attributor
from guishu.core.identity import (
    NameMatch,
    PhoneError,
    is_masked,
    is_surname,
    mask_phone,
    match_mask,
    match_names,
    name_key,
    national_digits,
    normalise_name,
    normalise_phone,
    parse_masked_phone,
    pinyin_readings,
    surnames_read,
)
from guishu.core.verdict import Verdict
from guishu.corrections.selectors import Voiding, correctable, voidings
from guishu.desk.cards import CustomerCard, card_text
from guishu.desk.models import Disclosure
from guishu.desk.sentences import Sentences
from guishu.record import engines, sql
from guishu.record.models import Entry, Membership, Project
from guishu.sites.access import SiteAccess
from guishu.sites.roles import SELLERS
from guishu.sites.templatetags import words


@dataclass(frozen=True)
class LookupResult:
    query: str
    cards: tuple[CustomerCard, ...]
    note: str = ""  # e.g. an ambiguous mask, a malformed phone
    error: str = ""


def verdict_now(project: Project, group: str, at: datetime | None = None) -> Verdict | None:
    live = engines.live_engine(project)
    with live.lock:
        if group not in live.engine.groups:
            return None
        return live.engine.verdict(group, at or timezone.now())


@dataclass(frozen=True)
class Collision:
    """Before a registration is sent: the phone it names is another consultant's customer."""

    phone: str  # masked
    owner: str  # by name
    since: datetime | None
    rule: str
    reason: str  # the deciding reason, in the viewer's language


def collisions_before(project: Project, phones: list[str], receiver: str) -> list[Collision]:
    """Each of these (normalised) phones whose customer another consultant owns now, and why:
    whose, since when, under which rule (S8.1, S8.11 ...), said before the registration is sent."""
    live = engines.live_engine(project)
    now = timezone.now()
    english = words.english()
    found = []
    with live.lock:
        names = {s: p.name for s, p in live.engine.staff.people.items()} if english else {}
        seen: set[str] = set()
        for phone in phones:
            g = live.engine.by_phone.get(phone)
            if g is None or g.id in seen:
                continue
            seen.add(g.id)
            v = live.engine.verdict(g.id, now)
            if v.owner.kind != "consultant" or v.owner.id in (None, receiver):
                continue
            first = v.reasons[0] if v.reasons else None
            said = (words.with_names(first.en, names) if english else first.zh) if first else ""
            owner = live.engine.staff.name(v.owner.id)
            found.append(Collision(mask_phone(phone), owner, v.since, first.rule if first else "", said))
    return found


def card(viewer: SiteAccess, group: str, match: str) -> CustomerCard | None:
    return _card(engines.live_engine(viewer.project), viewer, group, match)


def _card(live: engines.LiveEngine, viewer: SiteAccess, group: str, match: str) -> CustomerCard | None:
    project = viewer.project
    with live.lock:
        g = live.engine.groups.get(group)
        if g is None:
            return None
        now = timezone.now()
        v = live.engine.verdict(group, now)
        names = tuple(g.names)
        owner_name = live.engine.staff.name(v.owner.id) if v.owner.id and v.owner.kind == "consultant" else ""
        pending_enabled = live.engine.policy_at(now).pending.enabled
        pend = g.pending
        filer = pend.filer if pend is not None else None
        claimed = pend is not None and any(who == viewer.staff for _, who in pend.claims)
        # the engine's English reasons name people by id: the card names them
        staff_names = {s: p.name for s, p in live.engine.staff.people.items()} if words.english() else None
    # S8.10: what this viewer may do with the card (the actions check again before writing)
    mine = v.owner.kind == "consultant" and v.owner.id == viewer.staff
    may_follow_up = mine and v.state == "owned" and viewer.can("own_customers")
    may_file = pending_enabled and v.state != "pending" and not mine and viewer.can("file_pending")
    may_claim = v.state == "pending" and filer != viewer.staff and not claimed and viewer.can("claim")
    # S3.1: a consultant sees full details of his own customers only (the view records the
    # display in the site's record: actions.record_full_view)
    full = v.owner.kind == "consultant" and bool(v.owner.id) and v.owner.id == viewer.staff
    phones = tuple(national_digits(p) if full else mask_phone(p) for p in v.members)
    # S4.4, S10.7, S18.18: the trail of past registers only for who has the permission
    trail_url = reverse("trail", args=[project.code, group]) if viewer.can("view_trail") else ""
    if v.owner.kind == "channel" and v.owner.id:  # the engine knows a firm by its id only
        owner_name = words.firms_of(project).get(v.owner.id, v.owner.id)
    text = card_text(v, names, phones, owner_name, trail_url=trail_url, site=project, staff_names=staff_names)
    may_print = v.state == "owned" and viewer.can("print_letter")
    return CustomerCard(v, full, match, text, may_follow_up, may_file, may_claim, may_print)


NAME_RESULTS = 8
# the name index by pinyin key (homophones included): plain SQL, as a common name has many rows
SAME_SOUND = 'SELECT name, "group" FROM record_nameindex WHERE project_id = %s AND pinyin = %s'
# a range of the name index: the names that start so (a surname), the keys whose initials are so
# (wjg): both ride the index, and the count is the range's (the rows themselves: the last few)
# ({c}: COLLATE "C" on PostgreSQL, where a database's own collation may not order text by code
# point, and a range would not be a prefix; SQLite compares bytes)
NAME_RANGE_COUNT = (
    "SELECT COUNT(*) FROM (SELECT 1 FROM record_nameindex"
    " WHERE project_id = %s AND {col}{c} >= %s AND {col}{c} < %s LIMIT %s) AS found"
)
# the newest rows of a range: their ids sorted from the index alone (it holds the rowid on
# SQLite), then only those rows read, not the thousands of an initials range
NAME_RANGE_LAST = (
    'SELECT "group" FROM record_nameindex WHERE id IN (SELECT id FROM record_nameindex'
    " WHERE project_id = %s AND {col}{c} >= %s AND {col}{c} < %s ORDER BY id DESC LIMIT %s)"
)
PHONE_PREFIX = (
    'SELECT "group" FROM record_phoneindex WHERE project_id = %s AND phone{c} >= %s AND phone{c} < %s LIMIT %s'
)
PHONE_PREFIX_COUNT = (
    "SELECT COUNT(*) FROM (SELECT 1 FROM record_phoneindex"
    " WHERE project_id = %s AND phone{c} >= %s AND phone{c} < %s LIMIT %s) AS found"
)
# how far back a range looks for its most recent customers (rows are written as names arrive)
RANGE_WINDOW = 200
RANGE_COUNTED = 1000  # a range is counted this far: "1000 位以上" beyond
NEWEST_SCANNED = 50_000  # how many of the newest groups a common range's recent ones are sought in


def lookup(viewer: SiteAccess, query: str) -> LookupResult:
    """判客: the customer a front-desk query points at, with the reason of the match.

    Phones and masks are looked up in the live engine's memory (caught up first); names in
    the name index, whose pinyin key finds homophones.
    """
    # control characters (a NUL from a scanner or a paste) are never part of a phone or a name;
    # PostgreSQL refuses NUL in text outright
    project = viewer.project
    q = "".join(ch for ch in query if unicodedata.category(ch)[0] != "C").strip()[:64]
    if not q:
        return LookupResult(q, ())
    live = engines.live_engine(project)
    if is_masked(q):
        try:
            mask = parse_masked_phone(q)
        except PhoneError as exc:
            return LookupResult(q, (), error=words.in_language(str(exc)))
        with live.lock:
            known = live.engine.phones_ending(mask.tail)
        found = match_mask(mask, known)
        if found.status != "unique":  # S6.1: a mask that fits several customers is never guessed
            return LookupResult(q, (), note=found.reason_en if words.english() else found.reason_zh)
        with live.lock:
            group = live.engine.by_phone[found.phones[0]].id
        c = _card(live, viewer, group, found.reason_en if words.english() else found.reason_zh)
        return LookupResult(q, (c,) if c else ())
    digits = "".join(ch for ch in q if ch.isdigit())
    if 4 <= len(digits) <= 6 and len(digits) == len(q.replace(" ", "")):
        return _by_tail(live, viewer, digits)
    if 7 <= len(digits) <= 10 and len(digits) == len(q.replace(" ", "").replace("-", "")) and digits[0] == "1":
        return _by_prefix(live, viewer, digits)
    if sum(ch.isdigit() for ch in q) >= 7:
        try:
            phone = normalise_phone(q)
        except PhoneError as exc:
            return LookupResult(q, (), error=words.in_language(str(exc)))
        with live.lock:
            found_group = live.engine.by_phone.get(phone)
            gid = found_group.id if found_group is not None else None
        if gid is None:
            return LookupResult(q, (), note=_("新客户: 记录中没有这个号码"))
        c = _card(live, viewer, gid, _("号码一致"))
        return LookupResult(q, (c,) if c else ())
    name = normalise_name(q)
    if is_surname(name):
        return _by_range(live, viewer, "name", (name,), _("姓%(surname)s") % {"surname": name}, q)
    if name.isascii() and name.isalpha():
        return _by_pinyin(live, viewer, name.lower(), q)
    rows = sql.Db().fetchall(SAME_SOUND, (project.pk, name_key(name)))
    seen: dict[str, str] = {}
    matches: dict[str, NameMatch] = {}  # a common name is written the same way in many groups
    english = words.english()
    for written, group in rows:
        m = matches.get(written)
        if m is None:
            m = matches[written] = match_names(name, written)
        if m.same and group not in seen:
            seen[group] = m.reason_en if english else m.reason_zh
    # a common name (王伟) can match many groups: show the most recent few, ask for the phone
    now = timezone.now()
    with live.lock:
        groups = live.engine.groups
        last = {g: groups[g].last_at or now for g in seen if g in groups}
    recent = sorted(last, key=last.__getitem__)
    cards = [_card(live, viewer, g, seen[g]) for g in reversed(recent[-NAME_RESULTS:])]
    note = "" if seen else _("记录中没有这个姓名")
    return LookupResult(q, tuple(c for c in cards if c), note=note)


def _recent(live: engines.LiveEngine, viewer: SiteAccess, groups: Iterable[str], match: str) -> list[CustomerCard]:
    """The cards of the most recent of these groups (their latest fact), at most NAME_RESULTS."""
    now = timezone.now()
    with live.lock:
        known = live.engine.groups
        last = {g: known[g].last_at or now for g in set(groups) if g in known}
    recent = sorted(last, key=last.__getitem__)[-NAME_RESULTS:]
    return [c for c in (_card(live, viewer, g, match) for g in reversed(recent)) if c]


def _counted(
    query: str, cards: list[CustomerCard], total: int, what: str, none: str, *, more: bool = False
) -> LookupResult:
    if not total:
        return LookupResult(query, (), note=none)
    if more:
        note = _("%(what)s超过 %(n)s 位客户,显示最近 %(shown)s 位") % {"what": what, "n": total, "shown": len(cards)}
    else:
        note = _("%(what)s共 %(n)s 位客户,显示最近 %(shown)s 位") % {"what": what, "n": total, "shown": len(cards)}
    return LookupResult(query, tuple(cards), note=note if more or total > len(cards) else "")


def _bytewise(db: sql.Db) -> str:
    return ' COLLATE "C"' if db.postgres else ""


def _by_range(
    live: engines.LiveEngine, viewer: SiteAccess, column: str, starts: Sequence[str], match: str, query: str
) -> LookupResult:
    """Surnames (column ``name``: 王, or 王 and 汪 for ``wang``) or initials (column ``pinyin``,
    ``wjg|``): the most recent customers of the ranges and how many they hold (counted up to
    RANGE_COUNTED)."""
    db = sql.Db()
    c = _bytewise(db)
    count = 0
    ranges = []
    for start in starts:
        args = (viewer.project.pk, start, start[:-1] + chr(ord(start[-1]) + 1))
        total = db.fetchone(NAME_RANGE_COUNT.format(col=column, c=c), (*args, RANGE_COUNTED + 1))
        count += int(total[0]) if total else 0
        ranges.append(args)
    if count > RANGE_COUNTED and column == "name":
        # a common surname (王: 5 % of a site): the newest groups of the engine hold the most
        # recent of them; sorting the whole range by the row's age would read every row. Not
        # for initials: a combination is rarer, and the newest groups hold few of it
        # (bench/desk.py: 78 ms at p99 that way, against 18 ms sorting the range)
        prefixes = tuple(starts)
        groups = _newest_with(live, lambda name: name.startswith(prefixes))
    else:
        groups = [
            str(r[0])
            for args in ranges
            for r in db.fetchall(NAME_RANGE_LAST.format(col=column, c=c), (*args, RANGE_WINDOW))
        ]
    cards = _recent(live, viewer, groups, match)
    none = _("记录中没有%(what)s的客户") % {"what": match}
    return _counted(query, cards, min(count, RANGE_COUNTED), match, none, more=count > RANGE_COUNTED)


def _newest_with(live: engines.LiveEngine, fits: Callable[[str], bool]) -> list[str]:
    """The newest groups (of the last NEWEST_SCANNED) one of whose names fits, a few more than shown."""
    found: list[str] = []
    with live.lock:
        groups = live.engine.groups
        for n, gid in enumerate(reversed(groups)):
            if n >= NEWEST_SCANNED or len(found) >= 4 * NAME_RESULTS:
                break
            if any(fits(name) for name in groups[gid].names):
                found.append(gid)
    return found


def _by_pinyin(live: engines.LiveEngine, viewer: SiteAccess, letters: str, query: str) -> LookupResult:
    """Pinyin as staff type it: the initials (wjg → 王建国), or the whole name's sound
    (wangjianguo, with the engine's surname readings: zengguofan → 曾国藩)."""
    surnames = surnames_read(letters)
    if surnames:  # one syllable (wang) is no name but a surname: 王 and 汪, 曾 for zeng
        what = _("姓%(surname)s") % {"surname": "、".join(surnames)}
        return _by_range(live, viewer, "name", surnames, what, query)
    readings = pinyin_readings(letters)
    if len(readings) == 1 and " " not in readings[0] and len(letters) > 1:
        readings = []  # a lone syllable no common surname reads as (zhuang): perhaps initials
    if not readings:
        return _by_range(
            live, viewer, "pinyin", (letters + "|",), _("拼音首字母 %(letters)s") % {"letters": letters}, query
        )
    db = sql.Db()
    keys = [f"{''.join(p[0] for p in r.split())}|{r}" for r in readings]
    groups: list[str] = []
    for key in keys:
        groups.extend(str(row[1]) for row in db.fetchall(SAME_SOUND, (viewer.project.pk, key)))
    match = _("拼音 %(letters)s") % {"letters": letters}
    cards = _recent(live, viewer, groups, match)
    if not groups and 2 <= len(letters) <= 4:  # no name sounds so: perhaps initials after all
        return _by_range(
            live, viewer, "pinyin", (letters + "|",), _("拼音首字母 %(letters)s") % {"letters": letters}, query
        )
    return _counted(
        query, cards, len(set(groups)), match, _("记录中没有读作 %(letters)s 的姓名") % {"letters": letters}
    )


def _by_prefix(live: engines.LiveEngine, viewer: SiteAccess, digits: str) -> LookupResult:
    """The first seven to ten digits of a mobile: the most recent customers whose phone starts so."""
    start = "+86" + digits
    end = start[:-1] + chr(ord(start[-1]) + 1)
    args = (viewer.project.pk, start, end)
    db = sql.Db()
    c = _bytewise(db)
    total = db.fetchone(PHONE_PREFIX_COUNT.format(c=c), (*args, RANGE_COUNTED + 1))
    count = int(total[0]) if total else 0
    rows = db.fetchall(PHONE_PREFIX.format(c=c), (*args, RANGE_WINDOW)) if count else []
    match = _("号码开头 %(digits)s") % {"digits": digits}
    cards = _recent(live, viewer, (str(r[0]) for r in rows), match)
    none = _("记录中没有以 %(digits)s 开头的号码") % {"digits": digits}
    return _counted(digits, cards, min(count, RANGE_COUNTED), match, none, more=count > RANGE_COUNTED)


def _by_tail(live: engines.LiveEngine, viewer: SiteAccess, digits: str) -> LookupResult:
    """The last four to six digits staff remember of a phone: the most recent customers whose
    phone ends so (at most NAME_RESULTS, masked unless one's own), and how many there are."""
    with live.lock:
        phones = live.engine.phones_ending(digits)
        groups = {live.engine.by_phone[p].id for p in phones if p in live.engine.by_phone}
    match = _("号码尾号 %(digits)s") % {"digits": digits}
    cards = _recent(live, viewer, groups, match)
    none = _("记录中没有尾号为 %(digits)s 的号码") % {"digits": digits}
    return _counted(digits, cards, len(groups), _("尾号 %(digits)s ") % {"digits": digits}, none)


@dataclass(frozen=True)
class TrailLine:
    """One fact of the trail in words: what it is (来访登记 · 张三) and who entered it, by name."""

    entry: Entry
    what: str  # the fact as a sentence: 张三 登记来访 王建国 138****0001
    actor: str  # "" when the record entered it itself (an import, the demo)
    ref: str = ""  # the fact's own id when it was given one (an import's), not "<site>-<seq>"
    voided: Voiding | None = None  # voided by a later correction (S1.4, S8.12)
    correctable: bool = False  # a kind of fact the clerk or manager may void


TRAIL_PAGE = 50
# what a viewer of a customer's page may do next, and where: (action, URL name, label)
NEXT_STEPS = (
    ("record_deal", "deals", gettext_lazy("登记成交或退房")),
    ("complain", "disputes", gettext_lazy("记录投诉或拒绝")),
    ("decide", "disputes", gettext_lazy("裁定查询单")),
    ("relate", "filings", gettext_lazy("登记亲属关系")),
    ("pool", "duty_pool", gettext_lazy("分配离职人员的客户")),
)


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str


def next_steps(viewer: SiteAccess) -> list[NextStep]:
    """The screens where the viewer may act on a customer, each once."""
    code = viewer.project.code
    out: list[NextStep] = []
    for action, name, label in NEXT_STEPS:
        url = reverse(name, args=[code])
        if viewer.can(action) and all(s.url != url for s in out):
            out.append(NextStep(str(label), url))
    return out


def trail_page(project: Project, group: str, number: str | None) -> tuple[Page[TrailLine], list[TrailLine]]:
    """One page of a customer's history, the latest 50 facts first."""
    lines = trail(project, group)
    lines.reverse()
    page = Paginator(lines, TRAIL_PAGE).get_page(number)
    return page, list(page.object_list)


def trail(project: Project, group: str) -> list[TrailLine]:
    """Every fact of a customer group, with its chain position (managers only, S18.18), and the
    corrections that voided any of them, in the record's order (S1.4, S8.12: both stay)."""
    live = engines.live_engine(project)
    with live.lock:
        g = live.engine.groups.get(group)
        ids = [f.id for f in g.facts] if g else []
    void = voidings(project, ids)
    seqs = [v.seq for v in void.values()]
    rows = Entry.objects.filter(Q(fact_id__in=ids) | Q(seq__in=seqs), project=project).select_related("actor")
    entries = list(rows.order_by("seq"))
    said = Sentences(project)
    people = said.people
    by_id = {e.fact_id: e.seq for e in entries}
    lines = []
    for e in entries:
        actor = ""
        if e.actor is not None:
            login = e.actor.get_username()
            actor = people.get(login) or e.actor.first_name or login
        ref = "" if e.fact_id == f"{project.code}-{e.seq}" else e.fact_id
        what = said.say(e.kind, e.payload if isinstance(e.payload, dict) else {})
        if e.kind == "correction" and isinstance(e.payload, dict):
            voided_seq = by_id.get(str(e.payload.get("target", "")), "")
            what = _("%(who)s 作废 #%(seq)s,理由: %(reason)s") % {
                "who": said.who(e.payload.get("by")),
                "seq": voided_seq,
                "reason": e.payload.get("reason", ""),
            }
        lines.append(TrailLine(e, what, actor, ref, void.get(e.fact_id), correctable(e.kind)))
    return lines


def my_customers(project: Project, username: str) -> list[Verdict]:
    live = engines.live_engine(project)
    now = timezone.now()
    with live.lock:
        owned = [gid for gid in live.engine.owned_by.get(username, ()) if gid in live.engine.groups]
        verdicts = [live.engine.verdict(gid, now) for gid in sorted(owned)]
    verdicts = [v for v in verdicts if v.owner.id == username or v.state == "pending"]
    return sorted(verdicts, key=lambda v: (v.state != "pending", v.protected_until or now))


@dataclass(frozen=True)
class RegisterLine:
    entry: Entry
    invalid: str  # the rule and reason when the registration does not count
    consultant: str = ""  # the receiver, by his name
    voided: Voiding | None = None  # voided by a correction (S1.4, S8.12): when, by whom, why


def day_register(project: Project, day: datetime) -> list[RegisterLine]:
    """The day's registers as the clerk checks them (S1.2, S1.3, S11.3, S18.7): the site's own
    day, from its local midnight (``Project.timezone``), whatever zone ``day`` came in."""
    start = datetime.combine(day.date(), time(0), tzinfo=words.site_zone(project))
    end = start + timedelta(days=1)
    entries = list(
        Entry.objects.filter(project=project, kind="registration", at__gte=start, at__lt=end).order_by("seq")
    )
    live = engines.live_engine(project)
    english = words.english()
    with live.lock:
        name = live.engine.staff.name
        staff_names = {s: p.name for s, p in live.engine.staff.people.items()} if english else {}
        invalid = {
            fid: f"{i.rule} {words.with_names(i.en, staff_names) if english else i.zh}"
            for fid, i in live.engine.invalid.items()
        }
        lines = [(e, invalid.get(e.fact_id, ""), name(e.payload.get("consultant", ""))) for e in entries]
    void = voidings(project, (e.fact_id for e in entries))
    return [RegisterLine(e, bad, who, void.get(e.fact_id)) for e, bad, who in lines]


@dataclass(frozen=True)
class PendingItem:
    """An open pending confirmation (S8.10, S14.3a) and the claims awaiting verification."""

    verdict: Verdict
    pending: str  # the pending_confirmation fact
    filer: str
    filer_name: str
    claims: tuple[tuple[str, str, str], ...]  # (claim fact, claimant, claimant's name)
    phones: str = ""  # masked


def _pending(engine: Attributor, gid: str, now: datetime) -> PendingItem | None:
    """The group's open pending confirmation now, if any (the caller holds the engine's lock)."""
    g = engine.groups.get(gid)
    pend = g.pending if g is not None else None
    if pend is None:
        return None
    v = engine.verdict(gid, now)
    if v.state != "pending":  # lapsed to the filer since its last fact (S8.10)
        return None
    claims = tuple((c, who, engine.staff.name(who)) for c, who in pend.claims)
    phones = "、".join(mask_phone(p) for p in v.members)
    return PendingItem(v, pend.fact, pend.filer, engine.staff.name(pend.filer), claims, phones)


def pending_now(project: Project) -> list[PendingItem]:
    """Pending confirmations still open, soonest deadline first, with their unverified claims."""
    live = engines.live_engine(project)
    now = timezone.now()
    with live.lock:
        found = (_pending(live.engine, gid, now) for gid, g in live.engine.groups.items() if g.pending is not None)
        items = [i for i in found if i is not None]
    return sorted(items, key=lambda i: i.verdict.deadline or now)


def pending_item(project: Project, group: str) -> PendingItem | None:
    live = engines.live_engine(project)
    with live.lock:
        return _pending(live.engine, group, timezone.now())


def id_at_registration(project: Project) -> bool:
    """S15.1: the site's policy takes the buyer's resident ID at registration, not at the deal."""
    return engines.policy_now(project).modules.id_at == "registration"


def sellers(project: Project) -> list[tuple[str, str]]:
    """The site's consultants at work now, as (staff, name), for choosing a receiver."""
    rows = Membership.objects.filter(project=project, role__in=SELLERS, left_at__isnull=True).order_by("team", "name")
    found = rows.values_list("staff", "name", "team")
    return [(staff, name + (f" ({team})" if team else "")) for staff, name, team in found]


def collisions(project: Project) -> list[tuple[Entry | None, str, str, bool, str]]:
    """撞单 and 抢单 the engine found: (entry, first owner, the other, knowing, rule), newest
    first; the two consultants by their names."""
    live = engines.live_engine(project)
    with live.lock:
        found = sorted(live.engine.collisions.values(), key=lambda c: c.at, reverse=True)
        name = live.engine.staff.name
        named = [(c, name(c.owner), name(c.other)) for c in found]
    entries = {e.fact_id: e for e in Entry.objects.filter(project=project, fact_id__in=[c.fact for c in found])}
    return [(entries.get(c.fact), owner, other, c.knowing, c.rule) for c, owner, other in named]


@dataclass(frozen=True)
class ComplaintItem:
    """A complaint or refusal awaiting review, in words: its type and the consultant by name."""

    entry: Entry
    what: str  # 投诉, 拒绝该顾问
    against: str  # the consultant's name

    @property
    def fact_id(self) -> str:
        return self.entry.fact_id

    @property
    def at(self) -> datetime:
        return self.entry.at


def complaints_awaiting(project: Project) -> list[ComplaintItem]:
    """Refusals and complaints no manager has approved yet (S8.9, S14.3e)."""
    complaints = Entry.objects.filter(project=project, kind="complaint").order_by("-seq")
    approved = {(e.payload["phone"], e.payload["against"]) for e in complaints if e.payload.get("approved_by")}
    waiting = [
        e
        for e in complaints
        if not e.payload.get("approved_by") and (e.payload["phone"], e.payload["against"]) not in approved
    ]
    people = words.people_of(project) if waiting else {}
    return [
        ComplaintItem(e, words.complaint_type(e.payload.get("type", "complaint")), people.get(a, a))
        for e in waiting
        for a in [str(e.payload["against"])]
    ]


@dataclass(frozen=True)
class FullView:
    """One display of customers' full data (S3.1), in words: when, who saw it (by his name),
    whose (names and masked phones: the manager sees no more than the mask), where, what."""

    at: datetime
    viewer: str
    customers: tuple[str, ...]  # 王建国 138****0001
    screen: str  # 判客, 我的客户 ...; empty for a row of the old table
    shown: str  # 完整电话


FULL_VIEWS_PER_PAGE = 50


def _viewer(entry_staff: str, login: str, first_name: str, people: dict[str, str]) -> str:
    """A person by his name at the site; a group admin (on no site's staff) by his account's."""
    return people.get(entry_staff) or people.get(login) or first_name or login


def _customers(live: engines.LiveEngine, phones: list[str]) -> tuple[str, ...]:
    """Each customer group the phones belong to now: its names and the phones, masked (the
    caller holds the engine's lock)."""
    by_group: dict[str, tuple[str, list[str]]] = {}
    for phone in phones:
        g = live.engine.by_phone.get(phone)
        key = g.id if g is not None else phone
        names = "、".join(g.names) if g is not None else ""
        by_group.setdefault(key, (names, []))[1].append(mask_phone(phone))
    return tuple(f"{names} {'、'.join(masks)}".strip() for names, masks in by_group.values())


def full_views(project: Project, page: str | None) -> tuple[Page[Entry], list[FullView]]:
    """查看记录: the site's ``disclosed`` facts, newest first, a page at a time (a page number
    that is not one gives the first or the last page)."""
    entries = Entry.objects.filter(project=project, kind="disclosed").select_related("actor")
    # entries of a project never go back in time, so the (project, kind, at) index gives the order
    shown = Paginator(entries.order_by("-at", "-seq"), FULL_VIEWS_PER_PAGE).get_page(page)
    people = words.people_of(project)
    live = engines.live_engine(project)
    lines = []
    rows = list(shown)  # read before taking the engine's lock
    with live.lock:
        for e in rows:
            payload = e.payload if isinstance(e.payload, dict) else {}
            actor = e.actor
            login, first = (actor.get_username(), actor.first_name) if actor is not None else ("", "")
            viewer = _viewer(str(payload.get("staff", "")), login, first, people)
            customers = _customers(live, [str(p) for p in payload.get("phones", ())])
            screen = words.word(words.DISCLOSURE_SCREENS, payload.get("screen"))
            what = "、".join(words.word(words.PERSONAL_DATA, d) for d in payload.get("shown", ()))
            lines.append(FullView(e.at, viewer, customers, screen, what))
    return shown, lines


def earlier_full_views(project: Project, page: str | None) -> tuple[Page[Disclosure], list[FullView]]:
    """The displays logged before the record held them (the old desk_disclosure table, no longer
    written, neither chained nor signed), newest first, a page at a time."""
    logged = Disclosure.objects.filter(project=project).select_related("user").order_by("-at", "-id")
    shown = Paginator(logged, FULL_VIEWS_PER_PAGE).get_page(page)
    people = words.people_of(project)
    live = engines.live_engine(project)
    lines = []
    rows = list(shown)
    with live.lock:
        for row in rows:
            login = row.user.get_username()
            g = live.engine.groups.get(row.group)
            customers = _customers(live, list(g.members)) if g is not None else (row.group,)
            viewer = _viewer(login, login, row.user.first_name, people)
            lines.append(FullView(row.at, viewer, customers, "", words.word(words.PERSONAL_DATA, row.what)))
    return shown, lines


def policy_history(project: Project) -> list[Entry]:
    return list(Entry.objects.filter(project=project, kind="policy_changed").order_by("seq"))
