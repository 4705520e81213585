"""The back office: the clerk's day register and claims to verify, the manager's decisions.

Each decision is recorded as a fact with its reason; nothing is edited (S1.4, S8.12).
"""

from __future__ import annotations

from datetime import datetime, time

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.desk import actions, selectors
from guishu.desk.views import DeskRequest
from guishu.policies import catalogue_ids
from guishu.record.actions import RecordInputError
from guishu.sites.access import NotPermitted, SiteAccess, site_view

FIELD_LABELS = {
    "phone": _("客户电话"),
    "owner": _("归属顾问"),
    "rule": _("依据条款"),
    "reason": _("理由"),
    "policy": _("制度"),
    "effective_at": _("生效时间"),
    "fact": _("投诉"),
    "claim": _("认领"),
    "group": _("客户"),
}


def _message(exc: RecordInputError) -> str:
    zh, _sep, _en = exc.message.partition(" / ")
    return f"{FIELD_LABELS.get(exc.field, exc.field)}: {zh}"


@site_view("check_registers", methods=("GET",))
def clerk(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """内业: the day's registers with what does not count, and the claims to verify."""
    return render(request, "desk/clerk.html", _clerk_context(request, site))


def _clerk_context(request: DeskRequest, site: SiteAccess, error: str = "") -> dict[str, object]:
    raw = request.GET.get("day", "")
    try:
        day = datetime.combine(datetime.fromisoformat(raw).date(), time(0), tzinfo=timezone.get_current_timezone())
    except (ValueError, OverflowError):
        day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "project": site.project,
        "site": site,
        "day": day,
        "lines": selectors.day_register(site.project, day),
        "pending": selectors.pending_now(site.project),
        "error": error,
    }


@site_view("verify_claim", methods=("POST",))
def verify_claim(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """S8.10 "经核实": the clerk or manager confirms or refuses a claim, under his own name."""
    p = request.POST
    try:
        actions.verify_claim(
            access=site, group=p.get("group", ""), claim=p.get("claim", ""), approved=p.get("approved") == "yes"
        )
    except RecordInputError as exc:
        status = 403 if isinstance(exc, NotPermitted) else 422
        return render(request, "desk/clerk.html", _clerk_context(request, site, _message(exc)), status=status)
    return redirect("clerk", site.project.code)


@site_view("decide", methods=("GET",))
def manage(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """经理: collisions, complaints awaiting review, rulings, the project's policy."""
    return render(request, "desk/manage.html", _manage_context(site))


def _manage_context(site: SiteAccess, error: str = "") -> dict[str, object]:
    project = site.project
    return {
        "project": project,
        "site": site,
        "collisions": selectors.collisions(project)[:50],
        "complaints": selectors.complaints_awaiting(project),
        "policies": selectors.policy_history(project),
        "presets": catalogue_ids(),
        "sellers": selectors.sellers(project),
        "error": error,
    }


def _refused(request: DeskRequest, site: SiteAccess, exc: RecordInputError) -> HttpResponse:
    return render(request, "desk/manage.html", _manage_context(site, _message(exc)), status=422)


@site_view("decide", methods=("POST",))
def approve(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    try:
        actions.approve_complaint(access=site, fact=request.POST.get("fact", ""))
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return redirect("manage", site.project.code)


@site_view("decide", methods=("POST",))
def ruling(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    p = request.POST
    try:
        actions.rule_owner(
            access=site,
            phone=p.get("phone", ""),
            owner=p.get("owner", "").strip() or None,
            rule=p.get("rule", "").strip(),
            reason=p.get("reason", ""),
        )
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return redirect("manage", site.project.code)


@site_view("decide", methods=("POST",))
def policy(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    raw = request.POST.get("effective_at", "").strip()
    try:
        when = None
        if raw:
            try:
                when = datetime.fromisoformat(raw)
            except ValueError:
                raise RecordInputError("effective_at", "时间格式不对,应为 2026-12-01T09:00 / bad time") from None
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.get_current_timezone())
        actions.change_policy(access=site, policy=request.POST.get("policy", ""), effective_at=when)
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return redirect("manage", site.project.code)
