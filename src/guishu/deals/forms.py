"""The deals screens' forms; each error names its field in words."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.core.policy import Policy
from guishu.deals import actions
from guishu.deals.actions import AssistantIn
from guishu.sites.forms import InputField, LabelledForm, choice
from guishu.sites.templatetags.words import DEAL_TYPES, PAYMENT_STAGES, UNIT_TYPES

RESULTS = (("yes", _("通过")), ("no", _("未通过")))


def _people(field: forms.Field, people: list[tuple[str, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", "—"), *people]


class DealForm(LabelledForm):
    """定金、认购、签约 (S9): the customer, the closer and assistants (S16.11), the buyer (S18.14),
    the unit and price; the buyer's ID where the policy asks it at the deal (S2.1)."""

    FIELD_OF: ClassVar[dict[str, str]] = {"assistants": "assistant_1"}

    phone = InputField(label=_("客户电话"), max_length=inputs.PHONE_MAX)
    type = choice(_("成交类型"), list(DEAL_TYPES.items()))
    closer = choice(_("成交顾问"), [])
    closer_knew = forms.BooleanField(label=_("成交顾问明知是他人客户"), required=False)
    buyer_name = InputField(label=_("购房人姓名"), max_length=inputs.NAME_MAX)
    company = InputField(label=_("购房单位(公司购房)"), max_length=actions.COMPANY_MAX)
    unit = InputField(label=_("房号"), max_length=inputs.UNIT_MAX)
    amount = InputField(label=_("成交金额(元)"), max_length=20)
    unit_type = choice(_("业态"), [("", "—"), *UNIT_TYPES.items()], required=False)
    id_number = InputField(label=_("购房人身份证号"), max_length=20)
    checks_overridden = InputField(label=_("资格审核未完成仍签约的理由(经理)"), max_length=actions.REASON_MAX)
    group_purchase = forms.BooleanField(label=_("转团购"), required=False)

    def __init__(
        self, *args: Any, sellers: list[tuple[str, str]], policy: Policy, ask_override: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        _people(self.fields["closer"], sellers)
        for n in range(1, actions.MOST_ASSISTANTS + 1):
            self.fields[f"assistant_{n}"] = choice(_("协助顾问 %(n)s") % {"n": n}, [], required=False)
            _people(self.fields[f"assistant_{n}"], sellers)
            self.fields[f"assistant_{n}_knew"] = forms.BooleanField(label=_("明知是他人客户"), required=False)
            self.fields[f"assistant_{n}_substantial"] = forms.BooleanField(label=_("起重大促进作用"), required=False)
        if not actions.asks_id(policy):
            del self.fields["id_number"]
        if not ask_override:  # the manager, where the policy checks the buyer (S2, S15.4)
            del self.fields["checks_overridden"]
        if not policy.deals.group_purchase_rule:
            del self.fields["group_purchase"]

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[n]
            for n in ("phone", "type", "closer", "buyer_name", "unit", "unit_type", "amount")
            if n in self.fields
        ]

    def assistant_rows(self) -> list[list[forms.BoundField]]:
        n = range(1, actions.MOST_ASSISTANTS + 1)
        return [[self[f"assistant_{i}"], self[f"assistant_{i}_knew"], self[f"assistant_{i}_substantial"]] for i in n]

    def more_fields(self) -> list[forms.BoundField]:
        names = ("closer_knew", "company", "id_number", "group_purchase", "checks_overridden")
        return [self[n] for n in names if n in self.fields]

    def clean_phone(self) -> str:
        return self.check("phone", inputs.clean_phone)

    def clean_buyer_name(self) -> str:
        return self.check("buyer_name", inputs.clean_name, required=False)

    def clean_company(self) -> str:
        return self.check("company", inputs.clean_text, max_length=actions.COMPANY_MAX)

    def clean_unit(self) -> str:
        return self.check("unit", inputs.clean_text, max_length=inputs.UNIT_MAX)

    def clean_amount(self) -> str:
        self.check("amount", _money_text)
        return str(self.cleaned_data.get("amount") or "")

    def clean_id_number(self) -> str:
        return self.check("id_number", inputs.clean_id_number, required=self.policy.modules.qualification)

    def assistants(self) -> list[AssistantIn]:
        d = self.cleaned_data
        return [
            AssistantIn(d[f"assistant_{n}"], bool(d[f"assistant_{n}_knew"]), bool(d[f"assistant_{n}_substantial"]))
            for n in range(1, actions.MOST_ASSISTANTS + 1)
            if d.get(f"assistant_{n}")
        ]

    def clean_checks_overridden(self) -> str:
        return self.check("checks_overridden", inputs.clean_text, max_length=actions.REASON_MAX)


def _money_text(raw: str) -> str:
    inputs.clean_money(raw)
    return raw


class UnitForm(LabelledForm):
    """换房: the new unit, and its price when it changes."""

    unit = InputField(label=_("新房号"), max_length=inputs.UNIT_MAX)
    amount = InputField(label=_("新成交金额(元)"), max_length=20)
    OTHER_LABELS: ClassVar[dict[str, Any]] = {"deal": _("成交")}

    def clean_unit(self) -> str:
        return self.check("unit", inputs.clean_text, max_length=inputs.UNIT_MAX, required=True)

    def clean_amount(self) -> str:
        self.check("amount", _money_text)
        return str(self.cleaned_data.get("amount") or "")


class PaymentForm(LabelledForm):
    """回款: the stage of the price received, and how much."""

    stage = choice(_("回款节点"), list(PAYMENT_STAGES.items()))
    amount = InputField(label=_("回款金额(元)"), max_length=20)
    OTHER_LABELS: ClassVar[dict[str, Any]] = {"deal": _("成交")}

    def clean_amount(self) -> str:
        self.check("amount", _money_text)
        return str(self.cleaned_data.get("amount") or "")


class RefundForm(LabelledForm):
    """退房: the reason (贷款未批, 客户反悔 ...)."""

    reason = InputField(label=_("退房原因"), max_length=actions.REASON_MAX)
    OTHER_LABELS: ClassVar[dict[str, Any]] = {"deal": _("成交")}

    def clean_reason(self) -> str:
        return self.check("reason", inputs.clean_text, max_length=actions.REASON_MAX, required=True)


class CheckForm(LabelledForm):
    """资格审核 (S2.1-S2.5, S15.4): one item of the buyer's checklist, passed or not, with a note."""

    item = choice(_("审核项"), [])
    result = choice(_("审核结果"), list(RESULTS))
    note = InputField(label=_("备注"), max_length=actions.REASON_MAX)

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        assert isinstance(item, forms.ChoiceField)
        item.choices = list(items)

    def clean_note(self) -> str:
        return self.check("note", inputs.clean_text, max_length=actions.REASON_MAX)

    @staticmethod
    def passed(cleaned: dict[str, Any]) -> bool:
        return cleaned.get("result") == "yes"


class CustomerCheckForm(CheckForm):
    """资格审核 of a customer by his phone, before any deal of his (the deals screen)."""

    phone = InputField(label=_("客户电话"), max_length=inputs.PHONE_MAX)

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, items=items, **kwargs)
        self.order_fields(["phone"])

    def clean_phone(self) -> str:
        return self.check("phone", inputs.clean_phone)
