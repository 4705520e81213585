"""The access matrix: every person the demo has x every URL and API operation x verb, against
the expected table kept beside this test (access_matrix.toml).

The URLs come from the URL configuration and the operations from the OpenAPI document, so a
screen or an operation added without its row in the table fails here. Every answer is also
searched for the other site's data (its customers and its people) and, for an agent, for the
other firm's people.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from guishu.api import keys as api_keys
from guishu.api.api import api
from guishu.record import engines
from guishu.record.demo import ensure_demo_site
from guishu.record.models import Entry, GroupVerdict, Membership, Project
from guishu.rotation.models import BoardLink
from guishu.visits.models import VisitForm
from tests.sites.builders import PASSWORD, user

pytestmark = pytest.mark.django_db(transaction=True)
TABLE = tomllib.loads((Path(__file__).parent / "access_matrix.toml").read_text(encoding="utf-8"))
SITES = ("demo", "demo2")
# person -> his role at each site ("admin" is the group admin, on no site's staff)
PEOPLE: dict[str, dict[str, str]] = {
    "anonymous": {},
    "fangxiao": {"demo": "front_desk"},
    "lisi": {"demo": "consultant"},
    "zhuguan": {"demo": "supervisor"},
    "sunba": {"demo": "clerk", "demo2": "manager"},  # the person with two roles
    "zhaoliu": {"demo": "manager"},
    "qianjiu": {"demo": "marketing_manager"},
    "zhengshiyi": {"demo": "finance"},
    "wangwu": {"demo": "agent"},
    "chenshi": {"demo": "agent"},
    "hxboss": {"demo": "channel_manager"},
    "qianyue": {"demo": "signing_room"},
    "hanjie": {"demo": "admin"},
    "fengyi": {"demo2": "consultant"},
    "weisi": {"demo2": "clerk"},
    "jiangwu": {"demo2": "agent"},
    "admin": {},
}
GROUP_ADMINS = {"admin"}
OTHER_FIRM = {"wangwu": "陈十", "chenshi": "王五", "hxboss": "陈十"}


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    callback: Any


def routes() -> Iterator[Route]:
    def walk(patterns: list[Any], prefix: str, ns: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner or "")
            elif isinstance(p, URLPattern):
                yield Route(prefix + str(p.pattern), f"{ns}:{p.name}" if ns else (p.name or ""), p.callback)

    yield from walk(get_resolver().url_patterns, "/", "")


def expected(row: dict[str, Any], person: str, site: str | None, verb: str) -> str:
    """What the table says this person gets: pass, login, 403, 404 or 405."""
    methods = row["methods"]
    scope = row.get("scope", "site")
    if scope == "public":
        return "pass" if verb in methods else "405"
    if person == "anonymous":
        return "login"
    if scope == "login":
        return "pass" if verb in methods else "405"
    if scope == "group":
        if person not in GROUP_ADMINS:
            return "403"
        return "pass" if verb in methods else "405"
    assert site is not None
    role = PEOPLE[person].get(site) or ("group_admin" if person in GROUP_ADMINS else None)
    if role is None:
        return "404"
    if role not in row["pass"]:
        return "403"
    if verb not in methods:
        return "405"
    if person in row.get("not_found", ()):
        return "404"
    return "pass" if role in row.get(f"pass_{verb}", row["pass"]) else "403"


def outcome(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return f"{status}!"
    if status == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    if status in (403, 404, 405):
        return str(status)
    return "pass"


def _form(project: Project, *, agent: str, clerk: str, phone: str) -> int:
    """An open visit confirmation at the site, for one of its agents (华信's at both sites)."""
    shown = f"{phone[3:7]}**{phone[-5:]}"
    return VisitForm.objects.create(
        project=project,
        name="李梅",
        gender="F",
        phone=phone,
        phone_shown=shown,
        entry_at=project.created_at,
        channel="hx",
        agent=agent,
        opened_by=User.objects.get(username=clerk),
    ).pk


@pytest.fixture
def demo() -> dict[str, Any]:
    engines.forget_all()
    ensure_demo_site()
    user("zhuguan", "supervisor", "朱冠", team="A")
    user("hxboss", "channel_manager", "华信负责人", channel="hx")
    user("qianyue", "signing_room", "钱悦")
    first, second = (Project.objects.get(code=code) for code in SITES)
    groups = {
        code: GroupVerdict.objects.filter(project__code=code).order_by("pk").values_list("group", flat=True)[0]
        for code in SITES
    }
    forms = {
        "demo": _form(first, agent="wangwu", clerk="sunba", phone="+8613800000002"),
        "demo2": _form(second, agent="jiangwu", clerk="weisi", phone="+8613922220009"),
    }
    # 王五's report c1 (华信) at the first site; the same seq at the second is no agent's entry
    seq = Entry.objects.get(project=first, fact_id="c1").seq
    digest = hashlib.sha256(b"wall-board-token").hexdigest()
    BoardLink.objects.create(project=first, digest=digest, label="大厅", made_by=User.objects.get(username="sunba"))
    # the signing 张三 closed with 李四 assisting; the second site's deposit by 冯一
    deals = {"demo": "o-sign", "demo2": "o2-deposit"}
    return {
        "groups": groups,
        "forms": forms,
        "seqs": {"demo": seq, "demo2": seq},
        "deals": deals,
        "board": "wall-board-token",
    }


def markers(site: str) -> set[str]:
    """What only the other site holds: its customers' names and the people who work only there."""
    other = next(s for s in SITES if s != site)
    names = {
        n
        for d in GroupVerdict.objects.filter(project__code=other).values_list("data", flat=True)
        for n in d.get("names", ())
    }
    here = set(Membership.objects.filter(project__code=site).values_list("staff", flat=True))
    people = {m.name for m in Membership.objects.filter(project__code=other) if m.staff not in here}
    return {m for m in names | people if len(m) >= 2}


def test_every_url_and_role_gets_what_the_table_says(demo: dict[str, Any]) -> None:
    """Sites: 0 unauthorised successes, 0 answers carrying another site's or another firm's data."""
    # given every URL of the configuration, each in the table
    found = list(routes())
    api_names = {r.name for r in found if r.route.startswith("/api/v1/")}
    missing = [r.name for r in found if not r.route.startswith("/api/v1/") and r.name not in TABLE]
    assert not missing, f"URLs missing from access_matrix.toml: {missing}"
    assert {r.name for r in found if "<slug:site>" in r.route} <= {n for n, row in TABLE.items() if "pass" in row}
    clients = {p: Client() for p in PEOPLE}
    for person, c in clients.items():
        if person != "anonymous":
            assert c.login(
                username=person, password=PASSWORD if person in ("zhuguan", "hxboss", "qianyue") else "guishu-demo"
            ), person
    leaks = {site: markers(site) for site in SITES}
    own = dict(User.objects.values_list("username", "first_name"))  # his own name is his to see
    wrong: list[str] = []
    checked = 0
    for r in found:
        if r.route.startswith("/api/v1/") or r.name in ("logout",):
            continue  # the API has its own matrix below; logout ends the session (tested with the browser)
        row = TABLE[r.name]
        for site in SITES if "<slug:site>" in r.route else (None,):
            url = r.route.replace("<slug:site>", site or "")
            if site is not None:
                url = url.replace("<str:group>", demo["groups"][site]).replace("<int:pk>", str(demo["forms"][site]))
                url = url.replace("<int:seq>", str(demo["seqs"][site])).replace("<str:fact>", demo["deals"][site])
            url = url.replace("<str:token>", demo["board"])
            assert "<" not in url, url
            for person, c in clients.items():
                for verb in ("GET", "POST"):
                    # when
                    response = c.get(url) if verb == "GET" else c.post(url, {})
                    got, want = outcome(response), expected(row, person, site, verb)
                    checked += 1
                    # then
                    if got != want:
                        wrong.append(f"{verb} {url} as {person}: got {got}, table says {want}")
                    body = response.content.decode("utf-8", "replace")
                    if site is not None:
                        seen = [m for m in leaks[site] if m in body and m != own.get(person)]
                        if seen:
                            wrong.append(f"{verb} {url} as {person}: the other site's data {seen}")
                    other_firm = OTHER_FIRM.get(person)
                    if other_firm and other_firm in body:
                        wrong.append(f"{verb} {url} as {person}: another firm's agent {other_firm}")
    assert checked > 1500
    assert not wrong, "\n".join(wrong[:60])
    # every API route is an operation of the OpenAPI document (the API matrix below) or public
    operations = {
        op["operationId"].removeprefix("guishu_api_api_")
        for p in api.get_openapi_schema()["paths"].values()
        for op in p.values()
    }
    assert {n.removeprefix("api-v1:") for n in api_names - set(TABLE["api"]["public"])} == operations


def _keys() -> dict[str, str | None]:
    first, second = (Project.objects.get(code=code) for code in SITES)
    _, hx = api_keys.issue(project=first, agent="wangwu", channel="hx")
    _, jy = api_keys.issue(project=first, agent="chenshi", channel="jy")
    _, other = api_keys.issue(project=second, agent="jiangwu", channel="hx")
    k, revoked = api_keys.issue(project=first, agent="wangwu", channel="hx")
    api_keys.revoke([k])
    return {"hx": hx, "jy": jy, "other_site": other, "revoked": revoked, "none": None}


BODIES: dict[str, dict[str, Any]] = {
    "report": {"name": "周敏", "gender": "F", "phone": "1387**00077"},
    "group_list": {"entries": [{"name": "周敏", "phone": "13870000077"}]},
    "follow_up": {"report": "c2", "method": "call"},  # 嘉园's report of 钱多多 in the demo
}
QUERIES: dict[str, dict[str, Any]] = {"tree_head_consistency": {"from_size": 1}}


def test_every_api_operation_and_key_gets_what_the_table_says(demo: dict[str, Any]) -> None:
    """S6: each operation passes the key check for live agents' keys only, and no answer carries
    another firm's or another site's report."""
    # given every operation of the OpenAPI document
    keys = _keys()
    c1 = str(demo["seqs"]["demo"])  # 华信's report: 嘉园's key and the other site's must get nothing of it
    schema = api.get_openapi_schema()
    table = TABLE["api"]["operations"]
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert sorted(ids) == sorted(table), f"operations missing from or stale in access_matrix.toml: {ids}"
    wrong: list[str] = []
    for path, ops in schema["paths"].items():
        for verb, op in ops.items():
            for who, key in keys.items():
                headers = {"Authorization": f"Bearer {key}"} if key else {}
                c = Client()
                # when
                name = op["operationId"].removeprefix("guishu_api_api_")
                if verb == "get":
                    response = c.get(path.replace("{seq}", c1), QUERIES.get(name, {}), headers=headers)
                else:
                    body = BODIES[name]
                    response = c.post(path, body, content_type="application/json", headers=headers)
                # then
                passed = response.status_code != 401
                want = who in table[op["operationId"]]
                if response.status_code >= 500 or passed != want:
                    wrong.append(f"{verb.upper()} {path} with {who}'s key: {response.status_code}")
                text = response.content.decode()
                if who == "hx" and ("陈十" in text or "chenshi" in text or re.search(r'"report":\s*"c2"', text)):
                    wrong.append(f"{verb.upper()} {path} with hx's key: 嘉园's data")
                if who == "jy" and ("wangwu" in text or '"c1"' in text):
                    wrong.append(f"{verb.upper()} {path} with jy's key: 华信's data")
                if who == "other_site" and ('"c1"' in text or '"c2"' in text or "钱多多" in text):
                    wrong.append(f"{verb.upper()} {path} with the other site's key: the first site's data")
    assert not wrong, "\n".join(wrong)
