"""Open a visit confirmation, sign it, and submit it to the record when all have signed."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from guishu.core.identity import PhoneError, normalise_phone
from guishu.record.actions import Appended, RecordInputError, append_fact
from guishu.record.models import Project
from guishu.visits.models import ROLES, Signature, VisitForm

ROLE_OF_GROUP = {"agent": "agent", "clerk": "clerk", "marketing_manager": "marketing_manager"}


def open_form(
    *, project: Project, clerk: User, name: str, gender: str, phone: str, phone_shown: str, channel: str, agent: str
) -> VisitForm:
    """S6.6: the clerk writes the visitor's full phone and entry time; S6.7: name, gender, mask."""
    missing = [
        k
        for k, v in (
            ("name", name),
            ("gender", gender),
            ("phone", phone),
            ("phone_shown", phone_shown),
            ("channel", channel),
            ("agent", agent),
        )
        if not v.strip()
    ]
    if missing:
        raise RecordInputError(missing[0], "必填 / required")
    try:
        full = normalise_phone(phone)
    except PhoneError as exc:
        raise RecordInputError("phone", str(exc)) from None
    return VisitForm.objects.create(
        project=project,
        name=name.strip(),
        gender=gender,
        phone=full,
        phone_shown=phone_shown.strip(),
        entry_at=timezone.now(),
        channel=channel.strip(),
        agent=agent.strip(),
        opened_by=clerk,
    )


def role_of(user: User, form: VisitForm) -> str | None:
    """Which party of the form this user may sign for: the form's agent, a clerk, the marketing manager."""
    groups = set(user.groups.values_list("name", flat=True))
    if "agent" in groups and user.get_username() == form.agent:
        return "agent"
    for role in ("clerk", "marketing_manager"):
        if role in groups:
            return role
    return None


def sign(*, form: VisitForm, user: User) -> Appended | None:
    """Sign for one's own role; the third signature submits the confirmation (S6.7)."""
    role = role_of(user, form)
    if role is None:
        raise RecordInputError("role", "无权签署此确认单 / you may not sign this form")
    if form.submitted:
        raise RecordInputError("form", "确认单已提交 / already submitted")
    with transaction.atomic():
        try:
            Signature.objects.create(form=form, role=role, user=user)
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
        actor=user,
    )
    form.fact_id = appended.fact.id
    form.save(update_fields=["fact_id"])
    return appended


def confirm_alone(
    *, project: Project, clerk: User, name: str, gender: str, phone: str, named_channel: str, records_verified: bool
) -> Appended:
    """S6.8: a reported customer who came alone fills the form himself; the clerk records what he
    wrote (the channel, if he named one) and whether the channel's contact records checked out."""
    if not name.strip() or gender not in ("M", "F"):
        raise RecordInputError("name" if not name.strip() else "gender", "必填 / required")
    try:
        full = normalise_phone(phone)
    except PhoneError as exc:
        raise RecordInputError("phone", str(exc)) from None
    now = timezone.now().isoformat()
    return append_fact(
        project=project,
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
        actor=clerk,
    )
