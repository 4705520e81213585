"""Facts a site records besides receptions and deals, each one fact under the signed-in
person's name:

- 提前备案 (S18.20): a consultant pre-files his old or relationship customer; pre-filed, his.
- 开发商关系客户告知 (S18.22): the developer announces in writing that a customer is related to
  it; the developer's marketing manager (or the site's manager) records the notice.
- 客户关系 (S8.3, S14.3f, S18.11): two customers are related (a family found after both were
  registered); the clerk or manager records it, and the policy decides whether it joins them.
- 节点 (S18.21): the site's milestones (internal subscription opened, launch), by the manager.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from guishu.core import inputs
from guishu.core.attribution import Attributor
from guishu.record import engines
from guishu.record.actions import Appended, RecordInputError, append_decided, append_fact
from guishu.sites.access import SiteAccess, require
from guishu.sites.actions import checked

MILESTONES = ("internal_subscription_opened", "launch")
RELATIONS = ("spouse", "parent", "child", "sibling", "friend", "colleague", "other")


# the clause of the site's policy each filing needs: a site whose policy has none is not offered it
CLAUSES = {"pre_file": "S18.20", "developer_notice": "S18.22", "milestone": "S18.21"}


def offered(access: SiteAccess, action: str) -> bool:
    """The person may take the action and the site's policy now has its clause."""
    if not access.can(action):
        return False
    clause = CLAUSES.get(action)
    if clause is None:
        return True
    return clause in engines.policy_now(access.project).rules


def _offered(access: SiteAccess, action: str) -> None:
    require(access, action)
    if not offered(access, action):
        raise RecordInputError(
            action, f"本案场制度没有这项登记({CLAUSES[action]}) / the site's policy has no such filing"
        )


def pre_file(*, access: SiteAccess, phone: str, name: str) -> Appended:
    _offered(access, "pre_file")
    full = checked("phone", inputs.clean_phone, phone)
    name = checked("name", inputs.clean_name, name, required=False)
    data: dict[str, Any] = {"kind": "pre_filing", "consultant": access.staff, "phone": full}
    if name:
        data["name"] = name
    return append_fact(project=access.project, data=data, actor=access.user)


def developer_notice(*, access: SiteAccess, phone: str, name: str) -> Appended:
    _offered(access, "developer_notice")
    full = checked("phone", inputs.clean_phone, phone)
    name = checked("name", inputs.clean_name, name, required=False)
    data: dict[str, Any] = {"kind": "developer_notice", "phone": full}
    if name:
        data["name"] = name
    return append_fact(project=access.project, data=data, actor=access.user)


def relate(*, access: SiteAccess, phone_a: str, phone_b: str, relation: str) -> Appended:
    require(access, "relate")
    a = checked("phone_a", inputs.clean_phone, phone_a)
    b = checked("phone_b", inputs.clean_phone, phone_b)
    if a == b:
        raise RecordInputError("phone_b", "与客户电话相同 / the same phone as the customer's")
    if relation not in RELATIONS:
        raise RecordInputError("relation", "不在可选的范围内 / not one of the relations")
    return append_fact(
        project=access.project,
        data={"kind": "relationship", "phone_a": a, "phone_b": b, "relation": relation},
        actor=access.user,
    )


def milestone(*, access: SiteAccess, name: str) -> Appended:
    _offered(access, "milestone")
    if name not in MILESTONES:
        raise RecordInputError("milestone", "不在可选的范围内 / not one of the milestones")

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        if name in engine.milestones:  # decided under the chain lock: recorded once
            raise RecordInputError("milestone", "该节点已登记 / this milestone is recorded already")
        return {"kind": "milestone", "name": name}

    return append_decided(project=access.project, decide=decide, actor=access.user)
