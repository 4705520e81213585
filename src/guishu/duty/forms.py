"""The duty sheet's forms: a status for a consultant from now (until a time, or the next entry),
and a leaver's customer assigned by the manager (S16.3); each error names its field."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.duty.actions import REASON_MAX, STATUSES, UNTIL_DAYS
from guishu.sites.forms import InputField, LabelledForm, choice
from guishu.sites.templatetags.words import DUTY_STATUSES


class DutyForm(LabelledForm):
    staff = choice(_("置业顾问"), [])
    status = choice(_("状态"), [(s, DUTY_STATUSES[s]) for s in STATUSES])
    until = forms.DateTimeField(
        label=_("截止时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"invalid": _("应为日期和时间,如 2026-03-02 18:00")},
    )

    def __init__(self, *args: object, sellers: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        staff = self.fields["staff"]
        assert isinstance(staff, forms.ChoiceField)
        staff.choices = [("", "—"), *sellers]

    def clean_until(self) -> datetime | None:
        until: datetime | None = self.cleaned_data.get("until")
        if until is None:
            return None
        now = timezone.now()
        if until <= now:
            raise ValidationError(_("应晚于现在"))
        if until > now + timedelta(days=UNTIL_DAYS):
            raise ValidationError(_("最多 %(days)s 天以后") % {"days": UNTIL_DAYS})
        return until


class AssignForm(LabelledForm):
    """S16.3: the manager gives a leaver's customer (one without a deposit) to a consultant."""

    group = InputField(label=_("客户"), max_length=32)  # GroupVerdict.group
    owner = choice(_("分配给"), [])
    reason = InputField(label=_("理由"), max_length=REASON_MAX)

    def __init__(self, *args: object, sellers: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", "—"), *sellers]

    def clean_group(self) -> str:
        return self.check("group", inputs.clean_staff)

    def clean_reason(self) -> str:
        return self.check("reason", inputs.clean_text, max_length=REASON_MAX, required=True)
