"""The rotation screens' forms: the guided questions, skips, corrections, labelled in Chinese."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.core.desk_routing import Answers
from guishu.sites.forms import FlatChoices, InputField, LabelledForm, choice, fast_choices

SKIP_REASONS = [
    ("with_customer", _("正在接待客户(保留轮次)")),
    ("old_customer", _("老客户在场")),
    ("sales_work", _("处理销售事务(保留轮次)")),
    ("absent", _("不在岗(轮空)")),
    ("non_sales", _("处理非销售事务(轮空)")),
    ("on_break", _("休息(轮空)")),
]
YES_NO = [("no", _("否")), ("yes", _("是"))]


class _PeopleForm(LabelledForm):
    """A form whose choice fields list the site's consultants (staff, name)."""

    PEOPLE: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, sellers: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = FlatChoices([("", "-"), *(sellers or [])])
        for name in self.PEOPLE:
            fast_choices(self.fields[name], people)


class NextForm(_PeopleForm):
    """ "Next customer": the guided questions (S7.2, S10.2, S11.2, S14.2) and the press key."""

    PEOPLE = ("consultant", "sms_from", "referrer_consultant", "refused")
    key = forms.CharField(widget=forms.HiddenInput, max_length=48)
    been_here = choice(_("来过或来电过吗(本人或家人)?"), YES_NO)
    consultant = choice(_("找哪位顾问 / 预约的顾问"), [], required=False)
    appointment = forms.BooleanField(label=_("预约客户"), required=False)
    sms_from = choice(_("收到哪位顾问的短信"), [], required=False)
    purpose = choice(
        _("来意"),
        [("enquiry", _("看房咨询")), ("deposit_only", _("只来交定金")), ("signing_only", _("只来签约"))],
    )
    sent_by_staff = forms.BooleanField(label=_("开发商或非销售人员介绍"), required=False)
    referral = choice(
        _("老客户带来"),
        [("", "-"), ("accompanied", _("老客户陪同")), ("named", _("提及老客户")), ("introduced", _("介绍来,未提及"))],
        required=False,
    )
    referrer_consultant = choice(_("老客户的顾问"), [], required=False)
    refuses_original = forms.BooleanField(label=_("明确不要原顾问"), required=False)
    refused = choice(_("经理复核后拒绝的顾问"), [], required=False)

    def answers(self) -> Answers:
        d = self.cleaned_data
        return Answers(
            been_here=d["been_here"] == "yes",
            consultant=d.get("consultant") or None,
            sms_from=d.get("sms_from") or None,
            appointment=bool(d.get("appointment")),
            purpose=d["purpose"],
            sent_by_staff=bool(d.get("sent_by_staff")),
            referral=d.get("referral") or None,
            referrer_consultant=d.get("referrer_consultant") or None,
            refuses_original=bool(d.get("refuses_original")),
            refused=d.get("refused") or None,
        )


class ChangeForm(_PeopleForm):
    """One queue change at the desk or by a manager."""

    PEOPLE = ("staff",)
    FIELD_OF: ClassVar[dict[str, str]] = {"order": "staff"}
    OTHER_LABELS: ClassVar[dict[str, Any]] = {"action": _("操作"), "queue": _("队列"), "key": _("按键")}
    action = choice(
        _("操作"),
        [
            ("sign_in", _("签到")),
            ("break", _("休息")),
            ("back", _("回到队列")),
            ("skip", _("跳过")),
            ("make_up", _("补接一次")),
            ("move", _("调整位置")),
            ("sign_out", _("签退")),
        ],
    )
    staff = choice(_("顾问"), [])
    reason = choice(_("跳过原因"), [("", "-"), *SKIP_REASONS], required=False)
    position = forms.IntegerField(label=_("新位置"), required=False, min_value=1, max_value=200)
    note = InputField(label=_("调整理由"), max_length=inputs.TEXT_MAX)

    def clean_note(self) -> str:
        return self.check("note", inputs.clean_text)


class CodeForm(LabelledForm):
    code = InputField(label=_("签到码"), max_length=6)

    def clean_code(self) -> str:
        code = self.check("code", inputs.clean_text, max_length=6, required=True)
        if not code.isdigit():
            raise forms.ValidationError(_("应为前台屏幕上的 6 位数字"))
        return code


class BoardLinkForm(LabelledForm):
    label = InputField(label=_("屏幕名称"), max_length=64)

    def clean_label(self) -> str:
        return self.check("label", inputs.clean_text, max_length=64, required=True)


class PeriodForm(LabelledForm):
    first = forms.DateField(label=_("起始日期"), required=False)
    last = forms.DateField(label=_("截止日期"), required=False)
