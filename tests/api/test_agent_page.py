"""The agents' phone page: report, see my reports; other roles are turned away."""

from __future__ import annotations

import pytest

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.record.builders import make_project
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project()
    for staff, channel in (("wangwu", "hx"), ("chenshi", "jy")):
        append_fact(
            project=project,
            data={"kind": "staff_joined", "staff": staff, "name": staff, "role": "agent", "channel": channel},
        )
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
    """S6.1, S6.3: the agent reports a customer; the page shows the answer, the receipt, the deadline."""
    c = client_for("wangwu")
    page = c.post("/s/demo/agent/", {"name": "李梅", "gender": "F", "phone": "1381**00002"}).content.decode()
    assert "accepted" in page and "报备成功" in page and "有效期至" in page
    entry = Entry.objects.get(project=site, kind="report")
    assert entry.payload["channel"] == "hx" and f"#{entry.seq}" in page


def test_agents_see_only_their_own_reports_on_the_page(site: Project) -> None:
    """S6.5: another channel's reports never appear on an agent's page."""
    client_for("chenshi").post("/s/demo/agent/", {"name": "赵敏", "gender": "F", "phone": "1390**00003"})
    page = client_for("wangwu").get("/s/demo/agent/").content.decode()
    assert "赵敏" not in page and "暂无报备" in page


def test_a_bad_phone_is_named_and_nothing_is_written(site: Project) -> None:
    """S6.1: a malformed phone gets a clear error naming the field."""
    before = Entry.objects.count()
    response = client_for("wangwu").post("/s/demo/agent/", {"name": "李梅", "gender": "F", "phone": "abc"})
    assert response.status_code == 422 and "phone" in response.content.decode()
    assert Entry.objects.count() == before


def test_the_page_is_for_agents_only(site: Project) -> None:
    """core: consultants do not report as a channel."""
    assert client_for("lisi").get("/s/demo/agent/").status_code == 403


def test_a_firms_manager_sees_his_agents_reports_only(site: Project) -> None:
    """S6.5 isolation: a channel firm's manager sees his firm's agents, never another firm's."""
    append_fact(
        project=site,
        data={"kind": "staff_joined", "staff": "zhaoxiao", "name": "赵小", "role": "agent", "channel": "hx"},
    )
    user("zhaoxiao", "agent")
    client_for("wangwu").post("/s/demo/agent/", {"name": "李梅", "gender": "F", "phone": "1381**00002"})
    client_for("zhaoxiao").post("/s/demo/agent/", {"name": "孙丽", "gender": "F", "phone": "1381**00006"})
    client_for("chenshi").post("/s/demo/agent/", {"name": "赵敏", "gender": "F", "phone": "1390**00003"})
    page = client_for("hxboss").get("/s/demo/agent/").content.decode()
    assert "李梅" in page and "孙丽" in page and "赵敏" not in page
    assert "李梅" not in client_for("zhaoxiao").get("/s/demo/agent/").content.decode()
