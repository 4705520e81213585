"""The visit confirmation's forms (S6.6-S6.8): what the clerk writes, checked before anything
is stored, each error naming its field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guishu.core import identity, inputs
from guishu.sites.forms import InputField, LabelledForm, choice

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

GENDERS = [("M", _("男")), ("F", _("女"))]
CHANNEL_MAX = 64  # VisitForm.channel's column


class OpenVisitForm(LabelledForm):
    """S6.6, S6.7: the reported visitor's name, gender, full phone, the mask on the form, the agent."""

    name = InputField(label=_("客户姓名"), max_length=inputs.NAME_MAX)  # VisitForm.name: 32
    gender = choice(_("性别"), GENDERS)
    phone = InputField(label=_("客户全号码"), max_length=inputs.PHONE_MAX)  # VisitForm.phone: 20
    phone_shown = InputField(label=_("确认单上的遮挡号码"), max_length=inputs.PHONE_MAX)  # VisitForm: 20
    agent = InputField(label=_("分销个人"), max_length=inputs.STAFF_MAX)  # VisitForm.agent: 64

    OTHER_LABELS: ClassVar[dict[str, StrOrPromise]] = {
        "channel": _("分销单位"),
        "entry_at": _("入场时间"),
        "signoffs": _("签字"),
        "role": _("签字"),
        "form": _("确认单"),
    }

    def clean_name(self) -> str:
        return self.check("name", inputs.clean_name)

    def clean_phone(self) -> str:
        return self.check("phone", inputs.clean_phone)

    def clean_phone_shown(self) -> str:
        return self.check("phone_shown", inputs.clean_report_phone)

    def clean_agent(self) -> str:
        return self.check("agent", inputs.clean_staff)

    def clean(self) -> dict[str, Any]:
        """The mask written on the form is the visitor's own phone, hidden: one that fits another
        number would make the confirmation invalid after all three have signed (S6.7)."""
        data = super().clean() or {}
        phone, shown = data.get("phone"), data.get("phone_shown")
        if phone and shown and not _fits(shown, phone):
            self.add_error("phone_shown", ValidationError(_("与客户全号码不符")))
        return data


def _fits(shown: str, phone: str) -> bool:
    if identity.is_masked(shown):
        return identity.parse_masked_phone(shown).fits(phone)  # parsed by clean_report_phone already
    return identity.normalise_phone(shown) == phone


class CameAloneForm(LabelledForm):
    """S6.8: a reported customer who came alone; the channel he wrote down, if any."""

    name = InputField(label=_("客户姓名"), max_length=inputs.NAME_MAX)
    gender = choice(_("性别"), GENDERS)
    phone = InputField(label=_("客户全号码"), max_length=inputs.PHONE_MAX)
    named_channel = InputField(label=_("客户写明的分销单位"), max_length=CHANNEL_MAX)
    records_verified = forms.BooleanField(label=_("已核实渠道联系记录属实"), required=False)

    def clean_name(self) -> str:
        return self.check("name", inputs.clean_name)

    def clean_phone(self) -> str:
        return self.check("phone", inputs.clean_phone)

    def clean_named_channel(self) -> str:
        return self.check("named_channel", inputs.clean_text, max_length=CHANNEL_MAX)
