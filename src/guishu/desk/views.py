"""Desk screens: validate, call one action, render. No rules live here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from guishu.desk import actions, selectors
from guishu.desk.forms import LookupForm, RegistrationForm
from guishu.record import projects
from guishu.record.actions import RecordInputError
from guishu.record.models import Project


class DeskRequest(HttpRequest):
    """What the middleware adds: the signed-in user and htmx details."""

    htmx: HtmxDetails
    user: User  # every desk view requires a login


def current_project(request: HttpRequest) -> Project:
    code = request.GET.get("project") or request.session.get("project") or "demo"
    project = projects.by_code(code) or projects.first()
    if project is None:
        raise Http404(_("还没有案场 / no project yet"))
    return project


class RateLimitedLoginView(auth_views.LoginView):
    """Login attempts are limited per user name and address (brute force)."""

    template_name = "desk/login.html"

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        key = f"login:{request.POST.get('username', '')}:{request.META.get('REMOTE_ADDR', '')}"
        attempts = cache.get(key, 0)
        if attempts >= settings.LOGIN_ATTEMPTS:
            return render(
                request,
                self.template_name,
                {"form": self.get_form(), "locked": True},
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:
            cache.set(key, attempts + 1, settings.LOGIN_WINDOW_SECONDS)
        else:
            cache.delete(key)
        return response


@login_required
@permission_required("desk.judge", raise_exception=True)
def desk(request: DeskRequest) -> HttpResponse:
    """判客: look a customer up; register a call or visit."""
    project = current_project(request)
    form = LookupForm(request.GET or None)
    result = selectors.lookup(project, form.data.get("q", "") if form.is_bound else "", request.user)
    if request.htmx:  # the results partial: no registration form to build
        return render(request, "desk/_results.html", {"project": project, "result": result})
    context = {"project": project, "form": form, "result": result, "reg": RegistrationForm(initial={"mode": "visit"})}
    return render(request, "desk/desk.html", context)


@login_required
@permission_required("desk.register", raise_exception=True)
@require_POST
def register(request: DeskRequest) -> HttpResponse:
    project = current_project(request)
    form = RegistrationForm(request.POST)
    appended = None
    if form.is_valid():
        try:
            appended = actions.register_contact(
                project=project,
                actor=request.user,
                data=form.fact(request.user.get_username(), clerk=request.user.has_perm("desk.check_registers")),
            )
        except RecordInputError as exc:
            form.add_record_error(exc.field, exc.message)
    cards = []
    if appended is not None:
        for v in appended.verdicts:
            c = selectors.card(project, v.group, request.user, _("刚登记"))
            if c:
                cards.append(c)
    status = 200 if appended is not None else 422
    return render(request, "desk/_registered.html", {"reg": form, "cards": cards, "project": project}, status=status)


@login_required
def mine(request: DeskRequest) -> HttpResponse:
    """The consultant's customers: protection countdowns and pending claims (S8.10, S8.11)."""
    project = current_project(request)
    verdicts = selectors.my_customers(project, request.user.get_username())
    cards = [selectors.card(project, v.group, request.user, "") for v in verdicts]
    return render(request, "desk/mine.html", {"project": project, "cards": [c for c in cards if c]})


@login_required
@require_POST
def follow_up(request: DeskRequest) -> HttpResponse:
    project = current_project(request)
    group = request.POST.get("group", "")
    v = selectors.verdict_now(project, group)
    if v is None or v.owner.id != request.user.get_username():
        return HttpResponse(_("只能跟进自己的客户 / only your own customers"), status=403)
    actions.log_follow_up(
        project=project, actor=request.user, phone=v.members[0], method=request.POST.get("method", "call")
    )
    c = selectors.card(project, group, request.user, "")
    return render(request, "desk/_card.html", {"c": c, "project": project, "mine": True})


@login_required
@require_POST
def claim(request: DeskRequest) -> HttpResponse:
    project = current_project(request)
    group = request.POST.get("group", "")
    v = selectors.verdict_now(project, group)
    pending = next((r.facts[0] for r in reversed(v.reasons) if r.rule == "S8.10" and r.facts), None) if v else None
    if v is None or v.state != "pending" or pending is None:
        return HttpResponse(_("没有待确认的登记 / nothing pending"), status=409)
    actions.claim_pending(project=project, actor=request.user, pending=pending)
    c = selectors.card(project, group, request.user, "")
    return render(request, "desk/_card.html", {"c": c, "project": project, "mine": True})


@login_required
@permission_required("desk.view_trail", raise_exception=True)
def trail(request: DeskRequest, group: str) -> HttpResponse:
    """The full trail of a customer: every fact, who, when, its chain position (S18.18)."""
    project = current_project(request)
    c = selectors.card(project, group, request.user, "")
    if c is None:
        raise Http404(_("没有这个客户组 / no such customer group"))
    entries = selectors.trail(project, group)
    return render(request, "desk/trail.html", {"project": project, "c": c, "entries": entries})
