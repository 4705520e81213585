"""The site screens in words: roles, firms and people by name, every code known to the vocabulary,
every time at the site; English mode in English."""

from __future__ import annotations

import html
import re
import typing
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from guishu.api import keys as api_keys
from guishu.core import events, verdict
from guishu.core.qualification import CheckItem, CheckState
from guishu.record import engines
from guishu.record.actions import append_fact, create_project
from guishu.record.models import Membership, Project
from guishu.sites import roles
from guishu.sites.templatetags import words
from guishu.visits.models import VisitForm
from tests.record.builders import AGENTS, CHANNELS, STAFF
from tests.sites.builders import client_for, group_admin, user

ZONE = "America/New_York"  # 13 hours from Beijing: a time shown in the server's zone is off
LOGINS = re.compile(r"\b(" + "|".join([*STAFF, *AGENTS]) + r")\b")
FORM = {"name": "李梅", "gender": "F", "phone": "138 0000 0002", "phone_shown": "1380**00002", "agent": "wangwu"}


def _visible(page: str) -> str:
    body = page.split("<main>", 1)[-1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]*>", " ", body))


def _local(at: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return at.astimezone(ZoneInfo(ZONE)).strftime(fmt)


def english(username: str) -> Client:
    c = client_for(username)
    c.cookies["django_language"] = "en"
    return c


# ---------------------------------------------------------------------------
# The vocabulary knows every code the record holds


def _literal(tp: object, name: str) -> tuple[str, ...]:
    hints = typing.get_type_hints(tp, include_extras=True)
    args = typing.get_args(hints[name])
    return tuple(a for a in args if isinstance(a, str))


def _fact_kinds() -> tuple[str, ...]:
    return tuple(_literal(cls, "kind")[0] for cls in typing.get_args(events.Fact))


@pytest.mark.parametrize(
    ("vocabulary", "codes"),
    [
        (words.FACT_KINDS, _fact_kinds()),
        (words.VERDICT_STATES, typing.get_args(verdict.State)),
        (words.OWNER_KINDS, typing.get_args(verdict.OwnerKind)),
        (words.MODES, _literal(events.Registration, "mode")),
        (words.REGISTRATION_MODES, _literal(events.Registration, "mode")),
        (words.FOLLOW_UP_METHODS, _literal(events.FollowUp, "method")),
        (words.COMPLAINT_TYPES, _literal(events.Complaint, "type")),
        (words.DUTY_STATUSES, _literal(events.Duty, "status")),
        (words.DEAL_TYPES, _literal(events.Deal, "type")),
        (words.CHECK_ITEMS, typing.get_args(CheckItem)),
        (words.CHECK_STATES, typing.get_args(CheckState)),
        (words.REPORT_STATUSES, _literal(verdict.ReportAnswer, "status")),
        (words.GENDERS, typing.get_args(events.Gender)),
        (words.RELATIONS, typing.get_args(events.Relation)),
        (words.DISCLOSURE_SCREENS, typing.get_args(events.DisclosureScreen)),
        (words.PERSONAL_DATA, typing.get_args(events.PersonalData)),
        (roles.ROLE_NAMES, typing.get_args(events.Role)),
    ],
)
def test_every_code_has_a_word(vocabulary: typing.Mapping[str, object], codes: tuple[str, ...]) -> None:
    """Words: every code of the record a screen may show has a word (none shown raw)."""
    assert codes, "no codes found: the test reads the wrong type"
    assert sorted(set(codes) - set(vocabulary)) == []


def test_the_words_are_english_in_english_mode() -> None:
    """Words: each vocabulary says its codes in English under ``en`` (from the catalogue)."""
    with translation.override("en"):
        assert words.fact_kind("registration") == "Registration"
        assert words.fact_words("registration", {"mode": "visit"}) == "Visit registration"
        assert words.verdict_state("owned") == "Owned"
        assert words.role_name("marketing_manager") == "Developer's marketing manager"
        assert words.role_names({"marketing_manager", "clerk"}) == ["Clerk", "Developer's marketing manager"]
    with translation.override("zh-hans"):
        assert words.fact_words("registration", {"mode": "call"}) == "来电登记"
        assert words.role_name("group_admin") == "集团管理员"


def test_role_names_english_halves_match_the_catalogue() -> None:
    """Words: ROLE_NAMES' English is what the en catalogue says for each Chinese name."""
    with translation.override("en"):
        for role, (zh, en) in roles.ROLE_NAMES.items():
            assert roles.role_name(role) == en, (role, zh)
            assert roles.role_zh(role) == zh


def test_times_are_at_the_site_in_one_format() -> None:
    """Words: a moment (aware datetime or ISO text) is shown at the site's zone, to the minute."""
    at = datetime(2026, 3, 12, 2, 30, tzinfo=UTC)
    assert words.minute(at, "Asia/Shanghai") == "2026-03-12 10:30"
    assert words.minute(at, ZONE) == "2026-03-11 22:30"
    assert words.minute("2026-03-12T10:30:00+08:00", ZONE) == "2026-03-11 22:30"
    assert words.day(at, ZONE) == "2026-03-11"
    assert words.minute(None, ZONE) == ""
    rendered = Template("{% load words %}{{ at|site_time:zone }} · {{ at|site_date:zone }}").render(
        Context({"at": at, "zone": ZONE})
    )
    assert rendered == "2026-03-11 22:30 · 2026-03-11"


def test_an_unknown_zone_falls_back_to_the_servers() -> None:
    assert words.minute(datetime(2026, 3, 12, 2, 30, tzinfo=UTC), "Mars/Olympus") == "2026-03-12 10:30"


def test_two_language_messages_show_one_half() -> None:
    with translation.override("en"):
        assert words.in_language("无效的电话号码: 1 / not a valid phone number") == "not a valid phone number"
    with translation.override("zh-hans"):
        assert words.in_language("无效的电话号码: 1 / not a valid phone number") == "无效的电话号码: 1"
        assert words.in_language("只有中文") == "只有中文"


# ---------------------------------------------------------------------------
# The screens


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = create_project(code="demo", name="示范案场", policy="s8@v2", timezone_name=ZONE)
    for staff, (name, role, team) in STAFF.items():
        append_fact(
            project=project, data={"kind": "staff_joined", "staff": staff, "name": name, "role": role, "team": team}
        )
    for channel, firm in CHANNELS.items():
        append_fact(project=project, data={"kind": "channel_joined", "channel": channel, "name": firm})
    for staff, (name, channel) in AGENTS.items():
        append_fact(
            project=project,
            data={"kind": "staff_joined", "staff": staff, "name": name, "role": "agent", "channel": channel},
        )
    for staff, (name, role, _team) in STAFF.items():
        user(staff, role, name)
    for staff, (name, _channel) in AGENTS.items():
        user(staff, "agent", name)
    return project


@pytest.mark.django_db(transaction=True)
def test_the_administration_screen_in_words(site: Project) -> None:
    """Words: the manager's administration screen gives roles by name, firms and agents by name,
    join dates and key times at the site; in English, English role names."""
    key = api_keys.issue(project=site, agent="wangwu", channel="hx")[0]
    text = _visible(client_for("zhaoliu").get("/s/demo/admin/").content.decode())
    assert "置业顾问" in text and "开发商营销经理" in text and "分销个人" in text
    assert "王五" in text and "华信置业" in text
    joined = Membership.objects.get(project=site, staff="zhangsan").joined_at
    assert _local(joined, "%Y-%m-%d") in text and _local(key.created_at) in text
    assert not LOGINS.search(text), LOGINS.search(text)
    assert "marketing_manager" not in text
    en = _visible(english("zhaoliu").get("/s/demo/admin/").content.decode())
    assert "Sales consultant" in en and "Developer's marketing manager" in en and "Channel agent" in en
    assert "置业顾问" not in en and "开发商营销经理" not in en


@pytest.mark.django_db(transaction=True)
def test_a_home_says_the_role_and_the_firm_by_name(site: Project) -> None:
    """Words: an agent's home names his role and his firm (华信置业, not hx); English in English."""
    text = _visible(client_for("wangwu").get("/s/demo/").content.decode())
    assert "分销个人" in text and "华信置业" in text and "王五" in text
    assert not re.search(r"\bhx\b", text) and not LOGINS.search(text)
    en = _visible(english("wangwu").get("/s/demo/").content.decode())
    assert "Channel agent" in en and "分销个人" not in en


@pytest.mark.django_db(transaction=True)
def test_a_consultants_home_figures_in_english(site: Project) -> None:
    en = _visible(english("zhangsan").get("/s/demo/").content.decode())
    assert "My customers" in en and "Sales consultant" in en
    assert "我的客户" not in en and "置业顾问" not in en


@pytest.mark.django_db(transaction=True)
def test_the_start_page_gives_role_names(site: Project) -> None:
    """Words: the list of one's sites gives the role at each by name, in the active language."""
    create_project(code="other", name="第二案场", policy="s14")
    group_admin("admin", "集团管理员")
    user("zhaoliu", "clerk", "赵六", project=Project.objects.get(code="other"))
    text = _visible(client_for("zhaoliu").get("/").content.decode())
    assert "案场经理" in text and "内业" in text
    en = _visible(english("admin").get("/").content.decode())
    assert "Group administrator" in en and "集团管理员" not in en


@pytest.mark.django_db(transaction=True)
def test_visit_forms_in_words(site: Project) -> None:
    """S6.6, S6.7, words: a visit form names the agent and his firm, the parties that signed and
    the one signing by their roles' names, never their codes; the entry time at the site."""
    assert client_for("sunba").post("/s/demo/visits/", FORM).status_code == 302
    form = VisitForm.objects.get()
    assert client_for("wangwu").post(f"/s/demo/visits/{form.pk}/sign/").status_code == 302
    text = _visible(client_for("qianjiu").get("/s/demo/visits/").content.decode())
    assert "王五" in text and "华信置业" in text
    assert "已签: 分销个人" in text and "签字 (开发商营销经理)" in text
    assert "marketing_manager" not in text and "agent" not in text and "signoff" not in text
    assert not LOGINS.search(text), LOGINS.search(text)
    assert not re.search(r"\bhx\b", text)
    assert _local(form.entry_at) in text
    en = _visible(english("qianjiu").get("/s/demo/visits/").content.decode())
    assert "Signed: Channel agent" in en and "Sign (Developer's marketing manager)" in en


# every screen of the site with the role that uses it
SCREENS = [
    ("zhangsan", "/s/demo/"),
    ("zhangsan", "/s/demo/desk/?q=13800000001"),
    ("lisi", "/s/demo/desk/?q=13800000001"),
    ("zhangsan", "/s/demo/desk/?q=王建国"),
    ("zhangsan", "/s/demo/desk/?q=138****0001"),
    ("zhangsan", "/s/demo/desk/?q=13900000009"),
    ("zhangsan", "/s/demo/mine/"),
    ("lisi", "/s/demo/mine/"),
    ("sunba", "/s/demo/"),
    ("sunba", "/s/demo/clerk/"),
    ("sunba", "/s/demo/visits/"),
    ("zhaoliu", "/s/demo/manage/"),
    ("zhaoliu", "/s/demo/manage/views/"),
    ("zhaoliu", "/s/demo/customer/{group}/"),
    ("zhaoliu", "/s/demo/admin/"),
    ("zhaoliu", "/s/demo/penalties/"),
    ("zhaoliu", "/s/demo/statements/"),
    ("zhaoliu", "/s/demo/statements/one/?payee=zhangsan"),
    ("qianjiu", "/s/demo/statements/rates/"),
    ("qianjiu", "/s/demo/visits/"),
    ("wangwu", "/s/demo/"),
    ("wangwu", "/s/demo/visits/"),
    ("zhaoliu", "/"),
]
# the data on the screens: people's, customers', firms' and the site's names
NAMES = set(
    "".join(n for n, *_ in [*STAFF.values(), *AGENTS.values()]) + "".join(CHANNELS.values()) + "示范案场王建国李梅"
)


@pytest.fixture
def busy_site(site: Project) -> Project:
    """The site with a customer of 张三's that 李四 registered too, a refusal, a pending
    confirmation, an open visit form, and 张三's view of his customer's full phone (in the record,
    and in the old table): something on every screen."""
    from django.contrib.auth.models import User

    from guishu.desk.models import Disclosure
    from tests.record.builders import visit

    append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国"))
    seen = {"kind": "disclosed", "staff": "zhangsan", "screen": "desk", "shown": ["phone"], "phones": ["13800000001"]}
    append_fact(project=site, data=seen)
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    Disclosure.objects.create(user=User.objects.get(username="zhangsan"), project=site, group=group, what="phone")
    append_fact(project=site, data=visit("lisi", "13800000001", "王建国"))
    append_fact(
        project=site, data={"kind": "complaint", "phone": "13800000001", "against": "zhangsan", "type": "refusal"}
    )
    append_fact(project=site, data={"kind": "pending_confirmation", "phone": "13800000001", "consultant": "lisi"})
    assert client_for("sunba").post("/s/demo/visits/", FORM).status_code == 302
    return site


def _screen(client: Client, site: Project, url: str) -> str:
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    path, query, typed = url.format(group=group).partition("?q=")
    # the desk's lookups are posted (S3.1: a phone is never in a URL)
    response = client.post(path, {"q": typed}) if query else client.get(path, follow=True)
    assert response.status_code == 200, url
    page = response.content.decode()
    # a <code> holds what is copied, not read: a key's prefix, a hash
    return _visible(re.sub(r"<code[^>]*>.*?</code>", " ", page, flags=re.S))


def _logins_and_codes(text: str) -> list[str]:
    return LOGINS.findall(text) + re.findall(r"[A-Za-z_]{3,}", text)


def _not_english(text: str) -> list[str]:
    chinese = re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", text)
    return sorted(set(chinese) - NAMES) + LOGINS.findall(text)


@pytest.mark.django_db(transaction=True)
def test_chinese_screens_show_no_logins_and_no_codes(busy_site: Project) -> None:
    """Words: on every Chinese screen, opened by the role that uses it, people are named, never
    by login, and no code (an English word: registration, accepted, marketing_manager ...) shows."""
    clients = {who: client_for(who) for who, _url in SCREENS}
    found = {f"{who} {url}": _logins_and_codes(_screen(clients[who], busy_site, url)) for who, url in SCREENS}
    assert {screen: bad for screen, bad in found.items() if bad} == {}


@pytest.mark.django_db(transaction=True)
def test_english_screens_are_english(busy_site: Project) -> None:
    """Words: in English mode a screen's only Chinese is the names of people, customers, firms
    and the site (the data), and still no login shows."""
    clients = {who: english(who) for who, _url in SCREENS}
    found = {f"{who} {url}": _not_english(_screen(clients[who], busy_site, url)) for who, url in SCREENS}
    assert {screen: bad for screen, bad in found.items() if bad} == {}


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("1500000", "¥1,500,000.00"), ("50000.5", "¥50,000.50"), (None, ""), ("", ""), ("未定", "未定"), ("NaN", "NaN")],
)
def test_an_amount_is_shown_in_yuan_with_thousands(amount: object, shown: str) -> None:
    """S9.1: a deal's price and each payment as the signing room writes them; what is no number stays as given."""
    assert words.money(amount) == shown
