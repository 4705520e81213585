"""Each role's home shows the work waiting for him, from the record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Project
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project(policy="s8")
    user("zhangsan", "consultant", "张三")
    user("lisi", "consultant", "李四")
    user("sunba", "clerk", "孙八")
    user("zhaoliu", "manager", "赵六")
    user("qianjiu", "marketing_manager", "钱九")
    user("zhengshiyi", "finance", "郑十一")
    return project


def _main(who: str) -> str:
    page = client_for(who).get(at_site("")).content.decode()
    return page.split("<main")[1].split("</main>")[0]


def test_s8_11_a_consultants_home_lists_customers_about_to_lapse_and_what_he_may_claim(
    site: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S8.11 (s8: 7 days): 王建国, registered five days ago, lapses within three days unless
    followed up; 李梅, registered today, does not; S8.10: 李四's pending confirmation is one
    张三 may claim."""
    append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国"))
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=5))  # five days on
    append_fact(project=site, data=visit("zhangsan", "13800000002", "李梅", gender="F"))
    append_fact(project=site, data={**visit("lisi", "13800000003", "周敏", gender="F"), "mode": "call"})
    append_fact(project=site, data={"kind": "pending_confirmation", "phone": "13800000003", "consultant": "lisi"})
    home = _main("zhangsan")
    lapsing = home.split("保护期将到")[1].split("</section>")[0]
    assert "王建国 13800000001" in lapsing and "李梅" not in lapsing
    claimable = home.rsplit("可认领的待确认客户", 1)[1].split("</section>")[0]  # the list, not the figure
    assert "138****0003" in claimable


def test_the_managers_home_says_the_site_today(site: Project) -> None:
    """S14.2: today's visits and the collision, the refusal to review (S8.9)."""
    append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=site, data=visit("lisi", "13800000001", "王建国", answers={"first_visit": False}))
    append_fact(
        project=site, data={"kind": "complaint", "phone": "13800000001", "against": "zhangsan", "type": "refusal"}
    )
    home = _main("zhaoliu")
    assert "今日来访 2 组" in home
    assert "张三 ← 李四" in home
    assert "拒绝该顾问 · 张三" in home


def test_the_clerks_home_lists_what_does_not_count(site: Project) -> None:
    """S8.5: a visit without the gender does not count; the clerk's home says so."""
    append_fact(project=site, data=visit("lisi", "13800000002", "李梅", gender=None))
    home = _main("sunba")
    assert "今日登记 1 条" in home and "S8.5" in home and "李四" in home


def test_finance_sees_the_latest_deals_with_their_split(site: Project) -> None:
    """S8.1: 张三's customer paid a deposit closed by 张三: the whole commission is his."""
    append_fact(project=site, data=visit("zhangsan", "13800000001", "王建国"))
    append_fact(project=site, data={"kind": "deal", "phone": "13800000001", "type": "deposit", "closer": "zhangsan"})
    home = _main("zhengshiyi")
    assert "定金 · 138****0001 · 张三 100%" in home


def test_the_marketing_managers_home_counts_each_channel_firm(site: Project) -> None:
    append_fact(
        project=site,
        data={
            "kind": "report",
            "channel": "hx",
            "agent": "wangwu",
            "name": "钱多多",
            "gender": "F",
            "phone": "1391**00021",
        },
    )
    home = _main("qianjiu")
    assert "华信置业:报备 1,确认来访 0" in home
