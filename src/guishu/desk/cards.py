"""A customer card as the desk shows it: the verdict's words and times, formatted once.

The card is on every desk screen and a name lookup shows up to eight of them, so the
template only places strings: Django's template engine resolving ``c.verdict.owner.id``,
date filters, ``{% translate %}`` and ``{% url %}`` tags card by card cost more than finding
the customer (measured: 214 µs a card with them, against 20 µs for an empty template).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from guishu.core.verdict import Verdict
from guishu.record.models import Project
from guishu.sites.templatetags import words


@dataclass(frozen=True)
class CardText:
    """The card's words in the active language (zh-hans or en)."""

    names: str
    phones: str
    state: str
    owner: str  # the consultant's or channel firm's name, or what the owner is (公共资源, 销售部)
    since: str  # times to the minute at the site (its time zone)
    protected_until: str
    remaining: str  # 3 days, 2 hours
    deadline: str
    deadline_remaining: str  # the pending confirmation's (S8.10) or dispute window's countdown
    reasons: tuple[tuple[str, str], ...]  # (rule id, sentence)
    trail_url: str  # S4.4, S10.7, S18.18: empty unless this user may browse the trail
    labels: CardLabels


@dataclass(frozen=True)
class CardLabels:
    owner: str
    since: str
    protected_until: str
    deadline: str
    trail: str
    remaining: str


@functools.cache
def _labels(language: str) -> CardLabels:  # the language is the cache key: one set each
    return CardLabels(_("归属"), _("起始"), _("保护至"), _("期限"), _("完整记录"), _("剩余"))


@dataclass(frozen=True)
class CustomerCard:
    verdict: Verdict
    full: bool  # this user sees the full phone (his own customer)
    match: str  # why this customer came up
    text: CardText
    may_follow_up: bool = False  # S8.11: the owner logs his follow-ups
    may_file_pending: bool = False  # S8.10: the receiver files a pending confirmation
    may_claim: bool = False  # S8.10: any consultant but the filer claims
    may_print: bool = False  # 客户确认书: an owned customer's letter (guishu.letters)


def owner_words(v: Verdict, owner_name: str) -> str:
    """Who owns the customer, in words: a consultant or a channel firm by name (never his id);
    the pool and the sales department by what they are."""
    if v.owner.kind in ("consultant", "channel"):
        return owner_name or (v.owner.id or "")
    if v.owner.kind == "department":
        team = owner_name or v.owner.id or ""
        return f"{words.owner_kind('department')} ({team})" if team else words.owner_kind("department")
    return words.owner_kind(v.owner.kind)


def card_text(
    v: Verdict,
    names: tuple[str, ...],
    phones: tuple[str, ...],
    owner_name: str,
    *,
    trail_url: str,
    site: Project | str | None = None,
    staff_names: Mapping[str, str] | None = None,
) -> CardText:
    """The card's words; ``owner_name`` is the owner's name (a consultant's or a firm's), and
    every time is shown at ``site`` (its ``Project.timezone``); ``staff_names`` (staff id ->
    name) names the people of the English reasons, which the engine writes with ids."""
    language = translation.get_language()
    english = language == "en"
    zone = words.site_zone(site)
    return CardText(
        names="、".join(names) or "-",
        phones="、".join(phones),
        state=words.verdict_state(v.state),
        owner=owner_words(v, owner_name) if v.state != "public" else "",
        since=words.minute(v.since, zone.key),
        protected_until=words.minute(v.protected_until, zone.key),
        remaining=timeuntil(v.protected_until) if v.protected_until else "",
        deadline=words.minute(v.deadline, zone.key),
        deadline_remaining=timeuntil(v.deadline) if v.deadline else "",
        reasons=tuple((r.rule, words.with_names(r.en, staff_names or {}) if english else r.zh) for r in v.reasons),
        trail_url=trail_url,
        labels=_labels(language),
    )
