"""Reads for the site screens: the people of a site, its keys, what each role's home shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.api.models import ApiKey
from guishu.record.models import Entry, Membership, Project
from guishu.sites.access import SiteAccess, is_group_admin, memberships_of
from guishu.sites.roles import GROUP_ADMIN, role_name
from guishu.sites.templatetags import words


def sites_of(user: AbstractBaseUser | AnonymousUser) -> list[tuple[Project, str]]:
    """The sites this person may open, with his role's name at each (in the active language):
    his memberships, and for the group admin every other site too."""
    members = memberships_of(user)
    rows = [(m.project, role_name(m.role)) for m in members]
    if is_group_admin(user):
        mine = {m.project_id for m in members}
        rows += [(p, role_name(GROUP_ADMIN)) for p in Project.objects.order_by("pk") if p.pk not in mine]
    return rows


@dataclass(frozen=True)
class StaffRow:
    member: Membership
    role_name: str
    firm: str


CHANNEL_ROLES = ("agent", "channel_manager")


def channels(project: Project) -> dict[str, str]:
    """The site's channel firms, id -> name, from its channel_joined facts."""
    return words.firms_of(project)


def channel_staff(
    project: Project, firms: dict[str, str], roles: tuple[str, ...] = CHANNEL_ROLES
) -> list[tuple[str, str, str]]:
    """The site's channel people at work now, as (staff, name, firm's name), by firm."""
    rows = Membership.objects.filter(project=project, role__in=roles, left_at__isnull=True).order_by("channel", "name")
    return [(m.staff, m.name, firms.get(m.channel, m.channel)) for m in rows]


def staff_of(project: Project, firms: dict[str, str]) -> list[StaffRow]:
    rows = Membership.objects.filter(project=project).order_by("left_at", "role", "team", "name")
    return [StaffRow(m, role_name(m.role), firms.get(m.channel, m.channel)) for m in rows]


def keys_of(project: Project) -> list[tuple[ApiKey, str]]:
    """The site's API keys, live first, each with its agent's name."""
    names = names_of(project)
    keys = ApiKey.objects.filter(project=project).order_by("revoked_at", "-created_at")[:200]
    return [(k, names.get(k.agent, k.agent)) for k in keys]


def names_of(project: Project) -> dict[str, str]:
    return words.people_of(project)


@dataclass(frozen=True)
class HomeFigure:
    label: str
    value: int


def home_figures(access: SiteAccess) -> list[HomeFigure]:
    """A few figures of the day for the role's home (the office issue fills the homes out)."""
    from guishu.desk import selectors

    project = access.project
    figures: list[HomeFigure] = []
    # the site's day: from its own local midnight (Project.timezone)
    start = timezone.localtime(timezone=words.site_zone(project)).replace(hour=0, minute=0, second=0, microsecond=0)
    if access.can("own_customers"):
        figures.append(HomeFigure(_("我的客户"), len(selectors.my_customers(project, access.staff))))
        claimable = [i for i in selectors.pending_now(project) if i.filer != access.staff]
        figures.append(HomeFigure(_("可认领的待确认客户"), len(claimable)))
    if access.can("check_registers") or access.role == "front_desk":
        today = Entry.objects.filter(project=project, kind="registration", at__gte=start).count()
        figures.append(HomeFigure(_("今日登记"), today))
    if access.can("verify_claim"):
        waiting = sum(len(i.claims) for i in selectors.pending_now(project))
        figures.append(HomeFigure(_("待核实的认领"), waiting))
    if access.can("decide"):
        figures.append(HomeFigure(_("待审核的投诉"), len(selectors.complaints_awaiting(project))))
    if access.role in ("finance", "signing_room", "marketing_manager"):
        deals = Entry.objects.filter(project=project, kind="deal").count()
        figures.append(HomeFigure(_("成交记录"), deals))
    if access.can("administer"):
        people = Membership.objects.filter(project=project, left_at__isnull=True).count()
        figures.append(HomeFigure(_("在职人员"), people))
    return figures
