"""Each role's menu at a site: the screens its actions reach, in the order a person uses them."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from guishu.sites.access import SiteAccess, memberships_of
from guishu.sites.roles import GROUP_ADMIN, role_name

# (the action that opens the screen, its URL name, its label)
MENU = (
    ("home", "site_home", _("首页")),
    ("judge", "desk", _("判客")),
    ("run_queue", "rotation", _("轮序")),
    ("own_turn", "rotation_me", _("我的轮次")),
    ("own_customers", "mine", _("我的客户")),
    ("check_registers", "clerk", _("内业")),
    ("duty", "duty", _("考勤")),
    ("decide", "manage", _("经理")),
    ("pool", "duty_pool", _("离职客户")),
    ("handins", "handins", _("确认台")),
    ("deals", "deals", _("成交")),
    ("penalties", "penalties", _("罚款台账")),
    ("statements", "statements", _("结佣单")),
    ("own_statement", "statement_mine", _("我的结佣")),
    ("disputes", "disputes", _("投诉与争议")),
    ("filings", "filings", _("备案与关系")),
    ("audit_views", "full_views", _("查看记录")),
    ("fairness", "rotation_fairness", _("轮序公平")),
    ("visits", "visit_forms", _("来访确认")),
    ("agent_page", "agent", _("我的报备")),
    ("administer", "site_admin", _("案场管理")),
)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    action: str


def menu_for(access: SiteAccess) -> list[MenuItem]:
    code = access.project.code
    return [
        MenuItem(str(label), reverse(name, args=[code]), action) for action, name, label in MENU if access.can(action)
    ]


def site_menu(request: HttpRequest) -> dict[str, object]:
    """Context processor: the menu of the request's site, and the person's other sites; both
    drawn only when a template shows them (the polled parts of a screen never do)."""
    access: SiteAccess | None = getattr(request, "site_access", None)
    if access is None:
        return {}
    user = request.user
    return {
        "site": access,
        "menu": SimpleLazyObject(lambda: menu_for(access)),
        "role_name": role_name(access.role or GROUP_ADMIN),
        "other_sites": SimpleLazyObject(lambda: [m for m in memberships_of(user) if m.project_id != access.project.pk]),
    }
