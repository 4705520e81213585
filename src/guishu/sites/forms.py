"""The site screens' forms, and the one way their errors are worded.

Every field that becomes part of a fact is checked by ``guishu.core.inputs`` in its form's
``clean_<field>`` (an ``InputField``: the column's length reaches the browser as ``maxlength``
and the check, the message is the inputs' own). Every error starts with its field's label in
words ("客户姓名: 最多32个字"), and a refusal of the record (``RecordInputError``) is worded the same
way: its field key is looked up, never shown; a key the screen does not know gets a generic word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from guishu.core import inputs
from guishu.core.inputs import InputError
from guishu.record.actions import RecordInputError
from guishu.sites.access import NotPermitted

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ANY_FIELD = _("填写的内容")  # the label of a refusal whose field the screen does not name
NOT_A_CHOICE = _("不在可选的范围内")
# what Django makes of bytes that are not UTF-8 (%ff%fe in a form body): never typed on purpose
NOT_UTF8 = _("含有无效的字符编码")
BIGGEST_ID = 2**63 - 1  # a database id (BigAutoField) on SQLite and PostgreSQL


def in_language(message: str) -> str:
    """The person's language of a bilingual "中文 / English" message (Chinese by default)."""
    zh, sep, en = message.partition(" / ")
    return en.strip() if sep and translation.get_language() == "en" else zh.strip()


def input_message(exc: InputError) -> str:
    return exc.en if translation.get_language() == "en" else exc.zh


def labelled(label: StrOrPromise, message: str) -> str:
    """'label: message', once."""
    prefix = f"{label}: "
    return message if message.startswith(prefix) else prefix + message


def refusal(exc: RecordInputError, labels: Mapping[str, StrOrPromise]) -> str:
    """A refusal of the record in words: the field's label (a generic word for a key the screen
    does not know, never the key) and the reason in the person's language."""
    return labelled(labels.get(exc.field, ANY_FIELD), in_language(exc.message))


class InputField(forms.CharField):
    """Text checked by ``core.inputs`` in the form's ``clean_<field>``; ``max_length`` is the
    column's (the browser's ``maxlength``), the check and its wording are the inputs'."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)  # "必填" is the inputs' to say, with the rest
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)
        ]


def choice(label: StrOrPromise, choices: list[tuple[str, Any]], *, required: bool = True) -> forms.ChoiceField:
    """A choice whose refusal does not echo the value typed (it may be 10 KB of anything)."""
    return forms.ChoiceField(
        label=label, choices=choices, required=required, error_messages={"invalid_choice": NOT_A_CHOICE}
    )


class FastSelect(forms.Select):
    """A plain select drawn without the template engine. The site's consultants (a hundred at a
    large site) are several selects of every desk answer, where Django's template per option
    costs milliseconds each (bench/rotation.py); the HTML is the same as ``forms.Select``'s."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        values = value if isinstance(value, list | tuple) else [value]
        chosen = {str(v) for v in values if v is not None}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class FlatChoices(BaseChoiceIterator):
    """Choices already flat ``(value, label)`` pairs: Django keeps them as given instead of
    normalising every pair again for each field and widget (a hundred consultants, several
    fields, every desk answer), and a form's copy of its fields shares them (they never change)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = tuple(pairs)

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __deepcopy__(self, memo: dict[int, Any]) -> FlatChoices:
        return self


def fast_choices(field: forms.Field, choices: list[tuple[str, Any]] | FlatChoices) -> None:
    """Give a choice field these choices, drawn by ``FastSelect``."""
    assert isinstance(field, forms.ChoiceField)
    field.widget = FastSelect(attrs=field.widget.attrs)
    field.choices = choices if isinstance(choices, FlatChoices) else FlatChoices(choices)


class LabelledForm(forms.Form):
    """A form whose every error names its field in words."""

    # the record's field keys (RecordInputError.field) -> this form's fields
    FIELD_OF: ClassVar[dict[str, str]] = {}
    # labels of record keys that are no field of the form (set by the system, not typed)
    OTHER_LABELS: ClassVar[dict[str, StrOrPromise]] = {}

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        for name in list(self.errors):
            if name in self.fields:
                label = self.label_of(name)
                messages = [labelled(label, str(m)) for m in self.errors[name]]
                self.errors[name] = self.error_class(messages, renderer=self.renderer)

    def label_of(self, name: str) -> str:
        field = self.fields.get(name)
        if field is not None and field.label:
            return str(field.label)
        return str(self.OTHER_LABELS.get(name, ANY_FIELD))

    def check(self, name: str, clean: Callable[..., str], **options: Any) -> str:
        """The field's value through a ``core.inputs`` check; its refusal is the field's error."""
        value = self.cleaned_data.get(name) or ""
        if "\ufffd" in value:
            raise ValidationError(NOT_UTF8)
        most = getattr(self.fields[name], "max_length", None)
        try:
            if most is not None:  # the column's bound, whatever the check's own
                inputs.clean_text(value, max_length=most)
            return clean(value, **options)
        except InputError as exc:
            raise ValidationError(input_message(exc)) from None

    def add_record_error(self, exc: RecordInputError) -> None:
        """The record's refusal on the field it names (a form error when no field is typed)."""
        name = self.FIELD_OF.get(exc.field, exc.field)
        if name in self.fields:
            self.add_error(name, labelled(self.label_of(name), in_language(exc.message)))
        else:
            label = self.OTHER_LABELS.get(exc.field) or self.OTHER_LABELS.get(name) or ANY_FIELD
            self.add_error(None, labelled(label, in_language(exc.message)))

    def submit(self, write: Callable[[dict[str, Any]], object]) -> int | None:
        """Write the valid form's cleaned data through its action: None when it was written, else
        the refusal's status (422 for what was typed, 403 for who asks), its error on the form."""
        if not self.is_valid():
            return 422
        try:
            write(self.cleaned_data)
        except RecordInputError as exc:
            self.add_record_error(exc)
            return 403 if isinstance(exc, NotPermitted) else 422
        return None

    def messages(self) -> list[str]:
        """Every error, each already naming its field."""
        return [str(m) for errors in self.errors.values() for m in errors]

    def error_text(self) -> str:
        """The errors in one line, for screens that show one."""
        return "；".join(self.messages())


# ---------------------------------------------------------------------------
# Site administration (案场管理) and a new site


class JoinForm(LabelledForm):
    staff = InputField(label=_("登录名"), max_length=inputs.STAFF_MAX)
    name = InputField(label=_("姓名"), max_length=inputs.NAME_MAX)
    role = InputField(label=_("角色"), max_length=32)
    team = InputField(label=_("小组"), max_length=16)
    channel = InputField(label=_("分销单位"), max_length=64)

    def clean_staff(self) -> str:
        return self.check("staff", inputs.clean_staff)

    def clean_name(self) -> str:
        return self.check("name", inputs.clean_name)

    def clean_role(self) -> str:
        return self.check("role", inputs.clean_staff)

    def clean_team(self) -> str:
        return self.check("team", inputs.clean_text, max_length=16)

    def clean_channel(self) -> str:
        return self.check("channel", inputs.clean_staff, required=False)


class StaffForm(LabelledForm):
    """One person of the site: leaving, a password reset."""

    staff = InputField(label=_("登录名"), max_length=inputs.STAFF_MAX)

    def clean_staff(self) -> str:
        return self.check("staff", inputs.clean_staff)


class ChannelForm(LabelledForm):
    channel = InputField(label=_("单位代码"), max_length=32)
    name = InputField(label=_("单位名称"), max_length=64)

    def clean_channel(self) -> str:
        return self.check("channel", inputs.clean_staff)

    def clean_name(self) -> str:
        return self.check("name", inputs.clean_text, max_length=64, required=True)


class KeyForm(LabelledForm):
    agent = InputField(label=_("分销人员"), max_length=inputs.STAFF_MAX)

    def clean_agent(self) -> str:
        return self.check("agent", inputs.clean_staff)


class RevokeForm(LabelledForm):
    key = forms.IntegerField(label=_("接口密钥"), min_value=1, max_value=BIGGEST_ID)


class NewSiteForm(LabelledForm):
    code = InputField(label=_("案场代码"), max_length=32)
    name = InputField(label=_("案场名称"), max_length=100)
    policy = InputField(label=_("制度"), max_length=32)

    def clean_code(self) -> str:
        return self.check("code", inputs.clean_staff)

    def clean_name(self) -> str:
        return self.check("name", inputs.clean_text, max_length=100, required=True)

    def clean_policy(self) -> str:
        return self.check("policy", inputs.clean_staff)
