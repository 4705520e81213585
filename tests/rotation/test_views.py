"""The rotation's screens through HTTP: next customer, queue changes by role, the sign-in code,
the wall board's link, fairness (S7.3, S7.4, S7.6, S16.7)."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import timezone

from guishu.record.models import Entry, Project
from guishu.rotation import actions
from tests.rotation.builders import rotation_site, sign_in
from tests.sites.builders import at_site, client_for

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_VISIT = {"been_here": "no", "purpose": "enquiry"}


@pytest.fixture
def site() -> Project:
    return rotation_site("s7")


def _next(key: str, **answers: str) -> tuple[int, str]:
    response = client_for("qiantai").post(at_site("rotation/next/"), {"key": key, **FIRST_VISIT, **answers})
    return response.status_code, response.content.decode()


def test_next_customer_follows_the_sign_in_order_and_counts_one(site: Project) -> None:
    """S7.3: first-time visitors go to the rotation consultant in sign-in order, counted one."""
    # given three consultants signed in: 李四, 张三, 周七
    sign_in(site, "lisi", "zhangsan", "zhouqi")
    # when the desk presses "next customer" three times
    answers = [_next(f"press-000{i}") for i in range(3)]
    # then each goes to the next in order, with the rule and the receiver's name
    assert [s for s, _ in answers] == [200, 200, 200]
    for (_, body), name in zip(answers, ("李四", "张三", "周七"), strict=True):
        assert f"由 {name} 接待" in body
        assert "[S7.3]" in body
    receptions = Entry.objects.filter(project=site, kind="reception").order_by("seq")
    assert [e.payload["consultant"] for e in receptions] == ["lisi", "zhangsan", "zhouqi"]
    assert all(e.payload["counted"] for e in receptions)
    # and the answer carries a fresh press key for the desk's form, and fetches the
    # registration form of that reception, its receiver chosen
    assert 'name="key"' in answers[0][1] and 'hx-swap-oob="true"' in answers[0][1]
    found = re.search(r'hx-get="([^"]+)"', answers[0][1])
    assert found is not None
    form = client_for("qiantai").get(html.unescape(found.group(1))).content.decode()
    assert 'name="reception" value="rcp-press-0000"' in form
    assert re.search(r'<option value="lisi" selected>', form)


def test_the_registration_form_follows_the_desk_answers(site: Project) -> None:
    """S7.2: a returning walk-in who named his consultant: the form says not a first visit and
    names him; an unknown reception is refused in words, not a 500."""
    # given
    sign_in(site, "lisi", "zhangsan")
    _next("press-named1", been_here="yes", consultant="zhangsan")
    # when
    client = client_for("qiantai")
    ok = client.get(
        at_site("rotation/registration/"),
        {"reception": "rcp-press-named1", "been_here": "yes", "consultant": "zhangsan"},
    )
    gone = client.get(at_site("rotation/registration/"), {"reception": "rcp-nothing"})
    # then
    form = ok.content.decode()
    assert ok.status_code == 200
    assert re.search(r'name="first_visit"[^>]*>.*?<option value="no" selected>', form, re.S)
    assert re.search(r'name="named_consultant"[^>]*>.*?<option value="zhangsan" selected>', form, re.S)
    assert gone.status_code == 422 and "没有这次接待" in gone.content.decode()


def test_a_retried_press_returns_the_same_reception(site: Project) -> None:
    """Next customer: a retry or double click with the same key is the same assignment, one fact."""
    # given
    sign_in(site, "lisi", "zhangsan")
    # when the same press arrives twice
    first, again = _next("press-same1"), _next("press-same1")
    # then one reception, and both answers name its receiver
    assert Entry.objects.filter(project=site, kind="reception").count() == 1
    assert "李四" in first[1] and "李四" in again[1]
    assert "此前已分配" in again[1]


def test_nobody_to_receive_is_a_clear_refusal(site: Project) -> None:
    """Next customer with nobody signed in: 422 and the reason in Chinese, nothing written."""
    # when
    status, body = _next("press-empty")
    # then
    assert status == 422
    assert "队列中没有可接待的顾问" in body
    assert not Entry.objects.filter(project=site, kind="reception").exists()


def test_an_appointment_while_its_consultant_is_busy_is_helped_by_the_last_in_rotation(site: Project) -> None:
    """S7.4: X busy with a customer: the last in rotation helps, not counted; X keeps him."""
    # given 李四 receives a walk-in
    sign_in(site, "lisi", "zhangsan", "zhouqi")
    _next("press-walk1")
    # when 李四's appointment arrives
    status, body = _next("press-appt1", been_here="yes", consultant="lisi", appointment="on")
    # then the last ready in rotation (周七) helps, not counted
    assert status == 200
    assert "由 周七 接待" in body and "不计轮次" in body and "[S7.4]" in body
    last = Entry.objects.filter(project=site, kind="reception").latest("seq").payload
    assert last["counted"] is False and last["stand_in"] is True and last["named"] == "lisi"


def test_a_skip_for_an_old_customer_gives_a_make_up_turn(site: Project) -> None:
    """S7.6: skipped for an old customer of his, he receives the next walk-in once back (补接)."""
    # given 李四 up next is skipped with his old customer present
    sign_in(site, "lisi", "zhangsan", "zhouqi")
    desk = client_for("qiantai")
    skipped = desk.post(at_site("rotation/change/"), {"action": "skip", "staff": "lisi", "reason": "old_customer"})
    assert skipped.status_code == 200
    _next("press-mk001")  # 张三 takes this one
    # when 李四 is back and the next walk-in comes
    assert desk.post(at_site("rotation/change/"), {"action": "back", "staff": "lisi"}).status_code == 200
    status, body = _next("press-mk002")
    # then it is 李四's make-up turn
    assert status == 200 and "由 李四 接待" in body and "补接" in body
    assert Entry.objects.filter(project=site, kind="reception").latest("seq").payload["make_up"] is True


def test_a_skip_needs_its_reason(site: Project) -> None:
    """S16.7: nobody is skipped without a recorded reason: the field is named in Chinese."""
    sign_in(site, "lisi")
    response = client_for("qiantai").post(at_site("rotation/change/"), {"action": "skip", "staff": "lisi"})
    assert response.status_code == 422
    assert "跳过原因" in response.content.decode()
    assert not Entry.objects.filter(project=site, kind="queue", payload__action="skip").exists()


def test_a_consultant_signs_in_only_with_the_desks_current_code(site: Project) -> None:
    """A sign-in by phone needs the code the desk's screen shows now; a wrong one names the field."""
    phone = client_for("lisi")
    # when he types a wrong code
    wrong = phone.post(at_site("rotation/me/sign-in/"), {"code": "000000"})
    # then he is refused, the field named
    assert wrong.status_code == 422 and "签到码" in wrong.content.decode()
    # when he types the code the desk shows
    desk = client_for("qiantai").get(at_site("rotation/")).content.decode()
    code = re.search(r"data-code>(\d{6})<", desk)
    assert code is not None
    assert code.group(1) == actions.desk_code("demo", timezone.now())
    # and the desk's QR code opens his page with the code filled in (scanning, not typing)
    assert '<svg width="' in desk and 'class="segno"' in desk
    scanned = phone.get(at_site("rotation/me/"), {"code": code.group(1)}).content.decode()
    assert f'name="code" value="{code.group(1)}"' in scanned
    right = phone.post(at_site("rotation/me/sign-in/"), {"code": code.group(1)})
    # then he is in the queue, confirmed by code
    assert right.status_code == 200
    fact = Entry.objects.filter(project=site, kind="queue").latest("seq").payload
    assert fact == fact | {"action": "sign_in", "staff": "lisi", "confirmed": "code"}


def test_a_consultant_changes_only_his_own_line(site: Project) -> None:
    """Roles: a consultant takes his own break; another's line or a manager's move is refused."""
    sign_in(site, "lisi", "zhangsan")
    phone = client_for("lisi")
    assert (
        phone.post(at_site("rotation/change/"), {"action": "break", "staff": "lisi", "from": "me"}).status_code == 200
    )
    other = phone.post(at_site("rotation/change/"), {"action": "break", "staff": "zhangsan"})
    moved = phone.post(at_site("rotation/change/"), {"action": "move", "staff": "lisi", "position": "1", "note": "x"})
    assert other.status_code == 403 and moved.status_code == 403
    # and a manager's move needs his reason
    manager = client_for("zhaoliu")
    no_note = manager.post(at_site("rotation/change/"), {"action": "move", "staff": "zhangsan", "position": "2"})
    assert no_note.status_code == 422
    ok = manager.post(
        at_site("rotation/change/"), {"action": "move", "staff": "zhangsan", "position": "2", "note": "纠正"}
    )
    assert ok.status_code == 200


def test_a_day_off_cannot_sign_in(site: Project) -> None:
    """Duty wins: someone recorded on a day off cannot sign in; the refusal says why."""
    from guishu.record.actions import append_fact

    append_fact(project=site, data={"kind": "duty", "staff": "zhouqi", "status": "day_off"})
    response = client_for("qiantai").post(at_site("rotation/change/"), {"action": "sign_in", "staff": "zhouqi"})
    assert response.status_code == 422
    assert "休息日" in response.content.decode()


def test_the_wall_board_follows_the_queue_until_its_link_is_revoked(site: Project) -> None:
    """The wall board: a manager's link, no login, the queue by name, no customer data; revocable."""
    sign_in(site, "lisi", "zhangsan")
    manager = client_for("zhaoliu")
    page = manager.post(at_site("rotation/boards/"), {"label": "大厅电视"}).content.decode()
    found = re.search(r"data-board-link>[^<]*/board/([A-Za-z0-9_-]+)/<", page)
    assert found is not None
    token = found.group(1)
    from django.test import Client

    tv = Client()
    board = tv.get(f"/board/{token}/").content.decode()
    assert "李四" in board and "张三" in board
    assert "138" not in board  # no customer data
    # a poll of the same version has nothing to swap
    version = re.search(r'data-version="([^"]+)"', board)
    assert version is not None
    assert tv.get(f"/board/{token}/queue/", {"v": version.group(1)}).status_code == 204
    # when the link is revoked
    from guishu.rotation.models import BoardLink

    link = BoardLink.objects.get(project=site)
    manager.post(at_site("rotation/boards/"), {"revoke": str(link.pk)})
    # then the board is gone
    assert tv.get(f"/board/{token}/").status_code == 404
    assert tv.get(f"/board/{token}/queue/").status_code == 404


def test_fairness_shows_the_expected_share_and_exports(site: Project) -> None:
    """Fairness: received against the expected share (1 / eligible per reception), and CSV."""
    sign_in(site, "lisi", "zhangsan")
    _next("press-fair1")
    _next("press-fair2")
    manager = client_for("zhaoliu")
    page = manager.get(at_site("rotation/fairness/"))
    assert page.status_code == 200
    body = page.content.decode()
    # 李四 took the first (two ready: 0.5 each); 张三 the second, 李四 then with his customer (1)
    lisi = re.search(r'data-staff="lisi">(.*?)</tr>', body, re.S)
    zhangsan = re.search(r'data-staff="zhangsan">(.*?)</tr>', body, re.S)
    assert lisi is not None and zhangsan is not None
    assert "<td>0.50</td><td>0.50</td>" in lisi.group(1)  # expected 0.5, deviation +0.5
    assert "<td>1.50</td><td>-0.50</td>" in zhangsan.group(1)
    export = manager.get(at_site("rotation/fairness/"), {"export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("顾问") and len(rows) == 3
    bad = manager.get(at_site("rotation/fairness/"), {"first": "2026-13-01"})
    assert bad.status_code == 422 and "起始日期" in bad.content.decode()


def test_s8_8_the_registration_form_carries_how_an_old_customer_brought_him(site: Project) -> None:
    """S8.8, S16.14: the desk answered that an old customer came along; the press's answer opens
    the registration form with that way chosen, and the form asks for the old customer's phone."""
    sign_in(site, "lisi", "zhangsan")
    status, body = _next("press-refer1", been_here="no", referral="accompanied")
    assert status == 200
    found = re.search(r'hx-get="([^"]+)"', body)
    assert found is not None and "referral=accompanied" in html.unescape(found.group(1))
    form = client_for("qiantai").get(html.unescape(found.group(1))).content.decode()
    assert re.search(r'name="referral"[^>]*>.*?<option value="accompanied" selected>', form, re.S)
    assert 'name="referred_by"' in form


def test_fairness_gives_the_sites_figure_and_each_new_customers_conversion(site: Project) -> None:
    """Fairness: the site's figure is the largest |received - expected| of the day and of the
    period (0.5 after 李四 and 张三 took one each from two ready); 李四's new customer, registered
    on his reception and signed, converts (1 of 1), 张三's not (0 of 1)."""
    from guishu.record.actions import append_fact

    sign_in(site, "lisi", "zhangsan")
    _next("press-conv1")
    _next("press-conv2")
    customer = {"name": "王建国", "gender": "M", "phone": "13800000001", "intent": "三居"}
    append_fact(
        project=site,
        data={
            "kind": "registration",
            "mode": "visit",
            "consultant": "lisi",
            "reception": "rcp-press-conv1",
            "customer": customer,
        },
    )
    append_fact(project=site, data={"kind": "deal", "type": "signing", "phone": "+8613800000001", "closer": "lisi"})
    body = client_for("zhaoliu").get(at_site("rotation/fairness/")).content.decode()
    assert re.search(r"data-worst-day>0\.50<", body) and re.search(r"data-period>0\.50<", body)
    lisi = re.search(r'data-staff="lisi">(.*?)</tr>', body, re.S)
    zhangsan = re.search(r'data-staff="zhangsan">(.*?)</tr>', body, re.S)
    assert lisi is not None and zhangsan is not None
    assert "<td>100%</td>" in lisi.group(1) and "<td>0%</td>" in zhangsan.group(1)


def test_a_sign_in_code_of_an_earlier_window_is_refused(site: Project) -> None:
    """The desk's code rotates: the current one and the one just before it are taken (a code read
    a moment before it changed), one two windows old is refused as expired, naming the field."""
    from datetime import timedelta

    now = timezone.now()
    step = timedelta(seconds=actions.CODE_SECONDS)
    assert actions.code_is_current("demo", actions.desk_code("demo", now - step), now)
    old = actions.desk_code("demo", now - 2 * step)
    assert old not in (actions.desk_code("demo", now), actions.desk_code("demo", now - step))
    refused = client_for("lisi").post(at_site("rotation/me/sign-in/"), {"code": old})
    assert refused.status_code == 422 and "签到码不对或已过期" in refused.content.decode()
    assert not Entry.objects.filter(project=site, kind="queue").exists()
