"""The agents' phone page: report, see my reports; other roles are turned away."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from guishu.record import engines, projects
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.api.builders import HX_ONLY, SHARED, Firms, firms_site
from tests.record.builders import make_project
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = "/s/demo/agent/"


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project()  # 王五 (wangwu) of 华信置业 (hx), 陈十 (chenshi) of 嘉园房产 (jy)
    for staff in ("wangwu", "chenshi"):
        user(staff, "agent")
    append_fact(
        project=project,
        data={
            "kind": "staff_joined",
            "staff": "hxboss",
            "name": "华信经理",
            "role": "channel_manager",
            "channel": "hx",
        },
    )
    user("hxboss", "channel_manager")
    user("lisi", "consultant")
    return project


def test_agent_reports_from_his_phone_and_sees_the_answer(site: Project) -> None:
    """S6.1, S6.3: the agent reports a customer; the page shows the answer in words, the receipt
    with its time, the deadline."""
    c = client_for("wangwu")
    page = c.post(PAGE, {"name": "李梅", "gender": "F", "phone": "1381**00002"}).content.decode()
    assert "报备成功</strong>" in page and "有效期至" in page
    assert "accepted" not in page  # the status code is never shown as it is
    entry = Entry.objects.get(project=site, kind="report")
    assert entry.payload["channel"] == "hx" and f"#{entry.seq}" in page
    assert "报备客户 · 华信置业" in page  # his firm by its name, not its code


def test_receipt_and_deadline_times_are_the_sites_not_utc(site: Project) -> None:
    """S6.3: the receipt's time and the deadline are shown in the site's time zone (here
    Asia/Tokyo, so that neither UTC nor the server's default zone would pass)."""
    Project.objects.filter(pk=site.pk).update(timezone="Asia/Tokyo")
    projects.forget_all()
    engines.forget_all()
    page = client_for("wangwu").post(PAGE, {"name": "李梅", "gender": "F", "phone": "1381**00002"}).content.decode()
    entry = Entry.objects.get(project=site, kind="report")
    tokyo, utc, beijing = (entry.at.astimezone(ZoneInfo(z)) for z in ("Asia/Tokyo", "UTC", "Asia/Shanghai"))
    assert f"{tokyo:%Y-%m-%d %H:%M}" in page
    assert f"{utc:%Y-%m-%d %H:%M}" not in page and f"{beijing:%Y-%m-%d %H:%M}" not in page


def test_agents_see_only_their_own_reports_on_the_page(site: Project) -> None:
    """S6.5: another channel's reports never appear on an agent's page."""
    client_for("chenshi").post(PAGE, {"name": "赵敏", "gender": "F", "phone": "1390**00003"})
    page = client_for("wangwu").get(PAGE).content.decode()
    assert "赵敏" not in page and "暂无报备" in page


@pytest.mark.parametrize(
    ("phone", "why"),
    [
        ("abc", "只能有数字"),
        ("+12025550123", "不是中国大陆的号码"),
        ("١٣٨٠٠٠٠٠٠٠٢", "只能有数字"),  # Arabic-Indic digits
        ("010-12345678", "需要手机号码"),  # a landline: a report needs a mobile
        ("1381**0", "遮挡号码至少需要前3位和后4位"),
    ],
)
def test_a_bad_phone_is_named_in_words_and_nothing_is_written(site: Project, phone: str, why: str) -> None:
    """S6.1: a phone that is not a CN mobile (full or masked) is refused naming the field in
    Chinese, as the API refuses it (guishu.core.inputs)."""
    before = Entry.objects.count()
    response = client_for("wangwu").post(PAGE, {"name": "李梅", "gender": "F", "phone": phone})
    page = response.content.decode()
    assert response.status_code == 422 and f"客户电话: {why}" in page
    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"name": "李" * 5000, "gender": "F", "phone": "1381**00002"}, "客户姓名: 最多32个字"),
        ({"name": "李\x00梅", "gender": "F", "phone": "1381**00002"}, "客户姓名: 含有控制字符"),
        ({"name": "😀", "gender": "F", "phone": "1381**00002"}, "客户姓名: 只能是汉字或字母"),
        ({"name": "", "gender": "F", "phone": "1381**00002"}, "客户姓名: 必填"),
        ({"name": "李梅", "gender": "X", "phone": "1381**00002"}, "性别: 只能是男或女"),
        ({"name": "李梅", "gender": "F", "phone": "1381\x00**00002"}, "客户电话: 含有控制字符"),
        ({"name": "李梅", "gender": "F", "phone": "1" * 5000}, "客户电话: 最多20个字"),
    ],
)
def test_bad_names_and_fields_are_refused_before_anything_is_written(
    site: Project, form: dict[str, str], error: str
) -> None:
    """S6.1: over-long, NUL, emoji or empty names and wrong genders: 422 naming the field in
    Chinese, the record untouched (a 10 KB name once went into the record from this page)."""
    before = Entry.objects.count()
    response = client_for("wangwu").post(PAGE, form)
    assert response.status_code == 422 and error in response.content.decode()
    assert Entry.objects.count() == before


def test_a_firms_manager_sees_his_agents_reports_by_name_only(site: Project) -> None:
    """S6.5 isolation: a channel firm's manager sees his firm's agents, by their Chinese names,
    never another firm's."""
    append_fact(
        project=site,
        data={"kind": "staff_joined", "staff": "zhaoxiao", "name": "赵小", "role": "agent", "channel": "hx"},
    )
    user("zhaoxiao", "agent")
    client_for("wangwu").post(PAGE, {"name": "李梅", "gender": "F", "phone": "1381**00002"})
    client_for("zhaoxiao").post(PAGE, {"name": "孙丽", "gender": "F", "phone": "1381**00006"})
    client_for("chenshi").post(PAGE, {"name": "赵敏", "gender": "F", "phone": "1390**00003"})
    page = client_for("hxboss").get(PAGE).content.decode()
    assert "李梅" in page and "孙丽" in page and "赵敏" not in page
    assert "王五 · 李梅" in page and "赵小 · 孙丽" in page
    assert "wangwu" not in page and "zhaoxiao" not in page  # never by login
    assert "李梅" not in client_for("zhaoxiao").get(PAGE).content.decode()


def test_the_page_is_for_agents_only(site: Project) -> None:
    """core: consultants do not report as a channel."""
    assert client_for("lisi").get(PAGE).status_code == 403


@pytest.fixture
def firms() -> Firms:
    site = firms_site()
    for staff in ("wangwu", "chenshi"):
        user(staff, "agent", project=site.project)
    return site


def test_another_firms_earlier_report_is_never_told(firms: Firms) -> None:
    """S6.5: 嘉园's agent reports the customer 华信 reported first: he is told only that the
    customer cannot be accepted, never when, by which firm or by whom, on the answer or in
    his list."""
    response = client_for("chenshi").post(PAGE, HX_ONLY)
    page = response.content.decode()
    card = page.split('<div class="card">')[1]  # the answer, above his list
    assert response.status_code == 200 and "重复报备</strong>" in card and "该客户不能受理 (S6.5)" in card
    told = [m for m in firms.marks_of("hx") if m in page and m not in HX_ONLY.values()]  # he typed those
    assert told == [], told


def test_his_own_firms_earlier_report_is_told_with_its_time(firms: Firms) -> None:
    """S6.5: a duplicate of his own firm's report names when his firm reported, in the site's zone."""
    page = client_for("wangwu").post(PAGE, SHARED).content.decode()
    earlier = firms.reports["hx"][0].at.astimezone(ZoneInfo(firms.project.timezone))
    assert f"本渠道已于 {earlier:%Y-%m-%d %H:%M} 报备" in page
