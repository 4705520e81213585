"""Duty and a leaver's customers: the back office records who is away (S4.9, S7.4, S10.8,
S16.6 decide on it), and the manager assigns the customers a leaver leaves to the pool (S16.3:
"由经理安排", nobody takes them privately). Each write asks the site's rules, then one fact."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from guishu.core import inputs
from guishu.core.attribution import Attributor
from guishu.record.actions import Appended, RecordInputError, append_decided, append_fact
from guishu.record.models import Membership
from guishu.sites.access import SiteAccess, require
from guishu.sites.actions import checked
from guishu.sites.roles import SELLERS

# the statuses a person enters ("left" is the staff_left fact; "unknown" is no entry at all)
STATUSES = ("on_duty", "busy", "day_off", "absent", "out", "sick")
UNTIL_DAYS = 60  # a status entered ahead: a holiday, sick leave; further than that is a slip
REASON_MAX = 500
POOL_RULE = "S16.3"


def _seller(access: SiteAccess, staff: str, field: str) -> Membership:
    member = Membership.objects.filter(project=access.project, staff=staff, left_at__isnull=True).first()
    if member is None or member.role not in SELLERS:
        raise RecordInputError(field, "不是本案场在职的置业顾问 / not a consultant of this site")
    return member


def record_duty(*, access: SiteAccess, staff: str, status: str, until: datetime | None) -> Appended:
    """A consultant's status from now, until ``until`` (or his next duty entry)."""
    require(access, "duty")
    staff = checked("staff", inputs.clean_staff, staff)
    _seller(access, staff, "staff")
    if status not in STATUSES:
        raise RecordInputError("status", "不在可选的范围内 / not one of the statuses")
    now = timezone.now()
    if until is not None and not now < until <= now + timedelta(days=UNTIL_DAYS):
        raise RecordInputError("until", f"应晚于现在,最多 {UNTIL_DAYS} 天以后 / after now, within {UNTIL_DAYS} days")
    data: dict[str, Any] = {"kind": "duty", "staff": staff, "status": status}
    if until is not None:
        data["until"] = until.isoformat()
    return append_fact(project=access.project, data=data, actor=access.user)


def in_pool(engine: Attributor, group: str) -> bool:
    """The group is in the pool because its consultant left (S16.3), and nobody has it since."""
    g = engine.groups.get(group)
    return g is not None and g.owner.kind == "pool" and bool(g.current) and g.current[0].rule == POOL_RULE


def assign(*, access: SiteAccess, group: str, owner: str, reason: str) -> Appended:
    """S16.3: the manager's assignment of a leaver's customer, recorded as his ruling."""
    require(access, "pool")
    group = checked("group", inputs.clean_staff, group)
    owner = checked("owner", inputs.clean_staff, owner)
    _seller(access, owner, "owner")
    reason = checked("reason", inputs.clean_text, reason, max_length=REASON_MAX, required=True)

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        if not in_pool(engine, group):
            raise RecordInputError("group", "不在离职顾问的待分配客户中 / not a leaver's customer awaiting assignment")
        phone = engine.groups[group].members[0]
        return {
            "kind": "ruling",
            "phone": phone,
            "owner": owner,
            "by": access.staff,
            "rule": POOL_RULE,
            "reason": reason,
        }

    return append_decided(project=access.project, decide=decide, actor=access.user)
