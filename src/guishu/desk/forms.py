"""The desk's forms: what the front desk asks and registers, labelled in Chinese."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

TRI = [("", _("未问")), ("yes", _("是")), ("no", _("否"))]


class LookupForm(forms.Form):
    q = forms.CharField(label=_("电话(可遮挡)或姓名"), max_length=64, required=False)


class RegistrationForm(forms.Form):
    """One call or visit registration; the receiver is the signed-in consultant (S4.3, S8.5)."""

    mode = forms.ChoiceField(label=_("方式"), choices=[("visit", _("来访")), ("call", _("来电"))])
    name = forms.CharField(label=_("客户姓名"), max_length=64, required=False)
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "-"), ("M", _("男")), ("F", _("女"))], required=False)
    phone = forms.CharField(label=_("客户电话"), max_length=32, required=False)
    intent = forms.CharField(label=_("购房意向"), max_length=64, required=False)
    source = forms.CharField(label=_("信息来源"), max_length=64, required=False)
    first_visit = forms.ChoiceField(label=_("是否第一次来?"), choices=TRI, required=False)
    called_before = forms.ChoiceField(label=_("之前来过电话吗?"), choices=TRI, required=False)
    family_visited = forms.ChoiceField(label=_("家人来咨询过吗?"), choices=TRI, required=False)
    receiver = forms.CharField(label=_("接待顾问(内业代录时填写)"), max_length=64, required=False)
    named_consultant = forms.CharField(label=_("客户指名的顾问"), max_length=64, required=False)
    sms_from = forms.CharField(label=_("收到哪位顾问的短信"), max_length=64, required=False)

    def __init__(self, *args: Any, sellers: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        """``sellers``: (staff, name) of the site's consultants, when the registrant enters the
        registration for the receiver (front desk, clerk); otherwise the receiver is himself."""
        super().__init__(*args, **kwargs)
        if sellers is None:
            del self.fields["receiver"]
        else:
            self.fields["receiver"] = forms.ChoiceField(
                label=_("接待顾问"), choices=[("", "-"), *sellers], required=True
            )

    FIELD_OF: ClassVar[dict[str, str]] = {
        "customer.name": "name",
        "customer.gender": "gender",
        "customer.phone": "phone",
        "customer.intent": "intent",
        "customer.source": "source",
        "mode": "mode",
        "answers.named_consultant": "named_consultant",
        "consultant": "receiver",
        "answers.sms_from": "sms_from",
    }

    def fact(self, user: str, *, clerk: bool) -> dict[str, Any]:
        """The registration fact; a clerk enters a consultant's paper register for him (S1.3)."""
        d = self.cleaned_data
        consultant = d.get("receiver") or user if clerk else user

        def tri(key: str) -> bool | None:
            return {"yes": True, "no": False}.get(d.get(key) or "")

        customer = {k: d[k] for k in ("name", "gender", "intent", "source") if d.get(k)}
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
        if clerk:
            fact["entered_by"] = user
        return fact

    def add_record_error(self, field: str, message: str) -> None:
        name = self.FIELD_OF.get(field)
        self.add_error(name if name in self.fields else None, f"{self.label_of(field)}: {message}")

    def label_of(self, field: str) -> str:
        name = self.FIELD_OF.get(field)
        return str(self.fields[name].label) if name and name in self.fields else field
