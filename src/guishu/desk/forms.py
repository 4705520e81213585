"""The desk's forms: what the front desk asks and registers, labelled in Chinese.

Every field that becomes part of a fact is checked by ``guishu.core.inputs`` in its
``clean_<field>``; every error names its field in words (``guishu.sites.forms``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.core.events import FIRST_YEAR, LAST_YEAR
from guishu.desk.actions import REASON_MAX
from guishu.sites.forms import NOT_A_CHOICE, FlatChoices, InputField, LabelledForm, choice, fast_choices
from guishu.sites.templatetags.words import CHECK_ITEMS, RELATIONS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TRI = [("", _("未问")), ("yes", _("是")), ("no", _("否"))]
RELATION_CHOICES = list(RELATIONS.items())
REFERRALS = [
    ("accompanied", _("老客户陪同前来")),
    ("named", _("老客户未到,客户指名老客户")),
    ("introduced", _("老客户介绍,未指名")),
]
OUT_OF_YEARS = _("年份应在 %(first)s-%(last)s 之间")


def _plausible_year(year: int) -> None:
    """A year a record can hold (the facts' own bounds): 0001 or 9999 is a typing slip."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(OUT_OF_YEARS % {"first": FIRST_YEAR, "last": LAST_YEAR})


class LookupForm(forms.Form):
    q = forms.CharField(label=_("电话(可遮挡)或姓名"), max_length=64, required=False)


class RegistrationForm(LabelledForm):
    """One call or visit registration; the receiver is the signed-in consultant (S4.3, S8.5)."""

    mode = choice(_("方式"), [("visit", _("来访")), ("call", _("来电"))])
    name = InputField(label=_("客户姓名"), max_length=inputs.NAME_MAX)
    gender = choice(_("性别"), [("", "-"), ("M", _("男")), ("F", _("女"))], required=False)
    phone = InputField(label=_("客户电话"), max_length=inputs.PHONE_MAX)
    intent = InputField(label=_("购房意向"), max_length=inputs.TEXT_MAX)
    source = InputField(label=_("信息来源"), max_length=inputs.TEXT_MAX)
    first_visit = choice(_("是否第一次来?"), TRI, required=False)
    called_before = choice(_("之前来过电话吗?"), TRI, required=False)
    family_visited = choice(_("家人来咨询过吗?"), TRI, required=False)
    receiver = choice(_("接待顾问"), [], required=True)
    named_consultant = choice(_("客户指名的顾问"), [], required=False)
    sms_from = choice(_("收到哪位顾问的短信"), [], required=False)
    reception = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)  # the desk's
    # who came along, the old customer who brought him, a friend registering for him, a company
    # (S8.3, S14.3f, S18.11 families; S1.C8, S8.8, S14.3d, S16.14 老带新; S1.C9, S8.7; S18.11, S18.14)
    companion_name = InputField(label=_("同行家人姓名"), max_length=inputs.NAME_MAX)
    companion_phone = InputField(label=_("同行家人电话"), max_length=inputs.PHONE_MAX)
    companion_relation = choice(_("与客户关系"), [("", "-"), *RELATION_CHOICES], required=False)
    referred_by = InputField(label=_("介绍人(老客户)电话"), max_length=inputs.PHONE_MAX)
    referral = choice(_("老带新方式"), [("", "-"), *REFERRALS], required=False)
    proxy = forms.BooleanField(label=_("朋友代为登记,客户本人未到场"), required=False)
    company = InputField(label=_("购房单位(公司客户)"), max_length=inputs.TEXT_MAX)
    # S15.1: where the site's policy takes the buyer's resident ID at registration (modules.id_at)
    id_number = InputField(label=_("身份证号"), max_length=20)

    EXTRA: ClassVar[tuple[str, ...]] = (
        "id_number",
        "companion_name",
        "companion_phone",
        "companion_relation",
        "referred_by",
        "referral",
        "proxy",
        "company",
    )

    FIELD_OF: ClassVar[dict[str, str]] = {
        "customer.name": "name",
        "customer.surname": "name",
        "customer.name_or_surname": "name",
        "customer.gender": "gender",
        "customer.phone": "phone",
        "customer.intent": "intent",
        "customer.source": "source",
        "mode": "mode",
        "answers.named_consultant": "named_consultant",
        "consultant": "receiver",
        "answers.sms_from": "sms_from",
        "customer.company": "company",
        "customer.id_number": "id_number",
        "companions": "companion_phone",
        "referred_by": "referred_by",
        "referral": "referral",
    }
    OTHER_LABELS: ClassVar[dict[str, StrOrPromise]] = {
        "consultant": _("接待顾问"),
        "receiver": _("接待顾问"),
        "signed": _("置业顾问签名"),
        "entered_by": _("代录人"),
    }

    def __init__(
        self,
        *args: Any,
        sellers: list[tuple[str, str]] | None = None,
        on_behalf: bool = False,
        ask_id: bool = False,
        **kwargs: Any,
    ) -> None:
        """``sellers``: (staff, name) of the site's consultants, whom a customer may name or have
        had an SMS from; ``on_behalf``: the registrant enters the registration for the receiver
        (front desk, clerk), chosen among them; otherwise the receiver is himself; ``ask_id``:
        the site's policy takes the resident ID at registration (S15.1), not at the deal."""
        super().__init__(*args, **kwargs)
        if not ask_id:
            del self.fields["id_number"]
        people = FlatChoices([("", "-"), *(sellers or [])])
        for name in ("receiver", "named_consultant", "sms_from"):
            fast_choices(self.fields[name], people)
        if not on_behalf:
            del self.fields["receiver"]

    def clean_name(self) -> str:
        return self.check("name", inputs.clean_name, required=False)

    def clean_phone(self) -> str:
        """The customer's own phone, in full (the policy decides whether one is required)."""
        if not self.cleaned_data.get("phone"):
            return ""
        return self.check("phone", inputs.clean_phone)

    def clean_reception(self) -> str:
        return self.check("reception", inputs.clean_staff, required=False)

    def clean_intent(self) -> str:
        return self.check("intent", inputs.clean_text)

    def clean_companion_name(self) -> str:
        return self.check("companion_name", inputs.clean_name, required=False)

    def clean_companion_phone(self) -> str:
        if not self.cleaned_data.get("companion_phone"):
            return ""
        return self.check("companion_phone", inputs.clean_phone)

    def clean_referred_by(self) -> str:
        if not self.cleaned_data.get("referred_by"):
            return ""
        return self.check("referred_by", inputs.clean_phone)

    def clean_company(self) -> str:
        return self.check("company", inputs.clean_text)

    def clean_id_number(self) -> str:
        return self.check("id_number", inputs.clean_id_number)

    def clean(self) -> dict[str, Any]:
        """A companion needs a name or a phone, and his relation; a way of bringing him, the
        old customer's phone."""
        data = super().clean() or {}
        named = data.get("companion_name") or data.get("companion_phone")
        if named and not data.get("companion_relation"):
            self.add_error("companion_relation", ValidationError(_("请选择与客户的关系")))
        if data.get("companion_relation") and not named:
            self.add_error("companion_name", ValidationError(_("请填写同行家人的姓名或电话")))
        if data.get("referral") and not data.get("referred_by"):
            self.add_error("referred_by", ValidationError(_("选择了老带新方式,须填写老客户电话")))
        return data

    def main_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if f.name not in self.EXTRA]

    def extra_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if f.name in self.EXTRA]

    def extra_errors(self) -> bool:
        """The optional part has an error or a value: it is shown open."""
        return self.is_bound and any(self.errors.get(n) or self.data.get(n) for n in self.EXTRA)

    def clean_source(self) -> str:
        return self.check("source", inputs.clean_text)

    def fact(self, user: str, *, clerk: bool) -> dict[str, Any]:
        """The registration fact; a clerk enters a consultant's paper register for him (S1.3)."""
        d = self.cleaned_data
        consultant = d.get("receiver") or user if clerk else user

        def tri(key: str) -> bool | None:
            return {"yes": True, "no": False}.get(d.get(key) or "")

        customer = {k: d[k] for k in ("name", "gender", "intent", "source", "company", "id_number") if d.get(k)}
        if d.get("phone"):
            customer["phone"] = d["phone"]
        answers = {
            "first_visit": tri("first_visit"),
            "called_before": tri("called_before"),
            "family_visited": tri("family_visited"),
            "named_consultant": d.get("named_consultant") or None,
            "sms_from": d.get("sms_from") or None,
        }
        fact: dict[str, Any] = {
            "kind": "registration",
            "mode": d["mode"],
            "consultant": consultant,
            "customer": customer,
            "answers": {k: v for k, v in answers.items() if v is not None},
        }
        if d.get("companion_relation"):
            companion = {"relation": d["companion_relation"]}
            companion.update({k: d[f"companion_{k}"] for k in ("name", "phone") if d.get(f"companion_{k}")})
            fact["companions"] = [companion]
        if d.get("referred_by"):
            fact["referred_by"] = d["referred_by"]
            if d.get("referral"):
                fact["referral"] = d["referral"]
        if d.get("proxy"):
            fact["proxy"] = True
        if clerk:
            fact["entered_by"] = user
        if d.get("reception"):
            fact["reception"] = d["reception"]
        return fact


class DayForm(LabelledForm):
    """The day of the clerk's register (any day a record can hold)."""

    day = forms.DateField(label=_("日期"), required=False)

    def clean_day(self) -> date | None:
        day: date | None = self.cleaned_data.get("day")
        if day is not None:
            _plausible_year(day.year)
        return day


class VerifyForm(LabelledForm):
    """S8.10 "经核实": the claim checked and what the check found, yes or no (nothing else)."""

    group = InputField(label=_("客户"), max_length=32)  # GroupVerdict.group
    claim = InputField(label=_("认领"), max_length=64)  # Entry.fact_id
    approved = choice(_("核实结果"), [("yes", _("核实属实")), ("no", _("核实不属实"))])

    def clean_group(self) -> str:
        return self.check("group", inputs.clean_staff)

    def clean_claim(self) -> str:
        return self.check("claim", inputs.clean_staff)


class RulingForm(LabelledForm):
    """A manager's ruling (S18.15, S18.16, S16.13): the customer, the owner, the clause, why."""

    phone = InputField(label=_("客户电话"), max_length=inputs.PHONE_MAX)
    owner = InputField(label=_("归属顾问"), max_length=inputs.STAFF_MAX)
    rule = InputField(label=_("依据条款"), max_length=32)
    reason = InputField(label=_("理由"), max_length=REASON_MAX)

    def clean_phone(self) -> str:
        return self.check("phone", inputs.clean_phone)

    def clean_owner(self) -> str:
        return self.check("owner", inputs.clean_staff, required=False)

    def clean_rule(self) -> str:
        return self.check("rule", inputs.clean_text, max_length=32, required=True)

    def clean_reason(self) -> str:
        return self.check("reason", inputs.clean_text, max_length=REASON_MAX, required=True)


class ComplaintForm(LabelledForm):
    """The complaint a manager approves (S8.9), by its fact id."""

    fact = InputField(label=_("投诉"), max_length=64)  # Entry.fact_id

    def clean_fact(self) -> str:
        return self.check("fact", inputs.clean_staff)


class PolicyForm(LabelledForm):
    """The site's next policy and when it takes effect (empty: now)."""

    policy = InputField(label=_("制度"), max_length=32)
    effective_at = forms.DateTimeField(label=_("生效时间"), required=False)
    qualification = forms.BooleanField(label=_("资格审核"), required=False)
    checks = forms.MultipleChoiceField(
        label=_("审核项"),
        choices=list(CHECK_ITEMS.items()),
        required=False,
        error_messages={"invalid_choice": NOT_A_CHOICE},
    )

    def clean_policy(self) -> str:
        return self.check("policy", inputs.clean_staff)

    def clean_effective_at(self) -> datetime | None:
        when: datetime | None = self.cleaned_data.get("effective_at")
        if when is not None:
            _plausible_year(when.year)
        return when
