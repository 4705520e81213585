"""Bad input at the desk: always a clear answer, never a 500, nothing half-written."""

from __future__ import annotations

import inspect

import pytest

from guishu.policies import load_preset
from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from guishu.sites.forms import InputField, LabelledForm
from tests.desk import hostile
from tests.record.builders import make_project, visit
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)

ODD = [
    "*",
    "******",
    "138****",
    "1" * 300,
    "😀😀",
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    "１３８ ００００ ０００１",
    "+86 (0)10 1234 5678",
    "\u0000",
    " ",
    "王" * 70,
]


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project()
    user("lisi", "consultant")
    user("zhaoliu", "manager")
    user("sunba", "clerk")
    return project


@pytest.mark.parametrize("query", ODD)
def test_odd_lookups_never_fail(site: Project, query: str) -> None:
    """S4.3: whatever is typed at the front desk gets an answer, never a server error."""
    response = client_for("lisi").post("/s/demo/desk/", {"q": query}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()  # escaped, not executed


@pytest.mark.parametrize(
    "data",
    [
        {"mode": "boat", "name": "李梅", "gender": "F", "phone": "13800000002"},
        {"mode": "visit", "name": "李梅", "gender": "X", "phone": "13800000002"},
        {"mode": "visit", "name": "李" * 100, "gender": "F", "phone": "13800000002"},
        {"mode": "visit", "name": "李梅", "gender": "F", "phone": "138****0002"},
        {"mode": "visit", "name": "李梅", "gender": "F", "phone": "\u0000"},
        {},
    ],
)
def test_bad_registrations_are_refused_cleanly(site: Project, data: dict[str, str]) -> None:
    """S8.5: a malformed registration is refused with a 422 and nothing is written."""
    before = Entry.objects.count()
    response = client_for("lisi").post("/s/demo/register/", data)
    assert response.status_code == 422
    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("zhaoliu", "get", "/customer/Gnothere/"),
        ("lisi", "post", "/follow-up/"),
        ("lisi", "post", "/claim/"),
        ("sunba", "get", "/clerk/?day=yesterday"),
        ("sunba", "post", "/visits/999/sign/"),
        ("zhaoliu", "post", "/manage/approve/"),
    ],
)
def test_missing_or_wrong_targets_are_4xx(site: Project, who: str, method: str, path: str) -> None:
    """core: unknown groups, forms and complaints answer 4xx (or fall back), never 500."""
    response = getattr(client_for(who), method)(path)
    assert response.status_code < 500


# ---------------------------------------------------------------------------
# Every form of the desk x hostile values: a 4xx naming the field in Chinese, nothing written

REGISTRATION = {
    "mode": "visit",
    "name": "李梅",
    "gender": "F",
    "phone": "13800000002",
    "intent": "两居",
    "source": "路过",
}
REGISTRATION_CASES = [
    *[("name", "客户姓名", v) for v in hostile.NAMES],
    *[("phone", "客户电话", v) for v in hostile.PHONES],
    *[(f, label, v) for f, label in (("intent", "购房意向"), ("source", "信息来源")) for v in hostile.TEXTS],
    *[(f, label, v) for f, label in (("mode", "方式"), ("gender", "性别")) for v in hostile.IDS],
    *[
        (f, label, v)
        for f, label in (("named_consultant", "客户指名的顾问"), ("sms_from", "收到哪位顾问的短信"))
        for v in (*hostile.IDS, hostile.Value("nobody", "nobody"))
    ],
]


def _case_id(case: tuple[str, str, hostile.Value]) -> str:
    return f"{case[0]}-{case[2].kind}"


@pytest.mark.parametrize("case", REGISTRATION_CASES, ids=_case_id)
def test_a_hostile_registration_is_refused_naming_its_field(
    site: Project, case: tuple[str, str, hostile.Value]
) -> None:
    """S4.3, S8.5: whatever a field of the register holds, the consultant is told which field is
    wrong, in Chinese, and nothing reaches the record."""
    field, label, value = case
    before = hostile.written()
    response = hostile.post(client_for("lisi"), "/s/demo/register/", REGISTRATION, field, value)
    hostile.assert_refused(response, label, before)


@pytest.mark.parametrize("value", [*hostile.IDS, hostile.Value("a manager", "zhaoliu")], ids=lambda v: v.kind)
def test_a_registration_for_someone_who_is_no_consultant_is_refused(site: Project, value: hostile.Value) -> None:
    """S1.3: the clerk enters a register for a consultant of the site, never for anyone else."""
    before = hostile.written()
    response = hostile.post(client_for("sunba"), "/s/demo/register/", REGISTRATION, "receiver", value)
    hostile.assert_refused(response, "接待顾问", before)


def test_unknown_fields_of_a_registration_are_ignored(site: Project) -> None:
    """S4.3: the receiver is the signed-in consultant and the time the server's: fields a
    hostile client adds (another consultant, a chosen id or time) change nothing."""
    extra = {"consultant": "zhangsan", "entered_by": "zhaoliu", "id": "demo-1", "at": "2020-01-01T00:00+08:00"}
    response = client_for("lisi").post("/s/demo/register/", {**REGISTRATION, **extra, "evil": "x" * 10_000})
    assert response.status_code == 200
    entry = Entry.objects.get(kind="registration")
    assert entry.payload["consultant"] == "lisi" and "entered_by" not in entry.payload
    assert entry.fact_id != "demo-1" and not entry.payload["at"].startswith("2020")


def test_a_clean_registration_is_stored_as_the_inputs_clean_it(site: Project) -> None:
    """The checked values are the ones recorded: the phone in full E.164, the name trimmed."""
    data = {**REGISTRATION, "name": "  李梅 ", "phone": "１３８ ００００ ０００２", "named_consultant": "zhaoliu"}
    assert client_for("lisi").post("/s/demo/register/", data).status_code == 422  # a manager is no consultant
    data["named_consultant"] = "lisi"
    assert client_for("lisi").post("/s/demo/register/", data).status_code == 200
    customer = Entry.objects.get(kind="registration").payload["customer"]
    assert customer["name"] == "李梅" and customer["phone"] == "+8613800000002"


CARD_ACTIONS = ("/s/demo/follow-up/", "/s/demo/pending/", "/s/demo/claim/")


@pytest.mark.parametrize("url", CARD_ACTIONS)
@pytest.mark.parametrize("value", [*hostile.IDS, hostile.HUGE], ids=lambda v: v.kind)
def test_a_hostile_group_on_a_card_action_is_refused(site: Project, url: str, value: hostile.Value) -> None:
    """S8.10, S8.11: a follow-up, pending confirmation or claim of a customer that is not there
    answers with the customer named, never a 500."""
    before = hostile.written()
    response = hostile.post(client_for("lisi"), url, {"method": "call"}, "group", value)
    hostile.assert_refused(response, "客户", before)


@pytest.mark.parametrize("value", hostile.IDS, ids=lambda v: v.kind)
def test_a_hostile_follow_up_method_is_refused(site: Project, value: hostile.Value) -> None:
    """S8.11: a follow-up is a call, an SMS or a visit; anything else is named and refused."""
    append_fact(project=site, data=visit("lisi", "13800000009"))
    group = engines.live_engine(site).engine.by_phone["+8613800000009"].id
    before = hostile.written()
    response = hostile.post(client_for("lisi"), "/s/demo/follow-up/", {"group": group}, "method", value)
    hostile.assert_refused(response, "跟进方式", before)


@pytest.mark.parametrize("value", hostile.DAYS, ids=lambda v: v.kind)
def test_the_clerks_day_that_no_record_can_hold_is_a_400_with_todays_register(
    site: Project, value: hostile.Value
) -> None:
    """S1.3, S11.3: a day the clerk mistypes (year 1 or 9999, 30 February, words) is named and
    today's register shown instead, with a 400; never a 500."""
    response = client_for("sunba").get(f"/s/demo/clerk/?day={value.encoded()}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "日期: " in page and "当日登记核对" in page


@pytest.mark.parametrize("day", ["2026-03-02", "2999-12-31", "1900-01-01"])
def test_the_clerks_day_within_the_records_years_is_shown(site: Project, day: str) -> None:
    """S1.3: any day a record can hold shows its register (the first and last years too)."""
    response = client_for("sunba").get("/s/demo/clerk/", {"day": day})
    assert response.status_code == 200 and day in response.content.decode()


VERIFY = {"group": "Gnothere", "claim": "demo-1", "approved": "yes"}


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [
        *[("group", "客户", v) for v in (*hostile.IDS, hostile.HUGE)],
        *[("claim", "认领", v) for v in (*hostile.IDS, hostile.HUGE)],
        *[("approved", "核实结果", v) for v in (*hostile.IDS, hostile.Value("maybe", "maybe"))],
    ],
    ids=lambda v: v.kind if isinstance(v, hostile.Value) else str(v),
)
def test_a_hostile_claim_verification_is_refused(site: Project, field: str, label: str, value: hostile.Value) -> None:
    """S8.10: a verification of a claim that does not exist names the claim, and a finding other
    than yes or no is refused (it was read as "no"), never a 500."""
    before = hostile.written()
    response = hostile.post(client_for("sunba"), "/s/demo/clerk/verify/", VERIFY, field, value)
    hostile.assert_refused(response, label, before)


RULING = {"phone": "13800000009", "owner": "lisi", "rule": "S8.11", "reason": "原始跟进记录"}
RULING_CASES = [
    *[("phone", "客户电话", v) for v in hostile.PHONES],
    *[("owner", "归属顾问", v) for v in (*hostile.IDS, hostile.Value("nobody", "nobody"))],
    *[("rule", "依据条款", v) for v in (*hostile.IDS, hostile.CONTROL)],
    *[("reason", "理由", v) for v in (*hostile.TEXTS, hostile.Value("blank", "   "))],
]


@pytest.mark.parametrize("case", RULING_CASES, ids=_case_id)
def test_a_hostile_ruling_is_refused_naming_its_field(site: Project, case: tuple[str, str, hostile.Value]) -> None:
    """S8.12, S18.15: every part of a manager's ruling is checked before it is recorded."""
    append_fact(project=site, data=visit("lisi", "13800000009"))
    field, label, value = case
    before = hostile.written()
    response = hostile.post(client_for("zhaoliu"), "/s/demo/manage/ruling/", RULING, field, value)
    hostile.assert_refused(response, label, before)


POLICY = {"policy": "s16", "effective_at": ""}


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [
        *[("policy", "制度", v) for v in (*hostile.IDS, hostile.Value("unknown", "s99"))],
        *[("effective_at", "生效时间", v) for v in hostile.TIMES],
    ],
    ids=lambda v: v.kind if isinstance(v, hostile.Value) else str(v),
)
def test_a_hostile_policy_change_is_refused_naming_its_field(
    site: Project, field: str, label: str, value: hostile.Value
) -> None:
    """A policy change names a preset and a time a record can hold, from now on."""
    before = hostile.written()
    response = hostile.post(client_for("zhaoliu"), "/s/demo/manage/policy/", POLICY, field, value)
    hostile.assert_refused(response, label, before)


@pytest.mark.parametrize("value", [*hostile.IDS, hostile.HUGE], ids=lambda v: v.kind)
def test_a_hostile_complaint_approval_is_refused(site: Project, value: hostile.Value) -> None:
    """S8.9: approving a complaint that is not in the record names the complaint."""
    before = hostile.written()
    response = hostile.post(client_for("zhaoliu"), "/s/demo/manage/approve/", {}, "fact", value)
    hostile.assert_refused(response, "投诉", before)


@pytest.mark.parametrize(
    "path",
    ["/s/demo/customer/%00/", "/s/demo/customer/%ff%fe/", f"/s/demo/customer/{'G' * 10_000}/"],
)
def test_a_hostile_trail_is_a_404(site: Project, path: str) -> None:
    """S18.18: the trail of a customer that is not there is a 404, whatever the URL holds."""
    assert client_for("zhaoliu").get(path).status_code == 404


@pytest.mark.parametrize("value", [*hostile.NAMES, *hostile.PHONES, hostile.MASK_NOTHING], ids=lambda v: v.kind)
def test_hostile_lookups_answer_200_without_a_card(site: Project, value: hostile.Value) -> None:
    """S4.3, S6.1: a hostile query at the front desk (raw in the posted form: bytes that are not
    UTF-8, a NUL, 10 KB) gets an answer, never a server error, and finds nobody."""
    response = client_for("lisi").post(
        "/s/demo/desk/",
        f"q={value.encoded()}",
        content_type="application/x-www-form-urlencoded",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'class="card"' not in response.content.decode()


def _labelled_forms() -> list[type[LabelledForm]]:
    # the forms register as subclasses on import
    import guishu.corrections.forms
    import guishu.deals.forms
    import guishu.desk.forms
    import guishu.disputes.forms
    import guishu.duty.forms
    import guishu.filings.forms
    import guishu.handins.forms
    import guishu.rotation.forms
    import guishu.sites.forms
    import guishu.visits.forms  # noqa: F401

    found: list[type[LabelledForm]] = []
    todo = list(LabelledForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def _choices_of(form_class: type[LabelledForm]) -> dict[str, list[object]]:
    """A form's keyword-only arguments (the site's people, its clauses): none to choose from; the
    site's policy (which fields a deal asks): s8's; every field a policy may ask (ask_id): asked."""
    parameters = inspect.signature(form_class.__init__).parameters.values()
    needed = [p.name for p in parameters if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
    asks = {p.name: True for p in parameters if p.kind is p.KEYWORD_ONLY and p.name.startswith("ask_")}
    return {name: load_preset("s8") if name == "policy" else [] for name in needed} | asks


@pytest.mark.parametrize("form_class", _labelled_forms(), ids=lambda c: c.__name__)
def test_every_input_field_is_checked_and_bounded_by_its_column(form_class: type[LabelledForm]) -> None:
    """Every typed field of every form has its core.inputs check (clean_<field>), and a value one
    character over the field's max_length is refused on that field, its label first."""
    for name, field in form_class.base_fields.items():
        if not isinstance(field, InputField):
            continue
        assert callable(getattr(form_class, f"clean_{name}", None)), f"{form_class.__name__}.{name} is not checked"
        assert field.max_length is not None
        form = form_class({name: "a" * (field.max_length + 1)}, **_choices_of(form_class))
        assert not form.is_valid()
        assert form.errors[name][0].startswith(f"{field.label}: "), form.errors[name]
