"""The filings page's forms; each error names its field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.sites.forms import InputField, LabelledForm, choice
from guishu.sites.templatetags.words import MILESTONES, RELATIONS


class CustomerForm(LabelledForm):
    """A customer by phone and (optionally) name: a pre-filing (S18.20), a developer's notice (S18.22)."""

    phone = InputField(label=_("客户电话"), max_length=inputs.PHONE_MAX)
    name = InputField(label=_("客户姓名"), max_length=inputs.NAME_MAX)

    def clean_phone(self) -> str:
        return self.check("phone", inputs.clean_phone)

    def clean_name(self) -> str:
        return self.check("name", inputs.clean_name, required=False)


class RelationForm(LabelledForm):
    """Two customers are related (S8.3, S14.3f, S18.11)."""

    phone_a = InputField(label=_("客户电话"), max_length=inputs.PHONE_MAX)
    phone_b = InputField(label=_("亲属电话"), max_length=inputs.PHONE_MAX)
    relation = choice(_("关系"), list(RELATIONS.items()))

    def clean_phone_a(self) -> str:
        return self.check("phone_a", inputs.clean_phone)

    def clean_phone_b(self) -> str:
        return self.check("phone_b", inputs.clean_phone)


class MilestoneForm(LabelledForm):
    milestone = choice(_("节点"), list(MILESTONES.items()))
