"""Site administration: sites, staff joining and leaving, channel firms, API keys, passwords.

Each action asks the site's access rules first. People and firms are facts in the site's record
(``staff_joined``, ``staff_left``, ``channel_joined``); a login and a key are the shell's.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from guishu.api import keys
from guishu.api.models import ApiKey
from guishu.core import inputs
from guishu.core.inputs import InputError
from guishu.policies import catalogue_ids
from guishu.record.actions import Appended, RecordInputError, append_fact, create_project
from guishu.record.models import Membership, Project
from guishu.sites.access import SiteAccess, is_group_admin, require
from guishu.sites.roles import ROLE_NAMES
from guishu.sites.selectors import CHANNEL_ROLES, channels
from guishu.sites.sessions import end_sessions

STAFF_ID = re.compile(r"[a-z][a-z0-9_.-]{1,31}")
SITE_CODE = re.compile(r"[a-z][a-z0-9-]{1,31}")
CHANNEL_ID = re.compile(r"[a-z][a-z0-9_-]{0,31}")


def checked(field: str, clean: Callable[..., str], value: str | None, **options: Any) -> str:
    """A value through a ``core.inputs`` check, refused as the record refuses (the field named):
    the actions check what they are given whoever calls them, not only the screens' forms."""
    try:
        return clean(value, **options)
    except InputError as exc:
        raise RecordInputError(field, f"{exc.zh} / {exc.en}") from None


def new_password() -> str:
    """A first password or a reset one: shown once to the manager, who hands it over."""
    return secrets.token_urlsafe(9)


def create_site(*, user: User, code: str, name: str, policy: str, timezone_name: str = "Asia/Shanghai") -> Project:
    """The group admin opens a site under a preset version (the latest by default)."""
    if not is_group_admin(user):
        raise PermissionDenied("只有集团管理员可以新建案场")
    code = checked("code", inputs.clean_staff, code, required=False)
    if not SITE_CODE.fullmatch(code):
        raise RecordInputError(
            "code", "案场代码应为 2-32 位小写字母、数字或连字符,以字母开头 / 2-32 lowercase letters, digits, '-'"
        )
    if Project.objects.filter(code=code).exists():
        raise RecordInputError("code", f"案场代码 {code} 已存在 / already taken")
    name = checked("name", inputs.clean_text, name, max_length=100, required=True)  # Project.name
    if policy not in catalogue_ids():
        raise RecordInputError("policy", "未知的制度 / unknown preset")
    return create_project(code=code, name=name, policy=policy, timezone_name=timezone_name)


@dataclass(frozen=True)
class Joined:
    appended: Appended
    password: str | None  # a new login's first password (shown once), None for an existing login


def join_staff(*, access: SiteAccess, staff: str, name: str, role: str, team: str = "", channel: str = "") -> Joined:
    """A person joins the site in one role; a new person gets his login and first password."""
    require(access, "administer")
    staff = checked("staff", inputs.clean_staff, staff, required=False)
    if not STAFF_ID.fullmatch(staff):
        raise RecordInputError(
            "staff", "登录名应为 2-32 位小写字母、数字或 . _ -,以字母开头 / 2-32 lowercase letters, digits"
        )
    name = checked("name", inputs.clean_name, name)
    if role not in ROLE_NAMES:
        raise RecordInputError("role", "未知的角色 / unknown role")
    team = checked("team", inputs.clean_text, team, max_length=16)
    channel = checked("channel", inputs.clean_text, channel, max_length=64)
    if role in CHANNEL_ROLES:
        if channel not in channels(access.project):
            raise RecordInputError("channel", "请选择本案场的分销单位 / choose a channel firm of this site")
    elif channel:
        raise RecordInputError("channel", "只有分销人员关联分销单位 / only channel staff belong to a firm")
    if Membership.objects.filter(project=access.project, staff=staff, left_at__isnull=True).exists():
        raise RecordInputError("staff", f"{staff} 已在本案场任职 / already works at this site")
    password = None
    if not User.objects.filter(username=staff).exists():
        # the login first: a staff_joined fact whose append then fails leaves a login that may
        # do nothing (no membership), never a member who cannot sign in
        password = new_password()
        User.objects.create_user(username=staff, password=password, first_name=name)
    appended = append_fact(
        project=access.project,
        data={
            "kind": "staff_joined",
            "staff": staff,
            "name": name,
            "role": role,
            "team": team or None,
            "channel": channel or None,
        },
        actor=access.user,
    )
    return Joined(appended, password)


def leave_staff(*, access: SiteAccess, staff: str) -> Appended:
    """S16.3: a person leaves the site. From the commit of the staff_left fact he may do nothing
    there (every check reads the membership); his keys for the site are revoked and, when he
    works at no other site, his sessions end."""
    require(access, "administer")
    staff = checked("staff", inputs.clean_staff, staff)
    member = Membership.objects.filter(project=access.project, staff=staff, left_at__isnull=True).first()
    if member is None:
        raise RecordInputError("staff", "不是本案场在职人员 / not on this site's staff")
    if staff == access.staff:
        raise RecordInputError("staff", "不能为自己办理离职 / you cannot remove yourself")
    appended = append_fact(project=access.project, data={"kind": "staff_left", "staff": staff}, actor=access.user)
    keys.revoke(ApiKey.objects.filter(project=access.project, agent=staff, revoked_at__isnull=True), actor=access.user)
    user = User.objects.filter(username=staff).first()
    if user is not None:
        end_sessions(user.pk)
    return appended


def add_channel(*, access: SiteAccess, channel: str, name: str) -> Appended:
    require(access, "administer")
    channel = checked("channel", inputs.clean_text, channel, max_length=32)
    if not CHANNEL_ID.fullmatch(channel):
        raise RecordInputError("channel", "单位代码应为小写字母、数字、- 或 _ / lowercase letters, digits, '-', '_'")
    if channel in channels(access.project):
        raise RecordInputError("channel", f"分销单位 {channel} 已存在 / already a firm of this site")
    return append_fact(
        project=access.project,
        data={
            "kind": "channel_joined",
            "channel": channel,
            "name": checked("name", inputs.clean_text, name, max_length=64, required=True),
        },
        actor=access.user,
    )


def issue_key(*, access: SiteAccess, agent: str) -> tuple[ApiKey, str]:
    """An agent's API key for this site (the plain key is shown once)."""
    require(access, "administer")
    agent = checked("agent", inputs.clean_staff, agent)
    member = Membership.objects.filter(
        project=access.project, staff=agent, role__in=CHANNEL_ROLES, left_at__isnull=True
    ).first()
    if member is None or not member.channel:
        raise RecordInputError("agent", "不是本案场在职的分销人员 / not channel staff of this site")
    return keys.issue(project=access.project, agent=member.staff, channel=member.channel, actor=access.user)


def revoke_key(*, access: SiteAccess, key_id: int) -> ApiKey:
    require(access, "administer")
    if not 0 < key_id < 2**63:
        raise RecordInputError("key", "没有这把有效的密钥 / no such live key at this site")
    key = ApiKey.objects.filter(pk=key_id, project=access.project, revoked_at__isnull=True).first()
    if key is None:
        raise RecordInputError("key", "没有这把有效的密钥 / no such live key at this site")
    keys.revoke([key], actor=access.user)
    return key


def reset_password(*, access: SiteAccess, staff: str) -> str:
    """A new password for a person of this site, shown once; his sessions end.

    A site's manager resets only people every one of whose sites he administers: a login shared
    by several sites is never taken over from one of them. The group admin resets anyone but
    another group admin.
    """
    require(access, "administer")
    staff = checked("staff", inputs.clean_staff, staff)
    user = User.objects.filter(username=staff).first()
    here = Membership.objects.filter(project=access.project, staff=staff, left_at__isnull=True).exists()
    if user is None or not here:
        raise RecordInputError("staff", "不是本案场在职人员 / not on this site's staff")
    if staff == access.staff:
        raise RecordInputError("staff", "请在个人设置中修改自己的密码 / change your own password yourself")
    if is_group_admin(user):
        raise RecordInputError("staff", "集团管理员的密码只能由本人修改 / a group admin changes his own")
    if not access.group_admin:
        sites = set(Membership.objects.filter(staff=staff, left_at__isnull=True).values_list("project_id", flat=True))
        mine = set(
            Membership.objects.filter(
                staff=access.staff, role__in=("manager", "admin"), left_at__isnull=True
            ).values_list("project_id", flat=True)
        )
        if not sites <= mine:
            raise RecordInputError("staff", "此人还在您不管理的案场任职,请由集团管理员重置 / ask the group admin")
    password = new_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    end_sessions(user.pk)
    return password
