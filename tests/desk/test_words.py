"""The desk screens in words: people by their Chinese names, codes as words, times at the site.

Each screen is opened by the role that uses it; English mode (the ``django_language`` cookie)
shows the same screens in English words.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from guishu.record import engines
from guishu.record.actions import append_fact, create_project
from guishu.record.models import Entry, Project
from tests.record.builders import AGENTS, CHANNELS, STAFF, visit
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)

# a site far from Beijing: a time shown in the server's zone (Asia/Shanghai) is 13 hours off
ZONE = "America/New_York"
# every login of the demo staff: none may show on a Chinese screen
LOGINS = re.compile(r"\b(" + "|".join([*STAFF, *AGENTS]) + r")\b")
CODES = ("registration", "accepted", "owned", "pending", "consultant", "visit", "call", "refusal", "complaint")


def _visible(page: str) -> str:
    """The page's text as a person sees it: no tags, attributes, URLs or form values."""
    body = page.split("<main>", 1)[-1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]*>", " ", body))


def _local(at: datetime) -> str:
    return at.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M")


def _beijing(at: datetime) -> str:
    return at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = create_project(code="demo", name="示范案场", policy="s8@v2", timezone_name=ZONE)
    for staff, (name, role, team) in STAFF.items():
        fact = {"kind": "staff_joined", "staff": staff, "name": name, "role": role, "team": team}
        append_fact(project=project, data=fact)
    for channel, firm in CHANNELS.items():
        append_fact(project=project, data={"kind": "channel_joined", "channel": channel, "name": firm})
    for staff, (name, role, _team) in STAFF.items():
        user(staff, role, name)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    return project


def english(username: str) -> Client:
    c = client_for(username)
    c.cookies["django_language"] = "en"
    return c


def test_the_card_names_the_owner_never_his_login(site: Project) -> None:
    """Words: another consultant looking a customer up sees the owner's name and the state in words."""
    page = client_for("lisi").post("/s/demo/desk/", {"q": "13800000001"}, headers={"HX-Request": "true"})
    text = _visible(page.content.decode())
    assert "张三" in text and "已归属" in text
    assert not LOGINS.search(text), LOGINS.search(text)
    assert "owned" not in text


def test_the_card_in_english(site: Project) -> None:
    """Words: in English mode the card's state, labels and match reason are English."""
    page = english("lisi").post("/s/demo/desk/", {"q": "13800000001"}, headers={"HX-Request": "true"})
    text = _visible(page.content.decode())
    assert "Owned" in text and "Owner" in text and "Same phone" in text
    assert "已归属" not in text and "号码一致" not in text


def test_a_new_number_is_said_in_the_active_language(site: Project) -> None:
    """Words: the lookup's notes come from the catalogue, one language at a time."""
    zh = _visible(client_for("lisi").post("/s/demo/desk/", {"q": "13900000009"}).content.decode())
    en = _visible(english("lisi").post("/s/demo/desk/", {"q": "13900000009"}).content.decode())
    assert "新客户" in zh and "a new customer" not in zh.lower()
    assert "A new customer" in en and "新客户" not in en


def test_card_times_are_the_sites_local_times(site: Project) -> None:
    """Words: the card's since and protected-until times are at the site, not in Beijing."""
    entry = Entry.objects.get(project=site, kind="registration")
    text = _visible(client_for("zhangsan").get("/s/demo/mine/").content.decode())
    assert _local(entry.at) in text
    assert _beijing(entry.at) not in text


def test_the_trail_in_words_and_names(site: Project) -> None:
    """S18.18, words: the customer's page tells each fact as a sentence (3月2日 10:00 张三 登记来访
    王建国), the consultant and who entered it by name, at the site's time."""
    client_for("zhangsan").post(
        "/s/demo/register/",
        {"mode": "call", "name": "王建国", "gender": "M", "phone": "13800000001", "intent": "三居", "source": "路过"},
    )
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    page = client_for("zhaoliu").get(f"/s/demo/customer/{group}/")
    assert page.status_code == 200
    text = _visible(page.content.decode())
    assert "张三 登记来访 王建国 138****0001" in text and "张三 登记来电 王建国 138****0001" in text
    assert "registration" not in text and "demo-" not in text
    assert not LOGINS.search(text), LOGINS.search(text)
    entered = Entry.objects.filter(project=site, kind="registration").latest("seq")
    assert entered.actor is not None and entered.actor.username == "zhangsan"
    there = entered.at.astimezone(ZoneInfo(ZONE))
    assert f"{there.month}月{there.day}日 {there:%H:%M}" in text
    assert _local(entered.at) in page.content.decode() and _beijing(entered.at) not in text


def test_the_trail_in_english(site: Project) -> None:
    """Words: the trail's fact kinds in English mode."""
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    text = _visible(english("zhaoliu").get(f"/s/demo/customer/{group}/").content.decode())
    assert "张三 registered a visit: 王建国 138****0001" in text and "What happened" in text
    assert "登记来访" not in text


def test_the_clerks_register_in_words_and_local_times(site: Project) -> None:
    """S1.3, words: the clerk's day register gives the mode in words, the consultant by name and
    the time at the site."""
    entry = Entry.objects.get(project=site, kind="registration")
    day = entry.at.astimezone(ZoneInfo(ZONE)).date().isoformat()
    text = _visible(client_for("sunba").get("/s/demo/clerk/", {"day": day}).content.decode())
    assert "来访" in text and "张三" in text and _local(entry.at) in text
    assert _beijing(entry.at) not in text
    assert not LOGINS.search(text), LOGINS.search(text)
    en = _visible(english("sunba").get("/s/demo/clerk/", {"day": day}).content.decode())
    assert "Visit" in en and "Valid" in en and "来访" not in en


def test_the_managers_screen_names_people_and_says_words(site: Project) -> None:
    """S8.9, S14.2, words: collisions by the consultants' names, a refusal in words and the
    consultant it is against by name, a policy change's time at the site."""
    # given a collision (李四 registers 张三's customer), a refusal of 张三 and a policy change
    append_fact(project=site, data=visit("lisi", "13800000001", "王建国"))
    append_fact(
        project=site, data={"kind": "complaint", "phone": "13800000001", "against": "zhangsan", "type": "refusal"}
    )
    manager = client_for("zhaoliu")
    assert (
        manager.post("/s/demo/manage/policy/", {"policy": "s16", "effective_at": "2099-01-01T00:00"}).status_code == 302
    )
    change = Entry.objects.get(project=site, kind="policy_changed")
    # when
    text = _visible(manager.get("/s/demo/manage/").content.decode())
    # then
    assert "张三" in text and "李四" in text and "拒绝该顾问" in text
    assert not LOGINS.search(text), LOGINS.search(text)
    assert "refusal" not in text
    effective = datetime.fromisoformat(change.payload["effective_at"])
    assert _local(effective) in text and _local(change.at) in text
    assert "+00:00" not in text and "2099-01-01T" not in text
    en = _visible(english("zhaoliu").get("/s/demo/manage/").content.decode())
    assert "Refusal of the consultant" in en and "拒绝该顾问" not in en


def test_the_pending_list_gives_names_and_local_deadlines(site: Project) -> None:
    """S8.10, words: a pending confirmation shows its filer by name and its deadline at the site."""
    append_fact(project=site, data={"kind": "pending_confirmation", "phone": "13800000001", "consultant": "lisi"})
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    deadline = engines.live_engine(site).engine.verdict(group, datetime.now(ZoneInfo("UTC"))).deadline
    assert deadline is not None
    text = _visible(client_for("zhangsan").get("/s/demo/mine/").content.decode())
    assert "李四" in text and _local(deadline) in text and _beijing(deadline) not in text
    assert not LOGINS.search(text), LOGINS.search(text)


def test_record_errors_keep_both_languages(site: Project) -> None:
    """Words: the record's refusals carry '中文 / English' from the catalogue, whatever language
    is active (screens show one half, the API both)."""
    from guishu.record.actions import RecordInputError, import_fact

    with pytest.raises(RecordInputError) as refused:
        import_fact(project=site, data={"kind": "channel_joined", "channel": "x", "name": "X"})
    assert refused.value.message == "导入的事实必须带时间 / an imported fact needs its time"
    assert refused.value.zh == "导入的事实必须带时间" and refused.value.en == "an imported fact needs its time"
    with pytest.raises(RecordInputError) as taken:
        append_fact(project=site, data={**visit("lisi", "13800000002"), "id": "demo-1"})
    zh, _sep, en = taken.value.message.partition(" / ")
    assert zh == "编号 demo-1 为记录自动编号保留" and en == "fact id demo-1 is reserved for the record's own numbering"


def test_the_clerks_day_is_the_sites_local_day(site: Project) -> None:
    """S1.3: the clerk asks for a day of his site: 22:00 in New York is that New York day, though
    it is already the next day in Beijing (the server's zone)."""
    from datetime import timedelta

    from guishu.record.actions import import_fact

    ny = ZoneInfo(ZONE)
    day = datetime.now(ny).date() + timedelta(days=1)
    late = datetime(day.year, day.month, day.day, 22, 0, tzinfo=ny)
    import_fact(project=site, data={**visit("lisi", "13800000002", "李明"), "at": late.isoformat()})
    text = _visible(client_for("sunba").get("/s/demo/clerk/", {"day": day.isoformat()}).content.decode())
    assert "李四" in text and _local(late) in text
    before = _visible(
        client_for("sunba").get("/s/demo/clerk/", {"day": (day - timedelta(days=1)).isoformat()}).content.decode()
    )
    assert "李四" not in before


def test_a_time_written_without_an_offset_is_the_sites(site: Project) -> None:
    """A manager writes when a policy change takes effect, "09:00" on a day: 09:00 at his site
    (New York), not in the server's zone."""
    from datetime import timedelta

    ny = ZoneInfo(ZONE)
    day = datetime.now(ny).date() + timedelta(days=2)
    response = client_for("zhaoliu").post(
        "/s/demo/manage/policy/", {"policy": "s8@v2", "effective_at": f"{day.isoformat()} 09:00"}
    )
    assert response.status_code == 302
    entry = Entry.objects.filter(project=site, kind="policy_changed").get()
    effective = datetime.fromisoformat(entry.payload["effective_at"])
    assert effective == datetime(day.year, day.month, day.day, 9, 0, tzinfo=ny)
