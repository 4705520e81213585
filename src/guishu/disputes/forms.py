"""The forms of complaints, disputes, their decision and appeals; each error names its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.disputes.actions import NOTE_MAX
from guishu.sites.forms import InputField, LabelledForm, choice
from guishu.sites.templatetags.words import APPEAL_OUTCOMES, COMPLAINT_TYPES


def _people(field: forms.Field, people: list[tuple[str, str]], empty: str = "—") -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", empty), *people]


class FileComplaintForm(LabelledForm):
    """S1.6, S8.9, S14.3e, S16.13: the customer complains of, or refuses, a consultant."""

    phone = InputField(label=_("客户电话"), max_length=inputs.PHONE_MAX)
    against = choice(_("被投诉顾问"), [])
    type = choice(_("类型"), list(COMPLAINT_TYPES.items()))

    def __init__(self, *args: object, sellers: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _people(self.fields["against"], sellers)

    def clean_phone(self) -> str:
        return self.check("phone", inputs.clean_phone)


class DisputeForm(LabelledForm):
    """查询单 (S18.16): the customer and the consultant's written statement."""

    phone = InputField(label=_("客户电话"), max_length=inputs.PHONE_MAX)
    note = InputField(label=_("情况说明"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_phone(self) -> str:
        return self.check("phone", inputs.clean_phone)

    def clean_note(self) -> str:
        return self.check("note", inputs.clean_text, max_length=NOTE_MAX, required=True)


class DecisionForm(LabelledForm):
    """The manager's decision of a dispute: the owner, the clause, the reason."""

    dispute = InputField(label=_("查询单"), max_length=64)
    owner = choice(_("归属顾问"), [])
    rule = choice(_("依据条款"), [])
    reason = InputField(label=_("理由"), max_length=NOTE_MAX)

    def __init__(self, *args: object, sellers: list[tuple[str, str]], clauses: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _people(self.fields["owner"], sellers)
        rule = self.fields["rule"]
        assert isinstance(rule, forms.ChoiceField)
        rule.choices = [(c, c) for c in clauses]

    def clean_dispute(self) -> str:
        return self.check("dispute", inputs.clean_text, max_length=64, required=True)

    def clean_reason(self) -> str:
        return self.check("reason", inputs.clean_text, max_length=NOTE_MAX, required=True)


class AppealForm(LabelledForm):
    """S18.17: the ruling appealed, by whom, the outcome, who did not follow the policy, the owner."""

    ruling = InputField(label=_("裁定"), max_length=64)
    appellant = choice(_("申诉人"), [])
    outcome = choice(_("申诉结果"), list(APPEAL_OUTCOMES.items()))
    responsible = forms.MultipleChoiceField(label=_("未按制度判定的主管/经理"), required=False, choices=[])
    owner = choice(_("改判后归属"), [], required=False)

    def __init__(
        self, *args: object, sellers: list[tuple[str, str]], deciders: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _people(self.fields["appellant"], sellers)
        _people(self.fields["owner"], sellers)
        responsible = self.fields["responsible"]
        assert isinstance(responsible, forms.MultipleChoiceField)
        responsible.choices = deciders
        responsible.error_messages["invalid_choice"] = _("不在可选的范围内")

    def clean_ruling(self) -> str:
        return self.check("ruling", inputs.clean_text, max_length=64, required=True)
