"""Small builders for the site screens: logins that are members of a site, clients, site URLs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from guishu.record.actions import append_fact
from guishu.record.models import GroupRole, Membership, Project

PASSWORD = "pw-guishu-1"  # noqa: S105


def user(
    username: str,
    role: str,
    name: str = "",
    *,
    project: Project | None = None,
    team: str | None = None,
    channel: str | None = None,
) -> User:
    """A login and his membership of the site (a staff_joined fact, as the admin screen writes
    it); the site is the only one, 'demo', unless named."""
    site = project or Project.objects.get(code="demo")
    u = User.objects.filter(username=username).first()
    if u is None:
        u = User.objects.create_user(username=username, password=PASSWORD, first_name=name or username)
    current = Membership.objects.filter(project=site, staff=username, left_at__isnull=True).first()
    if current is None or current.role != role:
        fact: dict[str, Any] = {"kind": "staff_joined", "staff": username, "name": name or username, "role": role}
        if team:
            fact["team"] = team
        if channel:
            fact["channel"] = channel
        append_fact(project=site, data=fact)
    return u


def group_admin(username: str = "admin", name: str = "集团管理员") -> User:
    u = User.objects.filter(username=username).first() or User.objects.create_user(
        username=username, password=PASSWORD, first_name=name
    )
    GroupRole.objects.get_or_create(user=u, defaults={"role": "group_admin"})
    return u


def client_for(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def at_site(path: str, code: str = "demo") -> str:
    """The URL of a site's screen: at_site('desk/') -> '/s/demo/desk/'."""
    return f"/s/{code}/{path.lstrip('/')}"
