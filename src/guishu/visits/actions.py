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

from guishu.core.events import FactError, fact_from_dict
from guishu.core.identity import PhoneError, normalise_phone
from guishu.record.actions import Appended, RecordInputError, append_fact
from guishu.record.models import Membership, Project
from guishu.sites.access import SiteAccess, require
from guishu.visits.models import ROLES, Signature, VisitForm

NAME_MAX = 32  # VisitForm.name's column


def _probe(data: dict[str, Any]) -> None:
    """The fact the form will become, checked now (every field named as the record names it)."""
    try:
        fact_from_dict({**data, "id": "probe", "at": timezone.now().isoformat()})
    except FactError as exc:
        raise RecordInputError(exc.field, exc.message) from None


def _agent(project: Project, agent: str) -> Membership:
    member = Membership.objects.filter(project=project, staff=agent, role="agent", left_at__isnull=True).first()
    if member is None or not member.channel:
        raise RecordInputError("agent", "不是本案场在职的分销个人 / not a channel agent of this site")
    return member


def open_form(*, access: SiteAccess, name: str, gender: str, phone: str, phone_shown: str, agent: str) -> VisitForm:
    """S6.6: the clerk writes the visitor's full phone and entry time; S6.7: name, gender, mask.
    The channel is the named agent's own firm."""
    require(access, "open_visit")
    for field, value in (("name", name), ("gender", gender), ("phone", phone), ("phone_shown", phone_shown)):
        if not value.strip():
            raise RecordInputError(field, "必填 / required")
    if len(name.strip()) > NAME_MAX:
        raise RecordInputError("name", f"姓名不超过 {NAME_MAX} 字 / at most {NAME_MAX} characters")
    try:
        full = normalise_phone(phone)
    except PhoneError as exc:
        raise RecordInputError("phone", str(exc)) from None
    member = _agent(access.project, agent)
    now = timezone.now()
    _probe(
        {
            "kind": "visit_confirmation",
            "name": name.strip(),
            "gender": gender,
            "phone": full,
            "phone_shown": phone_shown.strip(),
            "entry_at": now.isoformat(),
            "channel": member.channel,
            "agent": member.staff,
            "signoffs": [{"role": r, "staff": "probe"} for r in ROLES],
        }
    )
    return VisitForm.objects.create(
        project=access.project,
        name=name.strip(),
        gender=gender,
        phone=full,
        phone_shown=phone_shown.strip(),
        entry_at=now,
        channel=member.channel,
        agent=member.staff,
        opened_by=access.user,
    )


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
    """Sign for one's own role; the third signature submits the confirmation (S6.7)."""
    require(access, "sign_visit")
    role = role_of(access, form)
    if role is None:
        raise RecordInputError("role", "无权签署此确认单 / you may not sign this form")
    if form.submitted:
        raise RecordInputError("form", "确认单已提交 / already submitted")
    with transaction.atomic():
        try:
            Signature.objects.create(form=form, role=role, user=access.user)
        except IntegrityError:
            raise RecordInputError("role", "该方已签字 / this party has signed already") from None
    signed = {s.role: s.user.get_username() for s in form.signatures.select_related("user")}
    if not all(r in signed for r in ROLES):
        return None
    appended = append_fact(
        project=form.project,
        data={
            "kind": "visit_confirmation",
            "name": form.name,
            "gender": form.gender,
            "phone": form.phone,
            "phone_shown": form.phone_shown,
            "entry_at": form.entry_at.isoformat(),
            "channel": form.channel,
            "agent": form.agent,
            "signoffs": [{"role": r, "staff": signed[r]} for r in ROLES],
        },
        actor=access.user,
    )
    form.fact_id = appended.fact.id
    form.save(update_fields=["fact_id"])
    return appended


def confirm_alone(
    *, access: SiteAccess, name: str, gender: str, phone: str, named_channel: str, records_verified: bool
) -> Appended:
    """S6.8: a reported customer who came alone fills the form himself; the clerk records what he
    wrote (the channel, if he named one) and whether the channel's contact records checked out."""
    require(access, "open_visit")
    if not name.strip() or gender not in ("M", "F"):
        raise RecordInputError("name" if not name.strip() else "gender", "必填 / required")
    try:
        full = normalise_phone(phone)
    except PhoneError as exc:
        raise RecordInputError("phone", str(exc)) from None
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
            "named_channel": named_channel.strip() or None,
            "contact_records_verified": records_verified,
        },
        actor=access.user,
    )
