"""S3.1 full-data views: each display of a full phone is a fact of the site's record, the
manager reads them on 查看记录, and no phone typed at the desk is ever in a URL."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from guishu.desk import selectors
from guishu.desk.models import Disclosure
from guishu.record import engines
from guishu.record.actions import append_fact, create_project
from guishu.record.audit import projection_differences
from guishu.record.models import Entry, Project
from tests.record.builders import STAFF, visit
from tests.sites.builders import client_for, user

pytestmark = pytest.mark.django_db(transaction=True)
ZONE = "America/New_York"  # 13 hours from Beijing: a time shown in the server's zone is off
FULL = "13800000001"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def site() -> Project:
    """张三's customer 王建国 (13800000001) at a site in New York time, with its staff and the
    front desk 方晓."""
    engines.forget_all()
    project = create_project(code="demo", name="示范案场", policy="s8", timezone_name=ZONE)
    for staff, (name, role, team) in STAFF.items():
        user(staff, role, name, team=team)
    user("fangxiao", "front_desk", "方晓")
    append_fact(project=project, data=visit("zhangsan", FULL, "王建国"))
    return project


def _views(site: Project) -> list[dict[str, object]]:
    entries = Entry.objects.filter(project=site, kind="disclosed").order_by("seq")
    return [{k: e.payload[k] for k in ("staff", "screen", "phones")} for e in entries]


def _visible(page: str) -> str:
    body = page.split("<main>", 1)[-1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]*>", " ", body))


# ---------------------------------------------------------------------------
# the record entry


def test_every_screen_that_shows_a_full_phone_appends_one_entry(site: Project) -> None:
    """S3.1: the lookup, my customers, a registration's answer and a card after a follow-up each
    append one disclosed fact naming the viewer, the screen and whose phones; the entry is the
    signed-in person's."""
    # given 张三, the owner of 王建国
    c = client_for("zhangsan")
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    # when he looks him up, opens his customers, registers a new visitor and logs a follow-up
    assert FULL in c.post("/s/demo/desk/", {"q": FULL}, headers=HTMX).content.decode()
    assert FULL in c.get("/s/demo/mine/").content.decode()
    new = {"mode": "visit", "name": "李梅", "gender": "F", "phone": "13900000002", "intent": "两居", "source": "路过"}
    assert "13900000002" in c.post("/s/demo/register/", new).content.decode()
    assert FULL in c.post("/s/demo/follow-up/", {"group": group, "method": "sms"}).content.decode()
    # then each display is one entry of the record, in order
    assert _views(site) == [
        {"staff": "zhangsan", "screen": "desk", "phones": ["+8613800000001"]},
        {"staff": "zhangsan", "screen": "mine", "phones": ["+8613800000001"]},
        {"staff": "zhangsan", "screen": "registered", "phones": ["+8613900000002"]},
        {"staff": "zhangsan", "screen": "card", "phones": ["+8613800000001"]},
    ]
    actors = Entry.objects.filter(project=site, kind="disclosed").values_list("actor__username", flat=True)
    assert set(actors) == {"zhangsan"}
    # and the old table is not written any more
    assert not Disclosure.objects.exists()


def test_a_masked_view_appends_nothing(site: Project) -> None:
    """S3.1: another consultant's lookup, the front desk's and the manager's, and the front
    desk's registration for 张三, show masked phones only: no entry."""
    # given the record's length
    before = Entry.objects.filter(project=site).count()
    # when others look 王建国 up by his full phone, by mask and by name
    for who in ("lisi", "fangxiao", "zhaoliu"):
        for q in (FULL, "138****0001", "王建国"):
            page = client_for(who).post("/s/demo/desk/", {"q": q}, headers=HTMX).content.decode()
            assert "138****0001" in page and FULL not in page, (who, q)
    # and the front desk registers 李梅 for 张三
    new = {"mode": "visit", "name": "李梅", "gender": "F", "phone": "13900000002", "intent": "两居", "source": "路过"}
    page = client_for("fangxiao").post("/s/demo/register/", new | {"receiver": "zhangsan"}).content.decode()
    assert "139****0002" in page and "13900000002" not in page
    # then no disclosure, only the registration
    assert _views(site) == []
    assert Entry.objects.filter(project=site).count() == before + 1


def test_a_record_with_disclosures_rebuilds_to_the_same_projections(site: Project) -> None:
    """S3.1, core: ``guishu rebuild``'s replay writes the same verdicts, lookups and memberships
    from a record holding disclosures, so none of them touched a projection."""
    # given two full views of 张三's customer
    c = client_for("zhangsan")
    c.post("/s/demo/desk/", {"q": FULL})
    c.get("/s/demo/mine/")
    assert len(_views(site)) == 2
    # when the projections are compared with a fresh replay of the record
    # then they agree
    assert projection_differences(site) == []


# ---------------------------------------------------------------------------
# the manager's screen


def test_the_manager_reads_who_saw_whose_full_data(site: Project) -> None:
    """S3.1: 查看记录 names the viewer and the customer (masked), the screen and what was shown,
    at the site's time, without the full phone; it is on the manager's menu."""
    # given 张三 looked his customer up
    client_for("zhangsan").post("/s/demo/desk/", {"q": FULL})
    entry = Entry.objects.get(project=site, kind="disclosed")
    # when the manager opens the screen
    page = client_for("zhaoliu").get("/s/demo/manage/views/").content.decode()
    text = _visible(page)
    # then one line says it, in words and at the site's time
    row = re.search(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page)
    assert row is not None
    at, viewer, customer, screen, shown = (html.unescape(x) for x in row.groups())
    assert at == entry.at.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M")
    assert (viewer, customer, screen, shown) == ("张三", "王建国 138****0001", "判客", "完整电话")
    assert FULL not in page and "zhangsan" not in text
    assert 'href="/s/demo/manage/views/"' in page and "查看记录" in page


def test_the_screen_in_english(site: Project) -> None:
    """S3.1: in English mode the screen's words are English; the names stay the data."""
    # given
    client_for("zhangsan").post("/s/demo/desk/", {"q": FULL})
    c = client_for("zhaoliu")
    c.cookies["django_language"] = "en"
    # when
    text = _visible(c.get("/s/demo/manage/views/").content.decode())
    # then
    assert "Full-data views" in text and "Full phone" in text and "Viewer" in text
    assert "查看记录" not in text and "完整电话" not in text and "判客" not in text


def test_the_screen_is_paged_newest_first(site: Project) -> None:
    """S3.1: fifty views a page, the newest first; the next page holds the older ones."""
    # given 52 views of 王建国's phone, by 张三 and 李四 in turn (the last one 李四's)
    per = selectors.FULL_VIEWS_PER_PAGE
    for n in range(per + 2):
        who = "zhangsan" if n % 2 == 0 else "lisi"
        data = {"kind": "disclosed", "staff": who, "screen": "mine", "shown": ["phone"], "phones": [FULL]}
        append_fact(project=site, data=data)
    seqs = list(Entry.objects.filter(project=site, kind="disclosed").order_by("-seq").values_list("seq", flat=True))
    c = client_for("zhaoliu")
    # when the first two pages are opened
    first, second = (c.get("/s/demo/manage/views/", {"page": p}).content.decode() for p in (1, 2))
    # then the first holds the newest fifty (the last one, 李四's, on top), the second the two oldest
    rows = [re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", page) for page in (first, second)]
    assert len(rows[0]) == per and len(rows[1]) == 2
    assert rows[0][0] == "李四" and rows[1] == ["李四", "张三"]
    assert 'href="?page=2"' in first and 'href="?page=1"' in second and 'href="?page=3"' not in second
    assert len(seqs) == per + 2
    # and a page that is not one is the first or the last, never an error
    assert c.get("/s/demo/manage/views/", {"page": "x"}).status_code == 200
    assert c.get("/s/demo/manage/views/", {"page": "999"}).content.decode().count("<tr><td>") == 2


def test_the_old_tables_rows_are_shown_apart(site: Project) -> None:
    """S3.1: a display the old desk_disclosure table logged is listed apart, as not chained."""
    # given a row of the old table: 张三 saw 王建国's full phone before issue 12
    group = engines.live_engine(site).engine.by_phone["+8613800000001"].id
    row = Disclosure.objects.create(user=User.objects.get(username="zhangsan"), project=site, group=group, what="phone")
    row.at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    row.save(update_fields=["at"])
    # when the manager opens the screen
    text = _visible(client_for("zhaoliu").get("/s/demo/manage/views/").content.decode())
    # then the record's list is empty and the old row is below it, by name, at the site's time
    recorded, _, earlier = text.partition("此前的查看记录")
    assert "暂无" in recorded and "张三" not in recorded
    assert "未链接" in earlier and "2026-03-01 21:00" in earlier
    assert "张三" in earlier and "王建国 138****0001" in earlier and "完整电话" in earlier


def test_the_screen_is_not_on_others_menus(site: Project) -> None:
    """S3.1: only the manager's menu links the screen (the access matrix refuses the others)."""
    for who in ("zhangsan", "fangxiao", "sunba"):
        page = client_for(who).get("/s/demo/").content.decode()
        assert "/manage/views/" not in page, who


# ---------------------------------------------------------------------------
# no phone in a URL


def test_the_desk_form_posts_and_pushes_no_url(site: Project) -> None:
    """S3.1: the lookup form is posted (htmx hx-post, its CSRF token) and no URL is pushed."""
    # when
    page = client_for("fangxiao").get("/s/demo/desk/").content.decode()
    form = re.search(r"<form [^>]*hx-target=\"#results\"[^>]*>", page)
    # then
    assert form is not None
    assert 'method="post"' in form.group(0) and 'hx-post="/s/demo/desk/"' in form.group(0)
    assert "hx-get" not in page and "hx-push-url" not in page
    assert 'name="csrfmiddlewaretoken"' in page.split('hx-target="#results"', 1)[1].split("</form>", 1)[0]


def test_a_lookup_needs_its_csrf_token(site: Project) -> None:
    """S3.1: the posted lookup is a form like any other: refused without its CSRF token, answered
    with it (in the header, as htmx sends it)."""
    # given a browser that checks CSRF, signed in, with the desk's token
    c = Client(enforce_csrf_checks=True)
    assert c.login(username="lisi", password="pw-guishu-1")  # noqa: S106
    c.get("/s/demo/desk/")
    token = c.cookies["csrftoken"].value
    # when / then
    assert c.post("/s/demo/desk/", {"q": FULL}, headers=HTMX).status_code == 403
    answered = c.post("/s/demo/desk/", {"q": FULL}, headers=HTMX | {"X-CSRFToken": token})
    assert answered.status_code == 200 and "138****0001" in answered.content.decode()


def test_a_query_in_the_url_is_dropped(site: Project) -> None:
    """S3.1: a desk URL still carrying a phone (an old bookmark, the browser's history of the GET
    form) is sent to the bare desk: the phone is in no answer, no Location, no page."""
    c = client_for("zhangsan")
    # when
    response = c.get("/s/demo/desk/", {"q": FULL})
    followed = c.get("/s/demo/desk/", {"q": FULL}, follow=True)
    # then
    assert response.status_code == 302 and response["Location"] == "/s/demo/desk/"
    assert followed.redirect_chain == [("/s/demo/desk/", 302)]
    assert FULL not in followed.content.decode()
    assert _views(site) == []  # and nothing was looked up
