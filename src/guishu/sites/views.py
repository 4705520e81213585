"""Where each person lands, each role's home at a site, and the site's administration."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from guishu.policies import catalogue_ids, latest
from guishu.record.actions import RecordInputError
from guishu.sites import actions, selectors
from guishu.sites.access import SiteAccess, SiteRequest, is_group_admin, site_view
from guishu.sites.roles import ROLE_NAMES

FIELD_LABELS = {
    "staff": "登录名",
    "name": "姓名",
    "role": "角色",
    "team": "小组",
    "channel": "分销单位",
    "agent": "分销人员",
    "key": "接口密钥",
    "code": "案场代码",
    "policy": "制度",
}


def _message(exc: RecordInputError) -> str:
    return f"{FIELD_LABELS.get(exc.field, exc.field)}: {exc.message.partition(' / ')[0]}"


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
    """Each role's home: its menu and a few figures of the day."""
    context = {"project": site.project, "figures": selectors.home_figures(site)}
    return render(request, "sites/home.html", context)


def _admin_context(site: SiteAccess, **extra: object) -> dict[str, object]:
    firms = selectors.channels(site.project)
    return {
        "project": site.project,
        "staff": selectors.staff_of(site.project, firms),
        "channels": firms,
        "keys": selectors.keys_of(site.project),
        "roles": [(r, zh) for r, (zh, _en) in ROLE_NAMES.items()],
        "channel_staff": selectors.channel_staff(site.project, firms),
        **extra,
    }


@site_view("administer", methods=("GET",))
def site_admin(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    """案场管理: staff joining and leaving, channel firms, agents' API keys, passwords.
    Day-to-day duty (days off, absences) belongs to the office screens."""
    return render(request, "sites/admin.html", _admin_context(site))


def _done(request: SiteRequest, site: SiteAccess, **extra: object) -> HttpResponse:
    return render(request, "sites/admin.html", _admin_context(site, **extra))


def _refused(request: SiteRequest, site: SiteAccess, exc: RecordInputError) -> HttpResponse:
    return render(request, "sites/admin.html", _admin_context(site, error=_message(exc)), status=422)


@site_view("administer", methods=("POST",))
def join(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    p = request.POST
    try:
        joined = actions.join_staff(
            access=site,
            staff=p.get("staff", ""),
            name=p.get("name", ""),
            role=p.get("role", ""),
            team=p.get("team", ""),
            channel=p.get("channel", ""),
        )
    except RecordInputError as exc:
        return _refused(request, site, exc)
    who = p.get("staff", "").strip()
    note = f"{p.get('name', '').strip()} 已入职 · 登录名 {who}"
    return _done(request, site, done=note, once=joined.password, once_label="初始密码(只显示这一次)")


@site_view("administer", methods=("POST",))
def leave(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    staff = request.POST.get("staff", "")
    try:
        actions.leave_staff(access=site, staff=staff)
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return _done(
        request, site, done=f"{selectors.names_of(site.project).get(staff, staff)} 已离职,其登录与密钥即时失效"
    )


@site_view("administer", methods=("POST",))
def channel(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    try:
        actions.add_channel(access=site, channel=request.POST.get("channel", ""), name=request.POST.get("name", ""))
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return _done(request, site, done=f"分销单位 {request.POST.get('name', '').strip()} 已加入")


@site_view("administer", methods=("POST",))
def issue_key(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    try:
        key, plain = actions.issue_key(access=site, agent=request.POST.get("agent", ""))
    except RecordInputError as exc:
        return _refused(request, site, exc)
    name = selectors.names_of(site.project).get(key.agent, key.agent)
    return _done(request, site, done=f"已为 {name} 签发接口密钥", once=plain, once_label="接口密钥(只显示这一次)")


@site_view("administer", methods=("POST",))
def revoke_key(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    raw = request.POST.get("key", "")
    try:
        key = actions.revoke_key(access=site, key_id=int(raw) if raw.isdigit() else 0)
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return _done(request, site, done=f"密钥 {key.prefix}… 已吊销")


@site_view("administer", methods=("POST",))
def reset_password(request: SiteRequest, site: SiteAccess) -> HttpResponse:
    staff = request.POST.get("staff", "")
    try:
        plain = actions.reset_password(access=site, staff=staff)
    except RecordInputError as exc:
        return _refused(request, site, exc)
    name = selectors.names_of(site.project).get(staff, staff)
    return _done(request, site, done=f"已重置 {name} 的密码", once=plain, once_label="新密码(只显示这一次)")


@login_required
def new_site(request: HttpRequest) -> HttpResponse:
    """The group admin opens a new site and chooses its policy."""
    if not is_group_admin(request.user):
        raise PermissionDenied
    presets = catalogue_ids()
    context: dict[str, object] = {"presets": presets, "default": latest("s8")}
    if request.method == "POST":
        p = request.POST
        try:
            assert isinstance(request.user, User)  # login_required
            project = actions.create_site(
                user=request.user,
                code=p.get("code", ""),
                name=p.get("name", ""),
                policy=p.get("policy", ""),
            )
        except RecordInputError as exc:
            return render(request, "sites/new.html", {**context, "error": _message(exc)}, status=422)
        return redirect("site_admin", project.code)
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "sites/new.html", context)
