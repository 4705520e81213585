"""What each printed document says, read from the record: the owner and the rule of a
customer's confirmation letter, a visit sheet's three sign-offs, and the entry whose code the
document's QR carries. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from guishu.core.identity import mask_phone
from guishu.core.receipt_codes import ReceiptCode, code_of
from guishu.desk import selectors as desk_selectors
from guishu.record import receipts, sql
from guishu.record.models import Project
from guishu.sites.access import SiteAccess
from guishu.sites.templatetags import words
from guishu.visits.models import ROLES, VisitForm


class NoLetter(LookupError):
    """Nothing to print: the message says why, in the active language."""


@dataclass(frozen=True)
class Basis:
    """The entry a document rests on, and the code of its receipt under the latest signed head."""

    seq: int
    at: str  # at the site, to the minute
    code: ReceiptCode


def basis(project: Project, fact_id: str) -> Basis | None:
    """The fact's entry and its code, or None while no signed head covers it yet."""
    row = sql.Db().fetchone(
        "SELECT seq FROM record_entry WHERE project_id = %s AND fact_id = %s", (project.pk, fact_id)
    )
    if row is None:
        return None
    try:
        receipt = receipts.issue(project, int(row[0]))
    except receipts.NoReceipt:
        return None
    return Basis(receipt.seq, words.minute(receipt.at, project), code_of(receipt))


@dataclass(frozen=True)
class Confirmation:
    """客户确认书: who the customer is (the phone masked, S3.1, S6.7), whose he is, since when,
    until when, by which rules, under which policy version, and the entry that decided it."""

    names: str
    phones: str
    owner: str
    since: str
    protected_until: str
    reasons: tuple[tuple[str, str], ...]
    policy: str
    basis: Basis


def confirmation(site: SiteAccess, group: str) -> Confirmation:
    card = desk_selectors.card(site, group, "")
    if card is None:
        raise NoLetter(words.in_language("没有这个客户组 / no such customer"))
    v = card.verdict
    if v.state != "owned":
        raise NoLetter(
            words.in_language(
                f"客户现在{words.verdict_state(v.state)},没有可确认的归属 / the customer has no owner to confirm"
            )
        )
    facts = [f for r in v.reasons for f in r.facts]
    found = next((b for b in (basis(site.project, f) for f in facts) if b is not None), None)
    if found is None:
        raise NoLetter(words.in_language("归属所依据的记录尚无签名树头 / the deciding entry is not signed yet"))
    t = card.text
    return Confirmation(
        names=t.names,
        phones="、".join(mask_phone(p) for p in v.members),  # masked, whoever prints it
        owner=t.owner,
        since=t.since,
        protected_until=t.protected_until,
        reasons=t.reasons,
        policy=v.policy,
        basis=found,
    )


@dataclass(frozen=True)
class SignOff:
    role: str  # the role's name in the active language
    name: str  # who signed, by name; empty: not yet signed
    at: str


@dataclass(frozen=True)
class VisitSheet:
    """来访客户确认单 (S6.6, S6.7): the customer's name, gender and masked phone, the channel and
    its agent, the visit's time, and the three sign-offs; the QR only once the record holds it."""

    name: str
    gender: str
    phone: str
    at: str
    channel: str
    agent: str
    signoffs: tuple[SignOff, ...]
    complete: bool
    basis: Basis | None


def visit_sheet(site: SiteAccess, pk: int) -> VisitSheet:
    form = VisitForm.objects.filter(pk=pk, project=site.project).prefetch_related("signatures__user").first()
    if form is None or (site.role == "agent" and form.agent != site.staff):
        raise NoLetter(words.in_language("没有这张确认单 / no such visit sheet"))  # another firm's: unknown
    project = site.project
    people = words.people_of(project)
    signed = {s.role: s for s in form.signatures.all()}
    signoffs = tuple(
        SignOff(
            words.role_name(role),
            (people.get(signed[role].user.username) or signed[role].user.get_full_name()) if role in signed else "",
            words.minute(signed[role].at, project) if role in signed else "",
        )
        for role in ROLES
    )
    return VisitSheet(
        name=form.name,
        gender=words.gender(form.gender),
        phone=form.phone_shown or mask_phone(form.phone),
        at=words.minute(form.entry_at, project),
        channel=words.firms_of(project).get(form.channel, form.channel),
        agent=people.get(form.agent, form.agent),
        signoffs=signoffs,
        complete=form.submitted,
        basis=basis(project, form.fact_id) if form.submitted else None,
    )


def printer(site: SiteAccess) -> str:
    return words.people_of(site.project).get(site.staff) or site.user.get_full_name() or site.staff
