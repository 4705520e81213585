"""One page per customer group (S18.18, S4.4: the manager's): the card, what the viewer may do
next, the group's deals with their splits, and the history as sentences, latest 50 first, paged."""

from __future__ import annotations

import re

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Project
from tests.record.builders import make_project, visit
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+8613800000001"


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project(policy="s8")
    for staff, role, name in (
        ("zhangsan", "consultant", "张三"),
        ("zhaoliu", "manager", "赵六"),
        ("hanjie", "admin", "韩杰"),
    ):
        user(staff, role, name, project=project)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    return project


def _rows(html: str) -> list[str]:
    table = html.split('id="history"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td title=.*?</tr>", table, flags=re.S)


def test_s18_18_the_history_is_told_latest_first_fifty_a_page(site: Project) -> None:
    """S18.18: 55 follow-ups after the registration: page one holds the latest 50, the newest
    first; page two the rest, ending with the registration."""
    for _ in range(55):
        append_fact(
            project=site, data={"kind": "follow_up", "consultant": "zhangsan", "phone": PHONE, "method": "call"}
        )
    group = engines.live_engine(site).engine.by_phone[PHONE].id
    manager = client_for("zhaoliu")
    first = manager.get(f"/s/demo/customer/{group}/").content.decode()
    rows = _rows(first)
    assert len(rows) == 50 and all("张三 电话跟进" in r for r in rows)
    seqs = [int(re.findall(r"<td>(\d+)</td>", r)[0]) for r in rows]
    assert seqs == sorted(seqs, reverse=True)
    assert "第 1 页,共 2 页" in first
    second = _rows(manager.get(f"/s/demo/customer/{group}/?page=2").content.decode())
    assert len(second) == 6 and "张三 登记来访 王建国 138****0001" in second[-1]


def test_the_customer_page_names_the_deals_and_the_next_steps(site: Project) -> None:
    """S9.1: the group's deal with its split and a link to its card; the manager's next steps."""
    deal = append_fact(
        project=site, data={"kind": "deal", "type": "deposit", "phone": PHONE, "closer": "zhangsan", "unit": "3-1201"}
    )
    group = engines.live_engine(site).engine.by_phone[PHONE].id
    page = client_for("zhaoliu").get(f"/s/demo/customer/{group}/").content.decode()
    deals = page.split('id="customer-deals"', 1)[1].split("</ul>", 1)[0]
    assert f"/s/demo/deals/{deal.fact.id}/" in deals and "3-1201" in deals and "张三 100%" in deals
    assert "张三 成交(定金)" in page
    steps = page.split('class="next-steps"', 1)[1].split("</nav>", 1)[0]
    assert "登记成交或退房" in steps and "记录投诉或拒绝" in steps  # the disputes page once
    # the site administrator sees the file but has no step to take on a customer
    admin = client_for("hanjie").get(f"/s/demo/customer/{group}/").content.decode()
    assert 'class="next-steps"' not in admin
