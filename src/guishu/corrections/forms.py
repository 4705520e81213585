"""The correction form: the fact voided and why (S1.4, S8.12), each error naming its field."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.corrections.actions import FACT_ID_MAX, REASON_MAX
from guishu.sites.forms import InputField, LabelledForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CorrectionForm(LabelledForm):
    target = InputField(label=_("作废的记录"), max_length=FACT_ID_MAX)
    reason = InputField(label=_("作废理由"), max_length=REASON_MAX)

    OTHER_LABELS: ClassVar[dict[str, StrOrPromise]] = {"by": _("更正人")}

    def clean_target(self) -> str:
        return self.check("target", inputs.clean_text, max_length=FACT_ID_MAX, required=True)

    def clean_reason(self) -> str:
        return self.check("reason", inputs.clean_text, max_length=REASON_MAX, required=True)
