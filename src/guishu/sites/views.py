"""Where each person lands, each role's home at a site, and the site's administration."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guishu.policies import catalogue_ids, latest
from guishu.record.actions import RecordInputError
from guishu.sites import actions, selectors
from guishu.sites.access import SiteAccess, SiteRequest, is_group_admin, site_view
from guishu.sites.forms import ChannelForm, JoinForm, KeyForm, LabelledForm, NewSiteForm, RevokeForm, StaffForm
from guishu.sites.roles import ROLE_NAMES, role_name


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """After login: the one site's home, or the list of one's sites (and their roles)."""
    rows = selectors.sites_of(request.user)
    group_admin = is_group_admin(request.user)
    if len(rows) == 1 and not group_admin:
        return redirect("site_home", rows[0][0].code)
    return render(request, "sites/start.html", {"rows": rows, "group_admin": group_admin})


@site_view("home", methods=("GET",))
def site_home(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    """Each role's home: its menu, a few figures of the day and the work waiting for him."""
    from guishu.desk import homes  # the homes' contents are the desk's (it builds on the sites)

    context = {"project": site.project, "figures": selectors.home_figures(site), "sections": homes.sections(site)}
    return render(request, "sites/home.html", context)


def _admin_context(site: SiteAccess, **extra: object) -> dict[str, object]:
    firms = selectors.channels(site.project)
    return {
        "project": site.project,
        "staff": selectors.staff_of(site.project, firms),
        "channels": firms,
        "keys": selectors.keys_of(site.project),
        "roles": [(r, role_name(r)) for r in ROLE_NAMES],
        "channel_staff": selectors.channel_staff(site.project, firms),
        "may_duty": site.can("duty"),
        "may_pool": site.can("pool"),
        **extra,
    }


@site_view("administer", methods=("GET",))
def site_admin(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    """案场管理: staff joining and leaving, channel firms, agents' API keys, passwords.
    Day-to-day duty (days off, absences) belongs to the office screens."""
    return render(request, "sites/admin.html", _admin_context(site))


def _done(request: SiteRequest, site: SiteAccess, **extra: object) -> HttpResponse:
    return render(request, "sites/admin.html", _admin_context(site, **extra))


def _refused(
    request: SiteRequest, site: SiteAccess, form: LabelledForm, exc: RecordInputError | None = None
) -> HttpResponse:
    """The administration again, with what was refused named by its field."""
    if exc is not None:
        form.add_record_error(exc)
    return render(request, "sites/admin.html", _admin_context(site, error=form.error_text()), status=422)


@site_view("administer", methods=("POST",))
def join(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    form = JoinForm(request.POST)
    if not form.is_valid():
        return _refused(request, site, form)
    d = form.cleaned_data
    try:
        joined = actions.join_staff(access=site, **d)
    except RecordInputError as exc:
        return _refused(request, site, form, exc)
    note = _("%(name)s 已入职 · 登录名 %(staff)s") % {"name": d["name"], "staff": d["staff"]}
    return _done(request, site, done=note, once=joined.password, once_label=_("初始密码(只显示这一次)"))


@site_view("administer", methods=("POST",))
def leave(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    form = StaffForm(request.POST)
    if not form.is_valid():
        return _refused(request, site, form)
    staff = form.cleaned_data["staff"]
    try:
        actions.leave_staff(access=site, staff=staff)
    except RecordInputError as exc:
        return _refused(request, site, form, exc)
    name = selectors.names_of(site.project).get(staff, staff)
    return _done(request, site, done=_("%(name)s 已离职,其登录与密钥即时失效") % {"name": name})


@site_view("administer", methods=("POST",))
def channel(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    form = ChannelForm(request.POST)
    if not form.is_valid():
        return _refused(request, site, form)
    d = form.cleaned_data
    try:
        actions.add_channel(access=site, channel=d["channel"], name=d["name"])
    except RecordInputError as exc:
        return _refused(request, site, form, exc)
    return _done(request, site, done=_("分销单位 %(name)s 已加入") % {"name": d["name"]})


@site_view("administer", methods=("POST",))
def issue_key(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    form = KeyForm(request.POST)
    if not form.is_valid():
        return _refused(request, site, form)
    try:
        key, plain = actions.issue_key(access=site, agent=form.cleaned_data["agent"])
    except RecordInputError as exc:
        return _refused(request, site, form, exc)
    name = selectors.names_of(site.project).get(key.agent, key.agent)
    done = _("已为 %(name)s 签发接口密钥") % {"name": name}
    return _done(request, site, done=done, once=plain, once_label=_("接口密钥(只显示这一次)"))


@site_view("administer", methods=("POST",))
def revoke_key(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _refused(request, site, form)
    try:
        key = actions.revoke_key(access=site, key_id=form.cleaned_data["key"])
    except RecordInputError as exc:
        return _refused(request, site, form, exc)
    return _done(request, site, done=_("密钥 %(prefix)s… 已吊销") % {"prefix": key.prefix})


@site_view("administer", methods=("POST",))
def reset_password(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    form = StaffForm(request.POST)
    if not form.is_valid():
        return _refused(request, site, form)
    staff = form.cleaned_data["staff"]
    try:
        plain = actions.reset_password(access=site, staff=staff)
    except RecordInputError as exc:
        return _refused(request, site, form, exc)
    name = selectors.names_of(site.project).get(staff, staff)
    done = _("已重置 %(name)s 的密码") % {"name": name}
    return _done(request, site, done=done, once=plain, once_label=_("新密码(只显示这一次)"))


@login_required
def new_site(request: HttpRequest) -> HttpResponse:
    """The group admin opens a new site and chooses its policy."""
    if not is_group_admin(request.user):
        raise PermissionDenied
    presets = catalogue_ids()
    context: dict[str, object] = {"presets": presets, "default": latest("s8")}
    if request.method == "POST":
        assert isinstance(request.user, User)  # login_required
        form = NewSiteForm(request.POST)
        if form.is_valid():
            try:
                project = actions.create_site(user=request.user, **form.cleaned_data)
            except RecordInputError as exc:
                form.add_record_error(exc)
            else:
                return redirect("site_admin", project.code)
        return render(request, "sites/new.html", {**context, "error": form.error_text()}, status=422)
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "sites/new.html", context)
