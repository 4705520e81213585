"""The desk screens through Django's test client: judging, registering, privacy, roles."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from guishu.desk import selectors
from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.record.builders import make_project, visit
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project()
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    user("zhaoliu", "manager", "赵六")
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    return project


def test_owner_sees_the_full_phone_and_it_is_recorded(site: Project) -> None:
    """S3.1: the owner sees his customer's full phone; the display is a fact of the site's record."""
    # when
    page = client_for("zhangsan").post("/s/demo/desk/", {"q": "138 0000 0001"}).content.decode()
    # then
    assert "13800000001" in page and "已归属" in page and "S8.1" in page
    seen = Entry.objects.get(project=site, kind="disclosed")
    assert seen.actor is not None and seen.actor.username == "zhangsan"
    assert {k: seen.payload[k] for k in ("staff", "screen", "shown", "phones")} == {
        "staff": "zhangsan",
        "screen": "desk",
        "shown": ["phone"],
        "phones": ["+8613800000001"],
    }


def test_another_consultant_sees_a_masked_phone(site: Project) -> None:
    """S3.1, S8.2: another consultant learns whose customer it is, but only a masked phone."""
    page = (
        client_for("lisi").post("/s/demo/desk/", {"q": "13800000001"}, headers={"HX-Request": "true"}).content.decode()
    )
    assert "138****0001" in page and "13800000001" not in page
    assert "张三" in page and "zhangsan" not in page  # by his name, never his login
    assert not Entry.objects.filter(kind="disclosed").exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("138****0001", "138****0001"), ("王建国", "王建国"), ("汪建国", "王建国")],
)
def test_lookup_by_mask_and_by_name(site: Project, query: str, expected: str) -> None:
    """S6.1, core: a masked phone or a name (even a homophone) finds the customer."""
    page = client_for("lisi").post("/s/demo/desk/", {"q": query}, headers={"HX-Request": "true"}).content.decode()
    assert expected in page and "已归属" in page


def test_lookup_of_an_unknown_phone_says_new(site: Project) -> None:
    """S8.2: a number with no record is a new customer."""
    page = client_for("lisi").post("/s/demo/desk/", {"q": "13900000009"}).content.decode()
    assert "新客户" in page


def test_malformed_phone_gets_a_clear_error(site: Project) -> None:
    """S4.3: a wrong number (twelve digits) is named as such, never a 500; seven to ten digits are
    a phone's first digits (tests/desk/test_lookup_words.py)."""
    response = client_for("lisi").post("/s/demo/desk/", {"q": "138000000012"})
    assert response.status_code == 200
    assert "无效的电话号码" in response.content.decode() or "无法识别" in response.content.decode()


def test_registration_is_validated_against_the_policy(site: Project) -> None:
    """S8.5: s8 needs the gender: a registration without it is refused, the field named in Chinese."""
    # given
    before = Entry.objects.count()
    data = {"mode": "visit", "name": "李梅", "phone": "13800000002", "intent": "两居", "source": "路过"}
    # when
    response = client_for("lisi").post("/s/demo/register/", data)
    # then
    assert response.status_code == 422
    assert "性别" in response.content.decode() and "S8.5" in response.content.decode()
    assert Entry.objects.count() == before


def test_registration_appends_and_shows_the_verdict(site: Project) -> None:
    """S8.1: a valid registration is appended and the new owner shown at once."""
    data = {"mode": "visit", "name": "李梅", "gender": "F", "phone": "13800000002", "intent": "两居", "source": "路过"}
    response = client_for("lisi").post("/s/demo/register/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "13800000002" in page and "李四" in page and "已归属" in page
    assert Entry.objects.filter(kind="registration").count() == 2


def test_second_registrant_is_told_who_was_first(site: Project) -> None:
    """S8.1, S14.3: registering an owned customer records the collision and shows the first owner."""
    data = {
        "mode": "visit",
        "name": "王建国",
        "gender": "M",
        "phone": "13800000001",
        "intent": "三居",
        "source": "路过",
    }
    page = client_for("lisi").post("/s/demo/register/", data).content.decode()
    assert "张三" in page and "138****0001" in page


def test_trail_needs_the_managers_permission(site: Project) -> None:
    """S18.18, S4.4: browsing a customer's full trail needs the manager's permission."""
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    assert client_for("lisi").get(f"/s/demo/customer/{group}/").status_code == 403
    page = client_for("zhaoliu").get(f"/s/demo/customer/{group}/").content.decode()
    assert "来访登记" in page
    assert Entry.objects.get(project=site, kind="registration").hash[:12] in page


def test_consultant_logs_a_follow_up_of_his_own_customer(site: Project) -> None:
    """S8.11: a follow-up restarts the 7-day cycle; only the owner may log it."""
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    assert client_for("lisi").post("/s/demo/follow-up/", {"group": group}).status_code == 403
    response = client_for("zhangsan").post("/s/demo/follow-up/", {"group": group, "method": "sms"})
    assert response.status_code == 200
    assert Entry.objects.filter(kind="follow_up", payload__consultant="zhangsan").count() == 1


def test_anonymous_is_sent_to_login(site: Project) -> None:
    """core: every screen needs a login; S3.1: and the login page is not handed a desk query."""
    for response in (
        Client().post("/s/demo/desk/", {"q": "13800000001"}),
        Client().get("/s/demo/desk/", {"q": "13800000001"}),  # an old bookmark of the GET form
    ):
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/s/demo/desk/"


def test_english_is_one_choice_away(site: Project) -> None:
    """core: the desk is Chinese first; a person who chooses English gets English labels and reasons."""
    c = client_for("zhangsan")
    chinese = c.post("/s/demo/desk/", {"q": "13800000001"}).content.decode()
    assert "判客" in chinese and "第一有效来访登记" in chinese
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = c.post("/s/demo/desk/", {"q": "13800000001"}).content.decode()
    assert "Front desk" in english and "Owned" in english
    assert "first valid visit registration" in english
    assert "Owner" in english and "protected until" in english and "保护至" not in english


def test_the_card_links_the_trail_only_for_who_may_browse_it(site: Project) -> None:
    """S18.18, S4.4: the lookup card offers the full trail to a manager, not to a consultant."""
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    htmx = {"HX-Request": "true"}
    manager = client_for("zhaoliu").post("/s/demo/desk/", {"q": "13800000001"}, headers=htmx).content.decode()
    consultant = client_for("lisi").post("/s/demo/desk/", {"q": "13800000001"}, headers=htmx).content.decode()
    assert f'href="/s/demo/customer/{group}/"' in manager and "完整记录" in manager
    assert "/customer/" not in consultant and "完整记录" not in consultant


def test_a_common_name_shows_the_most_recent_few(site: Project) -> None:
    """core: a name many customers share shows the most recently active ones, newest first."""
    for k in range(selectors.NAME_RESULTS + 2):
        append_fact(project=site, data=visit("lisi", f"1370000{k:04d}", "王建国"))
    page = client_for("zhaoliu").post("/s/demo/desk/", {"q": "王建国"}, headers={"HX-Request": "true"}).content.decode()
    shown = re.findall(r"137\*{4}(\d{4})", page)
    newest = [f"{k:04d}" for k in reversed(range(selectors.NAME_RESULTS + 2))][: selectors.NAME_RESULTS]
    assert shown == newest
    assert "138****0001" not in page  # the first 王建国, least recent, is not among them


def test_an_ambiguous_mask_is_never_guessed(site: Project) -> None:
    """S6.1: a masked phone that fits two customers shows no customer, only that it is ambiguous."""
    append_fact(project=site, data=visit("lisi", "13812340001", "李梅", gender="F"))
    page = (
        client_for("lisi").post("/s/demo/desk/", {"q": "138****0001"}, headers={"HX-Request": "true"}).content.decode()
    )
    assert "无法判定" in page and "2" in page
    assert "card" not in page


@pytest.mark.parametrize(("who", "role", "receiver"), [("lisi", None, False), ("fangxiao", "front_desk", True)])
def test_whoever_may_register_gets_the_form_and_the_front_desk_chooses_the_receiver(
    site: Project, who: str, role: str | None, receiver: bool
) -> None:
    """S4.3, S1.3: a consultant registers for himself; the front desk (and the clerk) for the
    receiving consultant, chosen among the site's consultants."""
    if role:
        user(who, role)
    page = client_for(who).get("/s/demo/desk/").content.decode()
    assert 'name="phone"' in page and 'name="named_consultant"' in page
    assert ('name="receiver"' in page) is receiver
