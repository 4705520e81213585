"""The confirmation desk (S18): a consultant's 客户确认单 handed in, signed by the confirmer.

The confirmer (the clerk, the manager, or the signing room outside the desk's hours, S18.1)
records the form under his own name with the time he signed it (S18.3), at most 24 hours ago
(S18.4). A form missing what the policy requires (S18.2) is refused before anything is written;
one the engine returns (over the quota S18.5, not on the day's visitor-and-call sheet S18.7, in
conflict with an earlier confirmation S18.4) is recorded, as the desk keeps a copy, and shown
returned with its reason. A re-confirmation (S18.21) hands the same form in again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from guishu.core import inputs
from guishu.core.handins import FIELD_ZH
from guishu.record import engines
from guishu.record.actions import Appended, RecordInputError, append_fact
from guishu.record.models import Entry, Membership, Project
from guishu.sites.access import SiteAccess, require
from guishu.sites.actions import checked
from guishu.sites.roles import SELLERS

CUSTOMER_NO_MAX = 32
NEED_MAX = 100
SIGNED_WITHIN = timedelta(hours=24)  # S18.4: entered within 24 hours of the signature
CLAUSE = "S18.3"  # the site's policy runs a confirmation desk


def has_desk(project: Project) -> bool:
    """The site's policy now runs a confirmation desk (S18.3)."""
    return CLAUSE in engines.policy_now(project).rules


def offered(access: SiteAccess) -> bool:
    """The person may record hand-ins and the site's policy has a confirmation desk."""
    return access.can("record_handin") and has_desk(access.project)


def hand_in(
    *,
    access: SiteAccess,
    consultant: str,
    phone: str,
    name: str = "",
    customer_no: str = "",
    company: str = "",
    contact_person: str = "",
    need: str = "",
    signed_at: datetime | None = None,
    amends: str = "",
) -> Appended:
    """One 客户确认单, signed by the person recording it at ``signed_at`` (now by default)."""
    require(access, "record_handin")
    policy = engines.policy_now(access.project)
    if CLAUSE not in policy.rules:
        raise RecordInputError("consultant", "本案场制度没有确认台(S18.3) / the site's policy has no confirmation desk")
    consultant = checked("consultant", inputs.clean_staff, consultant)
    member = Membership.objects.filter(project=access.project, staff=consultant, left_at__isnull=True).first()
    if member is None or member.role not in SELLERS:
        raise RecordInputError("consultant", "不是本案场在职的置业顾问 / not a consultant of this site")
    values = {
        "phone": checked("phone", inputs.clean_phone, phone) if phone.strip() else "",
        "name": checked("name", inputs.clean_name, name, required=False),
        "customer_no": checked("customer_no", inputs.clean_text, customer_no, max_length=CUSTOMER_NO_MAX),
        "company": checked("company", inputs.clean_text, company, max_length=64),
        "contact_person": checked("contact_person", inputs.clean_name, contact_person, required=False),
        "need": checked("need", inputs.clean_text, need, max_length=NEED_MAX),
    }
    # S18.2: what the form must carry; a company buyer also a contact person (S18.11)
    required = (*policy.handins.requires, *(("contact_person",) if values["company"] else ()))
    for key in required:
        if not values.get(key):
            raise RecordInputError(key, f"确认单必须填写{FIELD_ZH.get(key, key)}(S18.2) / required on the form (S18.2)")
    now = timezone.now()
    signed = signed_at or now
    if signed > now:
        raise RecordInputError("signed_at", "签字时间不能晚于现在 / the signature cannot be in the future")
    if signed < now - SIGNED_WITHIN:
        raise RecordInputError("signed_at", "确认单须在签字后24小时内录入(S18.4) / enter it within 24 hours (S18.4)")
    data: dict[str, Any] = {"kind": "handin", "consultant": consultant, "confirmer": access.staff}
    data |= {k: v for k, v in values.items() if v}
    data["signed_at"] = signed.isoformat()
    if access.role == "signing_room":
        data["signed_by_role"] = "signing_room"  # S18.1: outside the desk's hours
    if amends:
        amends = checked("amends", inputs.clean_text, amends, max_length=64)
        earlier = Entry.objects.filter(project=access.project, kind="handin", fact_id=amends).first()
        if earlier is None or earlier.payload.get("consultant") != consultant:
            raise RecordInputError("amends", "不是该顾问递交过的确认单 / not a hand-in of this consultant")
        data["amends"] = amends
    return append_fact(project=access.project, data=data, actor=access.user)


def reconfirm(*, access: SiteAccess, handin: str) -> Appended:
    """S18.21: the same form handed in again before its confirmation lapses, signed now."""
    require(access, "record_handin")
    handin = checked("handin", inputs.clean_text, handin, max_length=64, required=True)
    entry = Entry.objects.filter(project=access.project, kind="handin", fact_id=handin).first()
    if entry is None or not isinstance(entry.payload, dict):
        raise RecordInputError("handin", "记录中没有这张确认单 / no such hand-in in the record")
    p = entry.payload
    return hand_in(
        access=access,
        consultant=str(p.get("consultant", "")),
        phone=str(p.get("phone", "")),
        name=str(p.get("name", "")),
        customer_no=str(p.get("customer_no", "")),
        company=str(p.get("company", "")),
        contact_person=str(p.get("contact_person", "")),
        need=str(p.get("need", "")),
    )
