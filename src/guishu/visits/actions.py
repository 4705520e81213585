"""Open a visit confirmation, sign it, and submit it to the record when all have signed.

Who may sign is decided by the site's memberships: the agent named on the form (an agent of
the form's channel firm at this site), a clerk and the developer's marketing manager of this
site (S6.6, S6.7). A form is validated as the fact it will become before it is stored, so no
signature is ever collected for a confirmation the record would refuse.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from guishu.core import inputs
from guishu.core.events import FactError, fact_from_dict
from guishu.record.actions import Appended, RecordInputError, append_fact
from guishu.record.models import Membership, Project
from guishu.sites.access import SiteAccess, require
from guishu.sites.actions import checked
from guishu.visits.models import ROLES, Signature, VisitForm


def _nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_nul(v) for v in value)
    return False


def _probe(data: dict[str, Any]) -> None:
    """The fact the form will become, checked now as the record will check it (every field
    named as the record names it), NUL characters included, which PostgreSQL cannot store."""
    if _nul(data):
        raise RecordInputError("form", "不能包含空字符 / must not contain NUL characters")
    try:
        fact_from_dict({**data, "id": "probe", "at": timezone.now().isoformat()})
    except FactError as exc:
        raise RecordInputError(exc.field, exc.message) from None


def _agent(project: Project, agent: str) -> Membership:
    member = Membership.objects.filter(project=project, staff=agent, role="agent", left_at__isnull=True).first()
    if member is None or not member.channel:
        raise RecordInputError("agent", "不是本案场在职的分销个人 / not a channel agent of this site")
    return member


def _gender(gender: str) -> str:
    if gender not in ("M", "F"):
        raise RecordInputError("gender", "必填 / required" if not gender else "应为男或女 / M or F")
    return gender


def _fact(form: VisitForm, signed: dict[str, str]) -> dict[str, Any]:
    """The visit_confirmation a form becomes, with the signatures given (role -> staff)."""
    return {
        "kind": "visit_confirmation",
        "name": form.name,
        "gender": form.gender,
        "phone": form.phone,
        "phone_shown": form.phone_shown,
        "entry_at": form.entry_at.isoformat(),
        "channel": form.channel,
        "agent": form.agent,
        "signoffs": [{"role": r, "staff": signed[r]} for r in ROLES if r in signed],
    }


def open_form(*, access: SiteAccess, name: str, gender: str, phone: str, phone_shown: str, agent: str) -> VisitForm:
    """S6.6: the clerk writes the visitor's full phone and entry time; S6.7: name, gender, mask.
    The channel is the named agent's own firm. Every value is checked against its column and
    the whole future fact (with three signatures) is probed before the form is stored: no one
    signs a confirmation the record would refuse."""
    require(access, "open_visit")
    name = checked("name", inputs.clean_name, name)  # VisitForm.name: 32, as NAME_MAX
    gender = _gender(gender)
    full = checked("phone", inputs.clean_phone, phone)  # E.164: at most 20 (VisitForm.phone)
    shown = checked("phone_shown", inputs.clean_report_phone, phone_shown)  # at most PHONE_MAX: 20
    member = _agent(access.project, checked("agent", inputs.clean_staff, agent))
    form = VisitForm(
        project=access.project,
        name=name,
        gender=gender,
        phone=full,
        phone_shown=shown,
        entry_at=timezone.now(),
        channel=member.channel,
        agent=member.staff,
        opened_by=access.user,
    )
    _probe(_fact(form, {r: "probe" for r in ROLES}))
    form.save()
    return form


def role_of(access: SiteAccess, form: VisitForm) -> str | None:
    """Which party of the form this person may sign for: the agent named on it, a clerk or the
    developer's marketing manager of the form's site."""
    if form.project_id != access.project.pk:
        return None
    if access.role == "agent":
        return "agent" if access.staff == form.agent and access.channel == form.channel else None
    if access.role in ("clerk", "marketing_manager"):
        return access.role
    return None


def sign(*, access: SiteAccess, form: VisitForm) -> Appended | None:
    """Sign for one's own role; the third signature submits the confirmation (S6.7).

    The fact is probed before the signature is stored (a form stored before its values were
    checked is refused, not signed), and a third signature whose append the record refuses is
    taken back, so the form stays open and no party has signed something that never became a fact.
    """
    require(access, "sign_visit")
    role = role_of(access, form)
    if role is None:
        raise RecordInputError("role", "无权签署此确认单 / you may not sign this form")
    if form.submitted:
        raise RecordInputError("form", "确认单已提交 / already submitted")
    signed = {s.role: s.user.get_username() for s in form.signatures.select_related("user")}
    if role in signed:
        raise RecordInputError("role", "该方已签字 / this party has signed already")
    _probe(_fact(form, {**{r: "probe" for r in ROLES}, **signed, role: access.staff}))
    with transaction.atomic():
        try:
            signature = Signature.objects.create(form=form, role=role, user=access.user)
        except IntegrityError:
            raise RecordInputError("role", "该方已签字 / this party has signed already") from None
    signed = {s.role: s.user.get_username() for s in form.signatures.select_related("user")}
    if not all(r in signed for r in ROLES):
        return None
    try:
        appended = append_fact(project=form.project, data=_fact(form, signed), actor=access.user)
    except RecordInputError:
        signature.delete()
        raise
    form.fact_id = appended.fact.id
    form.save(update_fields=["fact_id"])
    return appended


def confirm_alone(
    *, access: SiteAccess, name: str, gender: str, phone: str, named_channel: str, records_verified: bool
) -> Appended:
    """S6.8: a reported customer who came alone fills the form himself; the clerk records what he
    wrote (the channel, if he named one) and whether the channel's contact records checked out."""
    require(access, "open_visit")
    name = checked("name", inputs.clean_name, name)
    gender = _gender(gender)
    full = checked("phone", inputs.clean_phone, phone)
    named = checked("named_channel", inputs.clean_text, named_channel, max_length=64)
    now = timezone.now().isoformat()
    return append_fact(
        project=access.project,
        data={
            "kind": "visit_confirmation",
            "name": name.strip(),
            "gender": gender,
            "phone": full,
            "entry_at": now,
            "came_alone": True,
            "named_channel": named or None,
            "contact_records_verified": records_verified,
        },
        actor=access.user,
    )
