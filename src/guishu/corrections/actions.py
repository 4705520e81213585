"""Corrections, never edits (S1.4, S8.12): a clerk or manager voids a wrong fact with a reason.

The voided fact stays in the record and in the customer's history; the correction is a new
fact naming it, who voided it and why, decided under the chain lock so that two people voiding
the same fact at once record one correction, not two.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from guishu.core import inputs
from guishu.core.attribution import Attributor
from guishu.record.actions import Appended, RecordInputError, append_decided
from guishu.record.models import Entry
from guishu.sites.access import SiteAccess, require
from guishu.sites.actions import checked

REASON_MAX = 500
FACT_ID_MAX = 64  # Entry.fact_id
# the facts a person on site enters, and so may void: a registration, a follow-up, a pending
# confirmation and its claims, a complaint, a duty entry, a deal and its milestones, a family,
# a hand-in, a pre-filing. The rest are corrected another way: a ruling by a later ruling or an
# appeal, the queue by its own corrections, people and firms by leaving, a policy by a change.
CORRECTABLE = frozenset(
    {
        "registration",
        "follow_up",
        "pending_confirmation",
        "claim",
        "claim_verified",
        "complaint",
        "duty",
        "deal",
        "milestone",
        "relationship",
        "handin",
        "pre_filing",
    }
)


def correct(*, access: SiteAccess, target: str, reason: str) -> Appended:
    """Void ``target`` (a fact of this site's record) with the reason, under one's own name."""
    require(access, "correct")
    target = checked("target", inputs.clean_text, target, max_length=FACT_ID_MAX, required=True)
    reason = checked("reason", inputs.clean_text, reason, max_length=REASON_MAX, required=True)
    entry = Entry.objects.filter(project=access.project, fact_id=target).only("kind").first()
    if entry is None:
        raise RecordInputError("target", "记录中没有这条事实 / no such fact in the record")
    if entry.kind not in CORRECTABLE:
        raise RecordInputError("target", "这类事实不能作废 / this kind of fact cannot be voided")

    def decide(engine: Attributor, at: datetime) -> dict[str, Any]:
        if target in engine.voided:
            raise RecordInputError("target", "这条事实已作废 / already voided")
        return {"kind": "correction", "target": target, "by": access.staff, "reason": reason}

    return append_decided(project=access.project, decide=decide, actor=access.user)
