"""Commission splits: who earns a deal, as exact Decimal shares that sum to 1.

``split_deal`` reads the context captured when the deal was recorded (the owner
at that moment, assisted receptions, the closer's own collided registration,
complaints) and the disputes raised since (S18.13, S18.24). Every split names
its rule.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from guishu.core.groups import DealContext
from guishu.core.staff import AWAY
from guishu.core.verdict import Penalty, Split

ONE = Decimal(1)
COMPANY = "company"  # forfeited deals (S14.2) go to the company
GROUP_PURCHASE = "group_purchase"  # S16.10: the group-purchase scheme, not personal
DEVELOPER = "developer"  # S18.22: developer-related customers announced in writing
DEPARTMENT = "department"  # S16.3: a departed consultant's customers


def _two(first: str, share: Decimal, second: str) -> tuple[tuple[str, Decimal], ...]:
    """first gets ``share``, second the rest; exact, and one entry if they coincide."""
    if first == second or share == ONE:
        return ((first, ONE),)
    if share == 0:
        return ((second, ONE),)
    return ((first, share), (second, ONE - share))


def split_deal(ctx: DealContext, group: str, at: datetime, raised: bool) -> tuple[Split, list[Penalty]]:
    """Split one deal as of ``at``. ``raised``: the earlier filer raised it in time (S18.13)."""
    d = ctx.deal
    p = ctx.policy
    c = d.closer
    penalties: list[Penalty] = []

    def result(
        shares: tuple[tuple[str, Decimal], ...],
        rule: str,
        zh: str,
        en: str,
        provisional_until: datetime | None = None,
    ) -> tuple[Split, list[Penalty]]:
        return (
            Split(
                d.id, group, d.at, shares, rule, zh, en, provisional_until, ctx.channel, unit=d.unit, amount=d.amount
            ),
            penalties,
        )

    if p.deals.group_purchase_rule and d.group_purchase and not ctx.had_deposit_before:
        return result(
            ((GROUP_PURCHASE, ONE),),
            "S16.10",
            "未下定转团购,不计个人业绩",
            "moved to a group purchase without a deposit: not personal performance",
        )
    if ctx.developer_excluded:
        return result(
            ((DEVELOPER, ONE),),
            "S18.22",
            "开发商关系客户(已书面通知)",
            "developer-related customer announced before any contact",
        )
    if ctx.owner.kind == "department":
        return result(
            ((DEPARTMENT, ONE),),
            "S16.3",
            "离职人员已下定客户归销售部",
            "a departed consultant's customer with a deposit belongs to the department",
        )
    if ctx.owner.kind == "channel":
        return result(
            ((c, ONE),),
            "S6.7",
            f"渠道 {ctx.owner.id} 的客户,由 {c} 成交",
            f"channel {ctx.owner.id}'s customer, closed by {c}",
        )
    owner = ctx.name_owner or (ctx.owner.id if ctx.owner.kind == "consultant" else None)
    if owner is None:
        return result(
            ((c, ONE),), p.ownership.rule, "公共客户,由成交人员所得", "a public customer: the closer earns it"
        )

    if c == owner:
        if ctx.refused_original and p.refusal.original_share > 0:
            s = p.refusal.original_share
            return result(
                _two(ctx.refused_original, s, c),
                p.refusal.rule,
                "客户投诉/拒绝后改派,成交佣金对半分",
                "reassigned after a complaint or refusal: split with the original",
            )
        share = p.assist.owner_closes_assistant_share
        helper = next(
            (a.assistant for a in ctx.assisted if a.owner_status in AWAY_STATUSES and a.by_rotation is not False), None
        )
        if share is not None and helper is not None and helper != c:
            return result(
                _two(helper, share, c),
                "S16.9",
                "第一接待成交,辅助接待人员分成",
                "the first receiver closed; the assisting colleague shares",
            )
        for a in d.assistants:
            contributor = p.collision.unknowing_contributor_share
            if a.staff != c and a.substantial and contributor is not None:
                if a.knew and p.collision.knowing_fine is not None:
                    penalties.append(
                        Penalty(
                            a.staff,
                            p.collision.knowing_fine,
                            "S16.11",
                            "明知是他人客户仍深度接触,罚款",
                            "knowingly worked another's customer",
                            (d.id,),
                            d.at,
                        )
                    )
                    continue
                return result(
                    _two(a.staff, contributor, c),
                    "S16.11",
                    "不知情深度接触并有重大促进作用,原销售成交: 30/70",
                    "unknowing substantial contribution, the owner closed: 30/70",
                )
        if ctx.name_owner is not None and ctx.name_owner != ctx.owner.id:
            return result(
                ((c, ONE),),
                "S18.14",
                "以认购/签约名称为准,名称一致且确认在先者所得",
                "the name on the contract decides: the earlier matching confirmation",
            )
        return result(((c, ONE),), p.ownership.rule, "归属人成交,全额", "the owner closed")

    # the closer is not the owner
    window = p.collision.raise_days
    if window is not None and ctx.raise_deadline is not None:
        if raised:
            asked = p.collision.asked_share
            if ctx.closer_asked and asked is not None:
                return result(
                    _two(owner, asked, c),
                    "S18.24",
                    "已备案客户由他人接待且接待人主动询问过,佣金对半分",
                    "a filed customer served by another who asked: 50/50",
                )
            return result(
                ((owner, ONE),),
                "S18.13",
                "成交后三日内发现撞单,归确认在先者",
                "collision raised within 3 days of the deal: the earlier confirmation",
            )
        if at < ctx.raise_deadline:
            return result(
                ((owner, ONE),),
                "S18.13",
                "成交后三日内待原确认人提出",
                "waiting 3 days for the earlier filer to raise it",
                provisional_until=ctx.raise_deadline,
            )
        return result(
            ((c, ONE),),
            "S18.13",
            "成交三日后才发现撞单(或未提出),归成交人员",
            "not raised within 3 days of the deal: the closer",
        )

    assisted = next((a for a in ctx.assisted if a.assistant == c), None)
    signing_after_deposit = d.type == "signing" and ctx.had_deposit_before  # S16.12: only came to sign
    # a stand-in the rotation did not choose (S4.9, S7.4, S16.6, where the queue is recorded)
    # only helped: no assistant's share
    if assisted is not None and not signing_after_deposit and assisted.by_rotation is not False:
        s4 = p.assist.first_deposit_share
        if (
            s4 is not None
            and d.type == "deposit"
            and ctx.first_deposit
            and assisted.owner_status in AWAY_STATUSES
            and assisted.fact in ctx.same_day_assists
        ):
            return result(
                _two(c, s4, owner),
                "S4.9",
                "指名顾问不在,代接人员促成首笔有效订金,分佣50%",
                "the stand-in secured the first valid deposit: 50% of the commission",
            )
        s16 = p.assist.assistant_closes_share
        if s16 is not None and assisted.owner_status in AWAY_STATUSES:
            return result(
                _two(c, s16, owner),
                "S16.9",
                "第一接待不在,辅助接待人员成交: 各50%",
                "the assistant closed while the first receiver was off: 50/50",
            )

    if ctx.closer_collided is not None or (d.closer_knew and p.collision.deal_knowledge):
        knowing = bool(ctx.closer_collided) or d.closer_knew
        if knowing and p.collision.knowing_fine is not None:
            penalties.append(
                Penalty(
                    c,
                    p.collision.knowing_fine,
                    "S16.11",
                    "明知是他人客户仍深度接触,罚款,业绩全归原销售",
                    "knowingly worked another's customer: fined, deal to the owner",
                    (d.id,),
                    d.at,
                )
            )
            return result(
                ((owner, ONE),),
                "S16.11",
                "明知情况下深度接触,成交业绩全部归原销售",
                "knowing: the whole deal goes to the owner",
            )
        share = p.collision.unknowing_closer_share
        if share is not None and not knowing:
            return result(
                _two(c, share, owner),
                "S16.11",
                "不知情深度接触他人客户并成交: 各50%",
                "unknowingly closed another's customer: 50/50",
            )

    return result(
        ((owner, ONE),),
        p.deals.helper_rule or p.ownership.rule,
        "成交人员仅为协助接待,归属不变",
        "the closer only helped; ownership unchanged",
    )


AWAY_STATUSES = AWAY | {"left"}  # away from the site, or no longer with it
