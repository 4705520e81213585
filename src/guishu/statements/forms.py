"""The statements screens' forms: a commission rate or channel contract; each error names its field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.sites.forms import InputField, LabelledForm, choice
from guishu.sites.templatetags.words import UNIT_TYPES
from guishu.statements.actions import CONTRACT_MAX

PAYEES = (("consultant", _("置业顾问佣金")), ("channel", _("渠道合同")))
_DAY = {"invalid": _("应为日期,如 2026-03-01")}


def _day(label: Any, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages=_DAY,
    )


class RateForm(LabelledForm):
    """佣金标准: who it pays, the rate in percent of the price, from which day until which."""

    OTHER_LABELS: ClassVar[dict[str, Any]] = {"rate": _("佣金比例(%)")}
    FIELD_OF: ClassVar[dict[str, str]] = {"rate": "percent"}

    payee = choice(_("类别"), list(PAYEES))
    percent = InputField(label=_("佣金比例(%)"), max_length=12)
    unit_type = choice(_("业态"), [("", _("全部业态")), *UNIT_TYPES.items()], required=False)
    channel = choice(_("渠道"), [], required=False)
    contract = InputField(label=_("合同编号"), max_length=CONTRACT_MAX)
    valid_from = _day(_("生效日期"), required=True)
    valid_until = _day(_("截止日期(不含)"), required=False)

    def __init__(self, *args: Any, firms: Mapping[str, str] | Iterable[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [("", "—"), *dict(firms).items()]

    def clean_percent(self) -> str:
        # the number itself is the action's to check (statements.actions._percent)
        return self.check("percent", inputs.clean_text, max_length=12, required=True)

    def clean_contract(self) -> str:
        return self.check("contract", inputs.clean_text, max_length=CONTRACT_MAX)
