"""The back office: the clerk's day register and the manager's decisions.

Each decision is recorded as a fact with its reason; nothing is edited (S1.4, S8.12).
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guishu.desk import actions, selectors
from guishu.desk.views import DeskRequest, current_project
from guishu.policies import PRESET_IDS
from guishu.record.actions import RecordInputError
from guishu.record.models import Entry


@login_required
@permission_required("desk.check_registers", raise_exception=True)
def clerk(request: DeskRequest) -> HttpResponse:
    """内业: the day's registers with what does not count, and the open pending confirmations."""
    project = current_project(request)
    raw = request.GET.get("day", "")
    try:
        day = datetime.combine(datetime.fromisoformat(raw).date(), time(0), tzinfo=timezone.get_current_timezone())
    except ValueError:
        day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    context = {
        "project": project,
        "day": day,
        "lines": selectors.day_register(project, day),
        "pending": selectors.pending_now(project),
    }
    return render(request, "desk/clerk.html", context)


@login_required
@permission_required("desk.decide", raise_exception=True)
def manage(request: DeskRequest) -> HttpResponse:
    """经理: collisions, complaints awaiting review, rulings, the project's policy."""
    return render(request, "desk/manage.html", _manage_context(request))


def _manage_context(request: DeskRequest, error: str = "") -> dict[str, object]:
    project = current_project(request)
    return {
        "project": project,
        "collisions": selectors.collisions(project)[:50],
        "complaints": selectors.complaints_awaiting(project),
        "policies": selectors.policy_history(project),
        "presets": PRESET_IDS,
        "error": error,
    }


@login_required
@permission_required("desk.decide", raise_exception=True)
@require_POST
def approve(request: DeskRequest) -> HttpResponse:
    project = current_project(request)
    entry = Entry.objects.filter(project=project, kind="complaint", fact_id=request.POST.get("fact", "")).first()
    if entry is None:
        return HttpResponse(_("没有这条投诉 / no such complaint"), status=404)
    actions.approve_complaint(project=project, actor=request.user, complaint=entry.payload)
    return redirect("manage")


@login_required
@permission_required("desk.decide", raise_exception=True)
@require_POST
def ruling(request: DeskRequest) -> HttpResponse:
    project = current_project(request)
    try:
        actions.rule_owner(
            project=project,
            actor=request.user,
            phone=request.POST.get("phone", ""),
            owner=request.POST.get("owner", "").strip() or None,
            rule=request.POST.get("rule", "").strip(),
            reason=request.POST.get("reason", ""),
        )
    except RecordInputError as exc:
        labels = {"phone": _("客户电话"), "rule": _("依据条款"), "reason": _("理由")}
        message = f"{labels.get(exc.field, exc.field)}: {exc.message}"
        return render(request, "desk/manage.html", _manage_context(request, message), status=422)
    return redirect("manage")


@login_required
@permission_required("desk.decide", raise_exception=True)
@require_POST
def policy(request: DeskRequest) -> HttpResponse:
    project = current_project(request)
    raw = request.POST.get("effective_at", "")
    try:
        when = datetime.fromisoformat(raw)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.get_current_timezone())
        actions.change_policy(
            project=project, actor=request.user, policy=request.POST.get("policy", ""), effective_at=when.isoformat()
        )
    except ValueError as exc:
        field = exc.field if isinstance(exc, RecordInputError) else "effective_at"
        message = exc.message if isinstance(exc, RecordInputError) else _("生效时间格式不对 / bad time")
        return render(request, "desk/manage.html", _manage_context(request, f"{field}: {message}"), status=422)
    return redirect("manage")
