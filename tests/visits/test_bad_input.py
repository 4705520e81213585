"""Bad input on the visit confirmation forms (S6.6-S6.8): a clear 4xx naming the field in Chinese,
never a 500, and nothing half-written: no form is stored, no party signs, for a confirmation the
record would refuse."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from guishu.record import engines
from guishu.record.actions import RecordInputError, append_fact
from guishu.record.models import Entry, Project
from guishu.sites.forms import InputField, LabelledForm
from guishu.visits import actions
from guishu.visits.forms import CameAloneForm, OpenVisitForm
from guishu.visits.models import Signature, VisitForm
from tests.desk import hostile
from tests.record.builders import make_project
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)

OPEN = {"name": "李梅", "gender": "F", "phone": "138 0000 0002", "phone_shown": "1380**00002", "agent": "wangwu"}
ALONE = {"came_alone": "1", "name": "李梅", "gender": "F", "phone": "13800000002", "named_channel": "hx"}
SIGNERS = ("wangwu", "sunba", "qianjiu")


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project()
    user("sunba", "clerk", "孙八")
    user("qianjiu", "marketing_manager", "钱九")
    user("wangwu", "agent", "王五")
    append_fact(
        project=project,
        data={
            "kind": "report",
            "channel": "hx",
            "agent": "wangwu",
            "name": "李梅",
            "gender": "F",
            "phone": "1380**00002",
        },
    )
    return project


def _case_id(case: tuple[str, str, hostile.Value]) -> str:
    return f"{case[0]}-{case[2].kind}"


OPEN_CASES = [
    *[("name", "客户姓名", v) for v in hostile.NAMES],
    *[("gender", "性别", v) for v in (*hostile.IDS, hostile.Value("blank", ""))],
    *[("phone", "客户全号码", v) for v in hostile.PHONES],
    *[
        ("phone_shown", "确认单上的遮挡号码", v)
        for v in (
            hostile.DIGITS_10K,
            hostile.NUL,
            hostile.BAD_UTF8,
            hostile.EMOJI,
            hostile.HUGE,
            hostile.MASK_NOTHING,  # no mobile fits it
            hostile.Value("another customer's mask", "1390**00002"),  # fits a phone, not this one
            hostile.Value("too few digits", "13*****0002"),
            hostile.Value("blank", ""),
        )
    ],
    *[("agent", "分销个人", v) for v in (*hostile.IDS, hostile.Value("a consultant", "lisi"))],
]


@pytest.mark.parametrize("case", OPEN_CASES, ids=_case_id)
def test_a_hostile_visit_form_is_refused_before_it_is_stored(
    site: Project, case: tuple[str, str, hostile.Value]
) -> None:
    """S6.6, S6.7: a name over 32 characters, an agent over 64, a NUL, 10 KB, bytes that are not
    UTF-8, a mask that fits nothing: the clerk is told which field, and no form waits for
    signatures that could never make a confirmation."""
    field, label, value = case
    before = hostile.written()
    response = hostile.post(client_for("sunba"), "/s/demo/visits/", OPEN, field, value)
    hostile.assert_refused(response, label, before)


ALONE_CASES = [
    *[("name", "客户姓名", v) for v in hostile.NAMES],
    *[("gender", "性别", v) for v in hostile.IDS],
    *[("phone", "客户全号码", v) for v in hostile.PHONES],
    *[("named_channel", "客户写明的分销单位", v) for v in (*hostile.TEXTS, hostile.Value("over-long", "华" * 65))],
]


@pytest.mark.parametrize("case", ALONE_CASES, ids=_case_id)
def test_a_hostile_came_alone_confirmation_is_refused(site: Project, case: tuple[str, str, hostile.Value]) -> None:
    """S6.8: the customer who came alone writes the form himself: a 10 KB name or a NUL is named
    and refused, never a 500 (PostgreSQL refused both with a server error)."""
    field, label, value = case
    before = hostile.written()
    response = hostile.post(client_for("sunba"), "/s/demo/visits/", ALONE, field, value)
    hostile.assert_refused(response, label, before)


def test_unknown_fields_of_a_visit_form_are_ignored(site: Project) -> None:
    """S6.6: the channel is the named agent's own firm and the entry time the server's, whatever
    a client adds to the form."""
    extra = {"channel": "jy", "entry_at": "2020-01-01T00:00", "opened_by": "1", "fact_id": "x", "evil": "😀" * 1000}
    assert client_for("sunba").post("/s/demo/visits/", {**OPEN, **extra}).status_code == 302
    form = VisitForm.objects.get()
    assert form.channel == "hx" and form.fact_id == "" and form.entry_at.year == timezone.now().year
    assert form.phone == "+8613800000002" and form.phone_shown == "1380**00002"


def test_the_three_signatures_of_a_checked_form_make_the_confirmation(site: Project) -> None:
    """S6.7: a form the checks let through is one the record takes: the third signature submits."""
    assert client_for("sunba").post("/s/demo/visits/", OPEN).status_code == 302
    form = VisitForm.objects.get()
    for signer in SIGNERS:
        assert client_for(signer).post(f"/s/demo/visits/{form.pk}/sign/").status_code == 302
    entry = Entry.objects.get(kind="visit_confirmation")
    assert entry.payload["name"] == "李梅" and len(entry.payload["signoffs"]) == 3


def _stored_form(project: Project, **values: Any) -> VisitForm:
    """A form stored as an older version let it be (no checks), straight into the table."""
    fields: dict[str, Any] = {
        "name": "李梅",
        "gender": "F",
        "phone": "+8613800000002",
        "phone_shown": "1380**00002",
        "channel": "hx",
        "agent": "wangwu",
        **values,
    }
    clerk = user("sunba", "clerk", "孙八")
    return VisitForm.objects.create(project=project, entry_at=timezone.now(), opened_by=clerk, **fields)


@pytest.mark.parametrize(
    ("values", "label"),
    [
        ({"gender": "X"}, "性别"),
        ({"phone": "+86garbage"}, "客户全号码"),
        ({"name": "李\x00梅"}, "确认单"),  # SQLite stored it; PostgreSQL cannot
    ],
    ids=["gender", "phone", "NUL"],
)
def test_a_stored_form_the_record_would_refuse_is_never_signed(
    site: Project, values: dict[str, str], label: str
) -> None:
    """S6.7: a form stored before its values were checked collected all three signatures and
    could then never be submitted. Now the first signer is refused, the form named, and no
    signature is stored."""
    if "\x00" in values.get("name", "") and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store the NUL this form needs")
    form = _stored_form(site, **values)
    before = hostile.written()
    for signer in SIGNERS:
        response = client_for(signer).post(f"/s/demo/visits/{form.pk}/sign/")
        assert response.status_code == 409
        page = response.content.decode()
        assert f"{label}: " in page
        assert hostile.RECORD_KEY.search(page) is None
    assert hostile.written() == before


def test_a_third_signature_the_record_refuses_is_taken_back(site: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """S6.7: when the record refuses the finished confirmation, the last signature is not kept:
    the form stays open with two signatures, and the third party may sign again."""
    assert client_for("sunba").post("/s/demo/visits/", OPEN).status_code == 302
    form = VisitForm.objects.get()
    for signer in SIGNERS[:2]:
        assert client_for(signer).post(f"/s/demo/visits/{form.pk}/sign/").status_code == 302

    def refuse(**_kwargs: Any) -> None:
        raise RecordInputError("at", "早于记录中最后一条事实 / earlier than the record's last fact")

    monkeypatch.setattr(actions, "append_fact", refuse)
    response = client_for("qianjiu").post(f"/s/demo/visits/{form.pk}/sign/")
    assert response.status_code == 409
    assert Signature.objects.filter(form=form).count() == 2
    monkeypatch.undo()
    assert client_for("qianjiu").post(f"/s/demo/visits/{form.pk}/sign/").status_code == 302
    assert Entry.objects.filter(kind="visit_confirmation").count() == 1


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0"])
def test_signing_a_form_that_is_not_there_is_a_404(site: Project, pk: str) -> None:
    """S6.7: a form id no form has (even past the database's integers) is as good as unknown."""
    assert client_for("sunba").post(f"/s/demo/visits/{pk}/sign/").status_code == 404


@pytest.mark.parametrize("form_class", [OpenVisitForm, CameAloneForm], ids=lambda c: c.__name__)
def test_the_visit_forms_fields_fit_the_columns(form_class: type[LabelledForm]) -> None:
    """The forms' limits are the columns' (VisitForm: name 32, phone 20, agent 64 ...), so what a
    form lets through PostgreSQL stores."""
    columns = {f.name: f.max_length for f in VisitForm._meta.get_fields() if getattr(f, "max_length", None)}
    columns["named_channel"] = columns["channel"]  # the firm the customer wrote, in the fact
    for name, field in form_class.base_fields.items():
        if isinstance(field, InputField):
            assert field.max_length is not None and field.max_length <= columns[name], name


def test_in_english_the_error_names_the_field_in_english(site: Project) -> None:
    """The person's language: in English mode the label and the reason are English."""
    with translation.override("en"):
        label = translation.gettext("客户姓名")
    assert label != "客户姓名"
    c = client_for("sunba")
    c.cookies["django_language"] = "en"
    response = hostile.post(c, "/s/demo/visits/", OPEN, "name", hostile.OVER_LONG_NAME)
    assert response.status_code == 422
    page = response.content.decode()
    assert f"{label}: at most 32 characters" in page and "最多32个字" not in page
