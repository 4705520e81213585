"""A policy explained in plain Chinese, clause by clause, each citing its rule id."""

from __future__ import annotations

import re

from guishu.core.policy import Policy
from guishu.core.qualification import CHECK_RULES

_FIELD = {
    "name": "姓名",
    "surname": "姓氏",
    "name_or_surname": "姓名或姓氏",
    "gender": "性别",
    "phone": "本人电话",
    "intent": "购房意向",
    "source": "信息来源",
    "signature": "顾问签名",
}
_REL = {"spouse": "配偶", "parent": "父母", "child": "子女", "sibling": "兄弟姐妹"}
_MODE = {"call": "来电", "visit": "来访"}
_REFERRAL = {
    "none": "新客户按正常轮序,归接待人。",
    "accompanied_unless_refused": "老客户陪同则归原顾问(客户明确不找原顾问除外);独自来访提及原顾问也归原顾问。",
    "accompanied_or_named": "老客户陪同,或新客户提及老客户/原顾问,归原顾问;老客户介绍但新客户两者均未提及的按排轮。",
    "unregistered_accompanied": "新客户未登记则老带新成功,归老客户的顾问;已登记则归已登记顾问。",
}


def _pct(x: object) -> str:
    return f"{float(str(x)) * 100:g}%"


def explain_policy(p: Policy) -> list[str]:
    """Lines of plain Chinese: what counts, how long it lasts, who shares a deal.

    A clause the policy's own document does not have (its rule id is from another seed
    policy: the engine's default, or a site's choice) says so.
    """
    return [_borrowed(p, line) for line in _clauses(p)]


def _borrowed(p: Policy, line: str) -> str:
    cited = _CITED.match(line)
    if cited is None or cited.group(2) == p.source or not _SEED.fullmatch(p.source):
        return line  # its own clause, or a site's own policy (every rule id it cites is its choice)
    return f"{line}(本制度未规定此项,参照 {cited.group(1)} 的做法)"


_SEED = re.compile(r"S\d+")
_CITED = re.compile(r"\[((S\d+)\.[0-9A-Za-z.]+)\]")


def _clauses(p: Policy) -> list[str]:
    lines = [f"{p.title_zh} ({p.key})", f"{p.title_en}", f"来源: {p.source}    时区: {p.timezone}", ""]
    o = p.ownership
    if o.basis == "registration":
        counts = "、".join(_MODE[m] for m in o.counts)
        lines.append(f"[{o.rule}] 归属依据: 第一有效{counts}登记。")
        if o.visit_outranks_call and p.naming.forgot_needs_answer:
            lines.append(
                "[S1.C6] 登记记录客户不记得来电接待的顾问时,首次来访登记优先于他人的来电登记;"
                "客户指名来电顾问的为代接待,未询问的以第一招待为准。"
            )
        elif o.visit_outranks_call:
            lines.append("[S1.C6] 首次来访登记优先于他人的来电登记。")
        if o.search_miss_reassigns:
            lines.append("[S1.C5] 现场查找未果按轮序接待的,以二次登记并接待者为准。")
    elif o.basis == "handin":
        lines.append(f"[{o.rule}] 归属依据: 客户确认单,以确认人签字时间最早者为准。")
    else:
        lines.append(f"[{o.rule}] 归属对象: 分销渠道;未报备客户为公共资源。")
    lines.append(
        f"[{'S1.C9' if o.proxy == 'void' else 'S8.7'}] 朋友代登记: "
        + ("无效,以本人初访登记为准。" if o.proxy == "void" else "以购房人登记的姓名为准。")
    )
    v = p.validity
    lines.append(f"[{v.call_rule}] 来电登记必填: " + "、".join(_FIELD[f] for f in v.call_requires) + ";缺项无效。")
    lines.append(f"[{v.visit_rule}] 来访登记必填: " + "、".join(_FIELD[f] for f in v.visit_requires) + ";缺项无效。")
    g = p.group
    if g.relations:
        lines.append(f"[{g.rule}] 同一组客户: " + "、".join(_REL[r] for r in g.relations) + ",归第一登记人。")
    if g.same_name_same_need:
        lines.append("[S18.11] 需求基本一致且名称或联系方式一致,视为同一客户。")
    if o.basis == "registration":  # under a hand-in or channel basis a registration decides nothing
        n = p.naming
        if n.without_record:
            lines.append(f"[{n.without_record_rule}] 客户指名的顾问,即使未登记也归其所有。")
        elif n.with_record:
            lines.append(f"[{n.rule}] 客户指名且有接待记录的顾问,归该顾问。")
        if n.sms:
            lines.append("[S11.2] 说不出顾问姓名时,问是否收到顾问短信;查到则归发短信的顾问。")
        if n.unnamed_caller_is_new:
            lines.append(
                "[S4.7] 来电客户记不清接电人员的,由当值顾问接待,视为新客户"
                + (
                    "(须登记中记录客户回答“不记得”;未询问的以第一有效登记为准)。"
                    if n.forgot_needs_answer
                    else "(本版本:来访时未指名即视为记不清)。"
                )
            )
        r = p.referral
        lines.append(f"[{r.rule}] 老带新: " + _REFERRAL[r.mode])
    pr = p.protection
    if pr.basis == "follow_up":
        lines.append(f"[{pr.rule}] 保护期: 每次跟进后{pr.days}日(含)内有效;超期未跟进视为新客户。")
    elif pr.basis == "confirmation":
        lines.append(f"[{pr.rule}] 确认有效期{pr.days}天,期内再次确认可延续;过期视为新客户。")
    else:
        lines.append("保护期: 不设期限。")
    if p.pending.enabled:
        days = p.pending.claim_days
        lines.append(
            f"[{p.pending.rule}] 待确认登记: "
            + (
                f"{days}日(含)内原顾问认领并核实归原顾问,否则归登记人。"
                if days is not None
                else "先接待后确认,由认领核实或经理裁定。"
            )
            + ("认领须由内业或经理(非认领人)核实后方成立。" if p.pending.verification == "clerk" else "")
        )
    rf = p.refusal
    lines.append(
        f"[{rf.rule}] 投诉/拒绝原顾问: "
        + ("经经理审核后," if rf.needs_approval else "")
        + "由下一位接待并归其所有"
        + (f",成交佣金与原顾问各{_pct(rf.original_share)}" if rf.original_share else "")
        + (f";罚款 {rf.fine_min}-{rf.fine_max} 元" if rf.fine_min is not None else "")
        + "。"
    )
    a = p.assist
    if a.first_deposit_share is not None:
        lines.append(f"[S4.9] 指名顾问不在时代接人员促成首笔有效订金,分佣 {_pct(a.first_deposit_share)}。")
    if a.assistant_closes_share is not None:
        lines.append(
            f"[S16.9] 第一接待不在,辅助接待人员成交 {_pct(a.assistant_closes_share)};"
            f"第一接待成交,辅助人员 {_pct(a.owner_closes_assistant_share or 0)}。"
        )
    if a.from_duty_record:
        lines.append(
            "[S16.1] 是否辅助接待以软件记录为准:第一接待记录为休息、外出、请假或忙碌,"
            "客户表示来过,接待人即为辅助接待,无论客户是否说出第一接待的名字。"
        )
    if a.needs_duty_record:
        cited = a.busy_rule or ("S10.8" if a.team_fallback else "S14.2")
        lines.append(
            f"[{cited}] 客户指名原顾问时,仅当原顾问在记录中为忙碌或不在,接待人方为代为接待;否则接待人明知是他人客户。"
        )
    if a.stand_in != "any":
        how = "接待次数最少者(最少制)" if a.stand_in == "fewest" else "轮序最后一位"
        lines.append(
            f"[{a.rule or p.naming.rule}] 原顾问不在时由{how}代为接待;有轮序记录时据此核对,"
            "非轮序所选者只属协助,不分辅助接待的佣金。"
        )
    if a.team_fallback:
        lines.append(
            "[S10.8] 原顾问不在或带看时由其同组顺延接待,同组全忙再由其他组接待,客户仍归原顾问,"
            "待其本人或同组空闲后交回。"
        )
    c = p.collision
    if c.deal_knowledge:
        lines.append("[S16.11] 成交记录注明成交人知情的,即使其从未登记该客户,也按明知处理。")
    if c.unknowing_closer_share is not None:
        lines.append(
            f"[S16.11] 不知情深度接触他人客户并成交 {_pct(c.unknowing_closer_share)};"
            f"有重大促进作用但未成交 {_pct(c.unknowing_contributor_share or 0)};知情罚款 {c.knowing_fine} 元。"
        )
    if c.stealing_fine is not None:
        lines.append(
            f"[S14.2] 抢单: 第一次警告并罚款 {c.stealing_fine} 元;第{c.stealing_dismissal_at}次辞退,已成交客户充公。"
        )
    if c.raise_days is not None:
        lines.append(f"[S18.13] 认购或签约{c.raise_days}日后才发现撞单,归成交人员。")
    if c.asked_share is not None:
        lines.append(f"[S18.24] 接待人主动询问过的,佣金各 {_pct(c.asked_share)}。")
    ch = p.channel
    if ch.enabled:
        lines.append(f"[S6.1] 报备须含姓名、性别、手机号(格式: {', '.join(ch.accepted_masks)})。")
        lines.append(f"[S6.3] 报备有效期{ch.report_days}天;持续跟进(每{ch.follow_up_days}天至少一次)可再次报备。")
        lines.append(f"[S6.7] 到访确认须三方签字,有效期{ch.visit_days}天。")
        lines.append(
            "[S6.7] 确认单与其所引报备(或确认渠道在该客户姓名下的有效报备)信息不一致的,确认无效并写明不一致之处。"
            if ch.same_name_disagrees
            else "[S6.7] 确认单与其所引报备信息不一致的,确认无效并写明不一致之处(本版本:未引报备时只按全号码匹配)。"
        )
    h = p.handins
    if h.windows:
        spans = "、".join(f"{w.start:%H:%M}-{w.end:%H:%M}" for w in h.windows)
        lines.append(f"[S18.1] 确认单递交时间: {spans}。")
    if h.quota is not None:
        lines.append(
            f"[S18.5] 每人确认限额 {h.quota} 名;上季度完成签约任务 {h.quota_high} 名;上季度无签约 {h.quota_low} 名"
            + (
                "(只计有效确认单所确认的客户)。"
                if h.quota_counts == "confirmations"
                else "(本版本:名下所有客户均占名额)。"
            )
        )
    if h.visitor_sheet_required:
        lines.append(
            "[S18.7] 新客户须在当天《来人来电表》上有记录"
            + (
                "(递交当日,本案场时区,该顾问的来电或来访登记)。"
                if h.visitor_sheet_day == "same_day"
                else "(本版本:该顾问此前任一登记即可)。"
            )
        )
    if p.departure.mode == "department":
        lines.append("[S16.3] 离职人员的客户归销售部;未下定的视为新客户。")
    if p.deals.group_purchase_rule:
        lines.append("[S16.10] 未下定转团购的,不计个人业绩。")
    if p.deals.name_decides:
        lines.append(
            "[S18.14] 单位与个人确认并存时,以认购/签约名称为准,名称一致且确认在先者得佣金"
            + (",客户自成交起归其所有。" if p.deals.name_owns else "(本版本:归属不随之改变)。")
        )
    if p.modules.qualification:
        items = "、".join(CHECK_RULES[i][1] + f"({CHECK_RULES[i][0]})" for i in p.modules.checks)
        lines.append(
            f"[S2.2] 资格审核: {items} 均通过前,成交佣金暂缓发放;审核未完成的签约须经理注明理由;"
            "资格审核未通过的成交不计。"
        )
    f = p.fines
    for amount, rule, text in (
        (f.register_late, "S1.2", "登记表未当晚交内业"),
        (f.entry_late, "S1.3", "内业录入不及时或漏项"),
        (f.unauthorised_correction, "S1.4", "擅自改动确认记录"),
        (f.appeal_rejected, "S18.17", "申诉被驳回"),
    ):
        if amount is not None:
            lines.append(f"[{rule}] {text}: 罚款 {amount} 元。")
    lines.extend(_rotation(p))
    if p.not_computable:
        lines.append("")
        lines.append("不由系统计算的条款:")
        lines.extend(f"  {rule}: {why.zh}" for rule, why in sorted(p.not_computable.items()))
    return lines


_SKIP_ZH = {
    "with_customer": "正在接待客户",
    "old_customer": "老客户在场",
    "sales_work": "处理销售事务",
    "absent": "不在岗",
    "non_sales": "处理非销售事务",
    "on_break": "休息",
    "duty_away": "排班不在岗",
}


def _rotation(p: Policy) -> list[str]:
    """The front desk's queue (轮序): its order, what a passed turn keeps, the routes."""
    r = p.rotation
    order = "签到顺序" if r.order == "sign_in" else "经理排定的当日固定顺序"
    keeps = "、".join(_SKIP_ZH[k] for k in r.keeps_turn) or "无"
    loses = "、".join(v for k, v in _SKIP_ZH.items() if k not in r.keeps_turn)
    lines = [
        f"[{r.rule}] 接待轮序按{order},每日零点(本案场时区)重置;首次来访客户由轮到的顾问接待,计一次接待。",
        f"[{r.skip_rule}] 轮到时因{keeps}未能接待的保留轮次(累计);因{loses}未能接待的轮空。",
        f"[{r.returning_rule}] 来过或指名的客户由其顾问接待,不计轮次。",
        f"[{r.appointment_rule}] 预约客户由预约顾问接待;其忙碌或不在时由他人协助,不计轮次。",
        "[S7.5] 仅来交定金或签约的客户,接待人只作协助,不计轮次。",
        f"[{r.staff_sent_rule}] 开发商或非销售人员介绍的客户由当时轮值顾问接待,不得挑选。",
    ]
    if r.make_up_for:
        why = "、".join(_SKIP_ZH[k] for k in r.make_up_for)
        lines.append(f"[{r.make_up_rule}] 轮到时因{why}未能接待的,下次补接一次。")
    if r.referral_to_original:
        lines.append(
            f"[{r.referral_rule or p.referral.rule}] 老客户带来或提及的新客户由原顾问接待;未提及任何人的由轮值顾问。"
        )
    if r.counts_over == "month":
        lines.append("[S4.9] 最少制按当月接待次数计。")
    return lines
