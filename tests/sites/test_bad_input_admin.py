"""Bad input on the site administration (staff joining and leaving, passwords, channel firms,
API keys) and on the group admin's new site: a clear 4xx naming the field in Chinese, never a
500, and nothing half-written (no fact, no login, no key, no site, no password changed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse

from guishu.api.models import ApiKey
from guishu.record import engines
from guishu.record.models import Entry, Project
from tests.desk import hostile
from tests.record.builders import make_project
from tests.sites.builders import at_site, client_for, group_admin, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project(policy="s8@v2")
    user("zhaoliu", "manager", "赵六")
    user("zhangsan", "consultant", "张三")
    user("wangwu", "agent", "王五", channel="hx")
    group_admin()
    return project


def _state() -> tuple[object, ...]:
    """Everything an administration form may write: the record, open visit forms, logins and
    their passwords, keys, sites."""
    logins = tuple(User.objects.order_by("pk").values_list("username", "password"))
    return (*hostile.written(), logins, ApiKey.objects.count(), Project.objects.count())


def _refused(response: HttpResponse, label: str, before: tuple[object, ...]) -> None:
    page = response.content.decode()
    assert 400 <= response.status_code < 500, (response.status_code, page[:300])
    assert f"{label}: " in page, page[:2000]
    assert hostile.RECORD_KEY.search(page) is None
    assert _state() == before


def _case_id(case: tuple[str, str, str, hostile.Value]) -> str:
    return f"{case[0]}-{case[1]}-{case[3].kind}"


JOIN = {"staff": "wuyi", "name": "吴一", "role": "consultant", "team": "B", "channel": ""}
STAFF_IDS = (*hostile.IDS, hostile.Value("capitals and space", "Bad Name"))
CASES = [
    *[("admin/join/", "staff", "登录名", v) for v in STAFF_IDS],
    *[("admin/join/", "name", "姓名", v) for v in hostile.NAMES],
    *[("admin/join/", "role", "角色", v) for v in (*hostile.IDS, hostile.Value("unknown", "owner"))],
    *[("admin/join/", "team", "小组", v) for v in (*hostile.TEXTS, hostile.Value("17 letters", "T" * 17))],
    *[("admin/join/", "channel", "分销单位", v) for v in (*hostile.IDS, hostile.Value("unknown firm", "nosuch"))],
    *[("admin/leave/", "staff", "登录名", v) for v in (*hostile.IDS, hostile.Value("nobody", "nobody"))],
    *[("admin/password/", "staff", "登录名", v) for v in (*hostile.IDS, hostile.Value("nobody", "nobody"))],
    *[("admin/channel/", "channel", "单位代码", v) for v in (*hostile.IDS, hostile.Value("taken", "hx"))],
    *[("admin/channel/", "name", "单位名称", v) for v in (*hostile.TEXTS, hostile.Value("65", "华" * 65))],
    *[("admin/key/", "agent", "分销人员", v) for v in (*hostile.IDS, hostile.Value("a consultant", "zhangsan"))],
    *[("admin/key/revoke/", "key", "接口密钥", v) for v in (*hostile.NUMBERS, hostile.Value("no such key", "7"))],
]
BASES = {
    "admin/join/": JOIN,
    "admin/leave/": {"staff": "zhangsan"},
    "admin/password/": {"staff": "zhangsan"},
    "admin/channel/": {"channel": "ly", "name": "链源地产"},
    "admin/key/": {"agent": "wangwu"},
    "admin/key/revoke/": {"key": "1"},
}


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_a_hostile_administration_form_is_refused_naming_its_field(
    site: Project, case: tuple[str, str, str, hostile.Value]
) -> None:
    """The manager is told which field is wrong, in Chinese; no fact, login, key or password is
    written or changed by a refused form."""
    path, field, label, value = case
    before = _state()
    response = hostile.post(client_for("zhaoliu"), at_site(path), BASES[path], field, value)
    _refused(response, label, before)


@pytest.mark.parametrize("path", sorted(BASES))
def test_each_administration_base_form_is_accepted(site: Project, path: str) -> None:
    """The forms the hostile cases start from are good ones: each refusal above is the hostile
    field's (a revoke needs a live key first)."""
    base = dict(BASES[path])
    if path == "admin/key/revoke/":
        client_for("zhaoliu").post(at_site("admin/key/"), {"agent": "wangwu"})
        base["key"] = str(ApiKey.objects.get().pk)
    response = client_for("zhaoliu").post(at_site(path), base)
    assert response.status_code == 200, response.content.decode()[:2000]


def test_unknown_fields_of_a_join_are_ignored(site: Project) -> None:
    """A person joins with what the form asks; a password, a group-admin flag or a superuser bit
    added by a client changes nothing."""
    extra = {"password": "chosen-by-me", "is_superuser": "1", "group_admin": "1", "evil": "😀" * 1000}
    response = client_for("zhaoliu").post(at_site("admin/join/"), {**JOIN, **extra})
    assert response.status_code == 200
    wuyi = User.objects.get(username="wuyi")
    assert not wuyi.is_superuser and not wuyi.check_password("chosen-by-me")
    assert Entry.objects.filter(kind="staff_joined", payload__staff="wuyi").count() == 1


NEW_SITE = {"code": "binjiang", "name": "滨江府", "policy": "s16@v1"}
NEW_SITE_CASES = [
    *[("sites/new/", "code", "案场代码", v) for v in (*hostile.IDS, hostile.Value("taken", "demo"))],
    *[("sites/new/", "name", "案场名称", v) for v in (*hostile.TEXTS, hostile.Value("101", "府" * 101))],
    *[("sites/new/", "policy", "制度", v) for v in (*hostile.IDS, hostile.Value("unknown", "s99"))],
]


@pytest.mark.parametrize("case", NEW_SITE_CASES, ids=_case_id)
def test_a_hostile_new_site_is_refused_naming_its_field(
    site: Project, case: tuple[str, str, str, hostile.Value]
) -> None:
    """The group admin's new site: a code, a name and a preset bounded to their columns."""
    _path, field, label, value = case
    before = _state()
    response = hostile.post(client_for("admin"), "/sites/new/", NEW_SITE, field, value)
    _refused(response, label, before)


def test_the_new_site_base_form_is_accepted(site: Project) -> None:
    assert client_for("admin").post("/sites/new/", NEW_SITE).status_code == 302
    assert Project.objects.filter(code="binjiang").exists()
