"""The confirmation desk's form; each error names its field in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.handins import actions
from guishu.sites.forms import InputField, LabelledForm, choice


class HandInForm(LabelledForm):
    """客户确认单 (S18.2): the consultant, the customer (a company with its contact, S18.11), his
    need; the confirmer's signed time (S18.3), now when left empty."""

    OTHER_LABELS: ClassVar[dict[str, Any]] = {"handin": _("确认单")}

    consultant = choice(_("递交顾问"), [])
    customer_no = InputField(label=_("客户编号"), max_length=actions.CUSTOMER_NO_MAX)
    name = InputField(label=_("客户姓名"), max_length=inputs.NAME_MAX)
    phone = InputField(label=_("联系方式"), max_length=inputs.PHONE_MAX)
    need = InputField(label=_("客户需求"), max_length=actions.NEED_MAX)
    company = InputField(label=_("购房单位"), max_length=64)
    contact_person = InputField(label=_("联系人"), max_length=inputs.NAME_MAX)
    signed_at = forms.DateTimeField(
        label=_("确认人签字时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"invalid": _("应为日期和时间,如 2026-03-02 09:30")},
    )
    amends = InputField(label=_("更改的原确认单编号"), max_length=64)

    def __init__(self, *args: Any, sellers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consultant = self.fields["consultant"]
        assert isinstance(consultant, forms.ChoiceField)
        consultant.choices = [("", "—"), *sellers]

    def clean_customer_no(self) -> str:
        return self.check("customer_no", inputs.clean_text, max_length=actions.CUSTOMER_NO_MAX)

    def clean_name(self) -> str:
        return self.check("name", inputs.clean_name, required=False)

    def clean_phone(self) -> str:
        value = str(self.cleaned_data.get("phone") or "")
        return self.check("phone", inputs.clean_phone) if value.strip() else ""

    def clean_need(self) -> str:
        return self.check("need", inputs.clean_text, max_length=actions.NEED_MAX)

    def clean_company(self) -> str:
        return self.check("company", inputs.clean_text, max_length=64)

    def clean_contact_person(self) -> str:
        return self.check("contact_person", inputs.clean_name, required=False)

    def clean_amends(self) -> str:
        return self.check("amends", inputs.clean_text, max_length=64)

    def signed(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("signed_at")
        return value
