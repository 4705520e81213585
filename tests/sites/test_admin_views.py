"""Site administration through its screens: staff joining and leaving, channel firms, agents'
API keys, first passwords and resets, and the group admin opening a site."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from guishu.api.models import ApiKey
from guishu.record import engines
from guishu.record.actions import create_project
from guishu.record.models import Entry, Membership, Project
from tests.record.builders import make_project
from tests.sites.builders import PASSWORD, at_site, client_for, group_admin, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project(policy="s8@v2")
    user("zhaoliu", "manager", "赵六")
    user("zhangsan", "consultant", "张三")
    return project


def shown_once(page: str) -> str:
    found = re.search(r'<code id="once">([^<]+)</code>', page)
    assert found, "no password or key shown"
    return found.group(1)


def test_a_new_person_joins_with_a_first_password_and_lands_on_his_home(site: Project) -> None:
    """The manager enters 吴一 as a consultant of team B: a staff_joined fact, a login, a password
    shown once; 吴一 signs in with it and lands on his home with his menu."""
    # when
    response = client_for("zhaoliu").post(
        at_site("admin/join/"), {"staff": "wuyi", "name": "吴一", "role": "consultant", "team": "B"}
    )
    # then
    assert response.status_code == 200
    password = shown_once(response.content.decode())
    fact = Entry.objects.get(project=site, kind="staff_joined", payload__staff="wuyi")
    assert fact.payload["role"] == "consultant" and fact.payload["team"] == "B"
    assert fact.actor is not None and fact.actor.username == "zhaoliu"
    c = Client()
    assert c.login(username="wuyi", password=password)
    home = c.get("/", follow=True)
    assert home.redirect_chain[-1][0] == at_site("")
    page = home.content.decode()
    assert "吴一" in page and "置业顾问" in page and "判客" in page and "我的客户" in page
    assert "wuyi" not in page.split("<main>")[1]  # people by their names, not logins


def test_a_person_of_another_site_joins_with_his_own_login(site: Project) -> None:
    """One person, one login: joining a second site keeps his password; he picks the site."""
    other = make_project(code="other")
    user("fengyi", "consultant", "冯一", project=other)
    response = client_for("zhaoliu").post(at_site("admin/join/"), {"staff": "fengyi", "name": "冯一", "role": "clerk"})
    assert response.status_code == 200 and 'id="once"' not in response.content.decode()
    assert User.objects.get(username="fengyi").check_password(PASSWORD)
    page = client_for("fengyi").get("/").content.decode()
    assert "示范案场" in page and "内业" in page and "置业顾问" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"staff": "Bad Name"}, "登录名"),
        ({"staff": "zhangsan"}, "登录名"),  # already works here
        ({"name": ""}, "姓名"),
        ({"name": "名" * 65}, "姓名"),
        ({"role": "owner"}, "角色"),
        ({"role": "agent"}, "分销单位"),  # an agent needs his firm
        ({"role": "agent", "channel": "nosuch"}, "分销单位"),
        ({"channel": "hx"}, "分销单位"),  # a consultant belongs to no firm
        ({"team": "T" * 17}, "小组"),
    ],
)
def test_joining_is_refused_with_the_field_named(site: Project, data: dict[str, str], field: str) -> None:
    before = Entry.objects.count()
    body = {"staff": "wuyi", "name": "吴一", "role": "consultant", **data}
    response = client_for("zhaoliu").post(at_site("admin/join/"), body)
    assert response.status_code == 422 and field in response.content.decode()
    assert Entry.objects.count() == before


def test_a_firm_and_its_agent_join_and_the_agents_key_is_issued_and_revoked(site: Project) -> None:
    """S6: the manager adds a channel firm and its agent, issues his key (shown once), revokes it."""
    manager = client_for("zhaoliu")
    assert manager.post(at_site("admin/channel/"), {"channel": "ly", "name": "链源地产"}).status_code == 200
    assert manager.post(at_site("admin/channel/"), {"channel": "ly", "name": "again"}).status_code == 422
    manager.post(at_site("admin/join/"), {"staff": "liuqi", "name": "刘七", "role": "agent", "channel": "ly"})
    # when the key is issued
    key = shown_once(manager.post(at_site("admin/key/"), {"agent": "liuqi"}).content.decode())
    auth = {"Authorization": f"Bearer {key}"}
    # then it works, for his firm
    assert Client().get("/api/v1/reports", headers=auth).status_code == 200
    assert ApiKey.objects.get(agent="liuqi").channel == "ly"
    # and when revoked it does not
    stored = ApiKey.objects.get(agent="liuqi")
    assert manager.post(at_site("admin/key/revoke/"), {"key": stored.pk}).status_code == 200
    assert Client().get("/api/v1/reports", headers=auth).status_code == 401
    # a consultant gets no key
    assert manager.post(at_site("admin/key/"), {"agent": "zhangsan"}).status_code == 422


def test_the_manager_resets_a_password_and_the_old_one_and_its_sessions_end(site: Project) -> None:
    zhangsan = client_for("zhangsan")
    response = client_for("zhaoliu").post(at_site("admin/password/"), {"staff": "zhangsan"})
    new = shown_once(response.content.decode())
    assert zhangsan.get(at_site("mine/")).status_code == 302  # his session ended
    assert not Client().login(username="zhangsan", password=PASSWORD)
    assert Client().login(username="zhangsan", password=new)


def test_a_site_manager_cannot_reset_someone_who_also_works_where_he_does_not_manage(site: Project) -> None:
    """A login shared by two sites is never taken over from one of them: only the group admin
    resets 孙八, who is this site's clerk and the other site's manager."""
    other = create_project(code="other", name="第二案场", policy="s14@v2")  # 赵六 does not work there
    user("sunba", "clerk", "孙八")
    user("sunba", "manager", "孙八", project=other)
    response = client_for("zhaoliu").post(at_site("admin/password/"), {"staff": "sunba"})
    assert response.status_code == 422 and "集团管理员" in response.content.decode()
    assert User.objects.get(username="sunba").check_password(PASSWORD)
    group_admin()
    response = client_for("admin").post(at_site("admin/password/"), {"staff": "sunba"})
    assert response.status_code == 200 and shown_once(response.content.decode())


def test_only_the_group_admin_opens_a_site(site: Project) -> None:
    """A new site under the latest version of its preset; the manager of a site may not."""
    assert client_for("zhaoliu").post("/sites/new/", {"code": "x", "name": "x", "policy": "s8@v2"}).status_code == 403
    group_admin()
    admin = client_for("admin")
    assert 'value="s8@v2" selected' in admin.get("/sites/new/").content.decode()
    bad = admin.post("/sites/new/", {"code": "demo", "name": "重名", "policy": "s8@v2"})
    assert bad.status_code == 422 and "案场代码" in bad.content.decode()
    response = admin.post("/sites/new/", {"code": "binjiang", "name": "滨江府", "policy": "s16@v1"})
    assert response.status_code == 302 and response["Location"] == at_site("admin/", "binjiang")
    assert Project.objects.get(code="binjiang").policy == "s16@v1"
    # the group admin enters the new site's manager, who then runs it
    admin.post(at_site("admin/join/", "binjiang"), {"staff": "zhaoliu", "name": "赵六", "role": "manager"})
    assert Membership.objects.filter(project__code="binjiang", staff="zhaoliu", role="manager").exists()
    assert client_for("zhaoliu").get(at_site("manage/", "binjiang")).status_code == 200
