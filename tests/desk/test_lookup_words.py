"""判客 the way staff remember people (issue 15): pinyin initials (wjg → 王建国), a name's whole
sound with the engine's surname readings (曾 zeng, 单 shan), a surname alone, a phone's first
digits; at most the 8 most recent and how many there are, each linking to its customer page."""

from __future__ import annotations

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Project
from tests.record.builders import make_project, visit
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project(policy="s8")
    user("zhaoliu", "manager", "赵六", project=project)
    user("fangxiao", "front_desk", "方晓", project=project)
    for n, name in enumerate(("王建国", "汪建国", "王佳豪", "曾国藩", "单田芳", "李梅"), 1):
        append_fact(project=project, data=visit("zhangsan", f"138000000{n:02d}", name))
    return project


def _ask(who: str, q: str) -> str:
    response = client_for(who).post("/s/demo/desk/", {"q": q}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_initials_find_every_name_they_abbreviate(site: Project) -> None:
    """wjg: 王建国 and his homophone 汪建国, not 王佳豪 (wjh) nor 李梅."""
    found = _ask("fangxiao", "wjg")
    assert "王建国" in found and "汪建国" in found
    assert "王佳豪" not in found and "李梅" not in found
    assert "拼音首字母 wjg" in found


def test_a_names_sound_with_the_surname_readings(site: Project) -> None:
    """wangjianguo finds both homophones; zengguofan 曾国藩 and shantianfang 单田芳 read their
    surnames as surnames (曾 zeng, not ceng; 单 shan, not dan)."""
    found = _ask("fangxiao", "wangjianguo")
    assert "王建国" in found and "汪建国" in found and "王佳豪" not in found
    assert "曾国藩" in _ask("fangxiao", "zengguofan") and "曾国藩" not in _ask("fangxiao", "cengguofan")
    assert "单田芳" in _ask("fangxiao", "Shan Tian Fang") and "单田芳" not in _ask("fangxiao", "dantianfang")


def test_a_surname_alone_gives_the_most_recent_eight_and_the_count(site: Project) -> None:
    """王: every 王 customer (not 汪); with ten more, the latest eight and how many there are."""
    found = _ask("fangxiao", "王")
    assert "王建国" in found and "王佳豪" in found and "汪建国" not in found
    for n in range(10):
        append_fact(project=site, data=visit("lisi", f"1390000{n:04d}", "王" + "一二三四五六七八九十"[n] + "明"))
    found = _ask("fangxiao", "王")
    assert "姓王共 12 位客户,显示最近 8 位" in found
    assert "王十明" in found and "王建国" not in found  # the latest first


def test_a_surname_typed_in_pinyin_finds_every_surname_read_so(site: Project) -> None:
    """wang: the 王 and the 汪 customers (a lone syllable is a surname, not initials); zeng: 曾国藩
    by the surname reading of 曾."""
    found = _ask("fangxiao", "wang")
    assert "王建国" in found and "汪建国" in found and "王佳豪" in found and "李梅" not in found
    zeng = _ask("fangxiao", "zeng")
    assert "曾国藩" in zeng and "王建国" not in zeng
    assert "记录中没有姓欧阳的客户" in _ask("fangxiao", "ouyang")


def test_a_phones_first_digits(site: Project) -> None:
    """1380000000: the customers whose mobile starts so; an unknown prefix says so."""
    found = _ask("fangxiao", "1380000000")
    assert "王建国" in found and "单田芳" in found
    assert "记录中没有以 1370000 开头的号码" in _ask("fangxiao", "1370000")


def test_each_result_links_to_its_customer_page_for_the_manager(site: Project) -> None:
    """S18.18: the manager's results link to each customer's page; the front desk's do not."""
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    assert f"/s/demo/customer/{group}/" in _ask("zhaoliu", "wjg")
    assert f"/s/demo/customer/{group}/" not in _ask("fangxiao", "wjg")


def test_a_common_surname_is_counted_so_far_and_its_latest_found_among_the_newest(
    site: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A surname beyond the counted range (1000 on a site; 3 here): "more than" and the latest
    customers, found among the engine's newest groups rather than by sorting the whole range."""
    from guishu.desk import selectors

    monkeypatch.setattr(selectors, "RANGE_COUNTED", 3)
    for n in range(10):
        append_fact(project=site, data=visit("lisi", f"1390000{n:04d}", "王" + "一二三四五六七八九十"[n] + "明"))
    found = _ask("fangxiao", "王")
    assert "姓王超过 3 位客户,显示最近 8 位" in found
    assert "王十明" in found and "王三明" in found and "王建国" not in found and "汪建国" not in found
    monkeypatch.setattr(selectors, "RANGE_COUNTED", 2)  # wsm: 王三明, 王四明, 王十明
    initials = _ask("fangxiao", "wsm")
    assert "拼音首字母 wsm超过 2 位客户" in initials and "王十明" in initials and "王一明" not in initials
