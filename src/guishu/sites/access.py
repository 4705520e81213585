"""The one place that decides who may do what at which site.

A request's site comes from its URL (``/s/<site>/...``) and is only ever used through the
signed-in person's membership of it (``Membership``, the projection of the site's
``staff_joined`` / ``staff_left`` facts) or his group-level role. A site he is not a member
of answers 404, as if it did not exist; an action his role may not take answers 403.
Every site view is wrapped by ``site_view(action)``; the access-matrix test checks that every
URL is, and what each role gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.record import projects
from guishu.record.actions import RecordInputError
from guishu.record.models import GroupRole, Membership, Project
from guishu.sites.roles import GROUP_ADMIN, allowed


class NotPermitted(RecordInputError):
    """An action refused for who asks, not for what he wrote (a claim of one's own filing, a
    follow-up of another's customer): screens answer 403 with the message."""


@dataclass(frozen=True)
class SiteAccess:
    """A signed-in person at one site: his role there (None for a group admin who is not on
    the site's staff), his staff id (his login), team and channel firm."""

    project: Project
    user: User
    staff: str
    name: str
    role: str | None
    team: str = ""
    channel: str = ""
    group_admin: bool = False

    def can(self, action: str) -> bool:
        return allowed(self, action)


def is_group_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return GroupRole.objects.filter(user_id=user.pk, role=GROUP_ADMIN).exists()


def access_for(user: AbstractBaseUser | AnonymousUser, code: str) -> SiteAccess | None:
    """The person's access to the site with this code, or None: not a member (or gone)."""
    if not user.is_authenticated or not isinstance(user, User):
        return None
    project = projects.by_code(code)
    if project is None:
        return None
    member = Membership.objects.filter(project=project, staff=user.get_username(), left_at__isnull=True).first()
    group_admin = is_group_admin(user)
    if member is None and not group_admin:
        return None
    if member is None:
        return SiteAccess(
            project, user, user.get_username(), user.first_name or user.get_username(), None, group_admin=True
        )
    return SiteAccess(
        project, user, member.staff, member.name, member.role, member.team, member.channel, group_admin=group_admin
    )


def memberships_of(user: AbstractBaseUser | AnonymousUser) -> list[Membership]:
    """The sites where this person works now, oldest first."""
    if not user.is_authenticated:
        return []
    rows = Membership.objects.filter(staff=user.get_username(), left_at__isnull=True).select_related("project")
    return list(rows.order_by("project_id"))


def has_any_access(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(memberships_of(user)) or is_group_admin(user)


class SiteRequest(HttpRequest):
    user: User
    site_access: SiteAccess


V = TypeVar("V", bound=Callable[..., HttpResponse])


def site_view(
    action: str, *, methods: tuple[str, ...] = ("GET", "POST"), login_keeps_query: bool = True
) -> Callable[[V], V]:
    """Wrap a site view: login, membership of the URL's site, the action's rule, the methods.

    The view is called as ``view(request, access, **kwargs)`` with the site's ``SiteAccess``.
    The login page sends the person back to the URL he asked for; without ``login_keeps_query``
    to its path only (a desk URL's query may be a phone, which must not travel on, S3.1).
    """

    def wrap(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, site: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path() if login_keeps_query else request.path)
            access = access_for(request.user, site)
            if access is None:
                raise Http404(_("没有这个案场"))
            request.site_access = access  # type: ignore[attr-defined]  # the 403 page shows his menu
            if not access.can(action):
                raise PermissionDenied(_("您在本案场的角色不能进行此操作"))
            if request.method not in methods:
                response = HttpResponse(_("不支持此请求方式"), status=405)
                response["Allow"] = ", ".join(methods)
                return response
            # the site's own zone for the whole view: forms read a time without an offset, and
            # "today", in it; the record's times are aware and keep their instant
            with timezone.override(access.project.timezone):
                return view(request, access, *args, **kwargs)

        wrapper.site_action = action  # type: ignore[attr-defined]  # read by the access-matrix test
        return wrapper  # type: ignore[return-value]

    return wrap


def require(access: SiteAccess, action: str) -> None:
    """Actions ask again before they write: a view is one way in, never the only check."""
    if not access.can(action):
        raise PermissionDenied(_("您在本案场的角色不能进行此操作"))
