"""The confirmation desk (S18) through its page: the confirmer records a hand-in with his signed
time; the quota counter (S18.5), a form over the quota returned with its reason, a form missing
what S18.2 requires refused before anything is written, the signed time bounded (S18.3, S18.4),
re-confirmation (S18.21)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from guishu.record import engines
from guishu.record.models import Entry
from tests.handins.builders import customer_name, customer_phone, desk_site, in_hours
from tests.sites.builders import at_site, client_for

pytestmark = pytest.mark.django_db(transaction=True)


def _form(n: int, **extra: str) -> dict[str, str]:
    return {
        "consultant": "zhangsan",
        "customer_no": f"C{n:04d}",
        "name": customer_name(n),
        "phone": customer_phone(n),
        "need": "三居",
        "signed_at": in_hours().strftime("%Y-%m-%dT%H:%M"),
    } | extra


def test_s18_5_the_last_place_is_confirmed_and_the_next_form_returned_with_its_reason() -> None:
    """S18.5, S18.3: 张三, who signed last quarter, holds 49 of his 50; the clerk confirms the
    50th, the 51st is returned with its reason."""
    site = desk_site(49, registered=2, signed=1)
    clerk = client_for("sunba")
    page = clerk.get(at_site("handins/")).content.decode()
    assert "<td>张三</td><td>49</td><td>50" in page
    assert clerk.post(at_site("handins/new/"), _form(50)).status_code == 302
    engine = engines.live_engine(site).engine
    assert engine.by_phone[customer_phone(50)].owner.id == "zhangsan"
    assert clerk.post(at_site("handins/new/"), _form(51)).status_code == 302
    last = Entry.objects.filter(project=site, kind="handin").order_by("-seq").first()
    assert last is not None and last.payload["confirmer"] == "sunba"
    assert engines.live_engine(site).engine.invalid[last.fact_id].rule == "S18.5"
    page = clerk.get(at_site("handins/")).content.decode()
    assert "<td>张三</td><td>50</td><td>50" in page and "已满" in page
    assert "退回" in page and "已达确认限额 50 名" in page
    # and 张三 sees his own counter and forms, with no form to record one
    mine = client_for("zhangsan").get(at_site("handins/")).content.decode()
    assert "已达确认限额 50 名" in mine and 'id="handin-form"' not in mine


@pytest.mark.parametrize(("signed", "quota"), [(0, 30), (1, 50), (3, 80)])
def test_s18_5_the_quota_follows_last_quarters_signings(signed: int, quota: int) -> None:
    """S18.5: 30 after a quarter with no signing, 50, and 80 once the quarter's target (3) was met."""
    desk_site(3, signed=signed)
    page = client_for("sunba").get(at_site("handins/")).content.decode()
    assert f"<td>张三</td><td>3</td><td>{quota}" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"consultant": ""}, "递交顾问: "),
        ({"consultant": "sunba"}, "递交顾问: "),
        ({"customer_no": ""}, "客户编号: 确认单必须填写客户编号"),
        ({"phone": ""}, "联系方式: 确认单必须填写联系方式"),
        ({"phone": "abc"}, "联系方式: "),
        ({"name": "王1"}, "客户姓名: "),
        ({"company": "华为技术有限公司"}, "联系人: 确认单必须填写联系人"),
        ({"signed_at": "tomorrow"}, "确认人签字时间: 应为日期和时间"),
        ({"amends": "nope"}, "更改的原确认单编号: 不是该顾问递交过的确认单"),
    ],
)
def test_bad_handins_name_the_field_and_write_nothing(data: dict[str, Any], message: str) -> None:
    site = desk_site(0, registered=1)
    before = Entry.objects.filter(project=site).count()
    response = client_for("sunba").post(at_site("handins/new/"), _form(1, **data))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Entry.objects.filter(project=site).count() == before


def test_s18_4_the_signed_time_is_within_the_last_day_and_not_ahead() -> None:
    """S18.3, S18.4: the confirmer's signed time decides; it is no later than now and the form is
    entered within 24 hours of it."""
    site = desk_site(0, registered=1)
    clerk = client_for("sunba")
    local = timezone.localtime(timezone=site.timezone and None)
    ahead = (timezone.now() + timedelta(hours=2)).astimezone(local.tzinfo).strftime("%Y-%m-%dT%H:%M")
    old = (timezone.now() - timedelta(hours=30)).astimezone(local.tzinfo).strftime("%Y-%m-%dT%H:%M")
    for value, message in ((ahead, "签字时间不能晚于现在"), (old, "须在签字后24小时内录入")):
        response = clerk.post(at_site("handins/new/"), _form(1, signed_at=value))
        assert response.status_code == 422 and message in response.content.decode()
    assert not Entry.objects.filter(project=site, kind="handin").exists()


def test_s18_1_the_signing_room_signs_outside_the_desks_hours() -> None:
    """S18.1: a form signed by the signing room stands whatever the hour (now: the customer is on
    the sheet since a moment ago, the same day)."""
    site = desk_site(0, registered=1, sheet_at=timezone.now() - timedelta(seconds=5))
    response = client_for("qianqi").post(at_site("handins/new/"), _form(1, signed_at=""))
    assert response.status_code == 302
    entry = Entry.objects.get(project=site, kind="handin")
    assert entry.payload["signed_by_role"] == "signing_room"
    assert entry.fact_id not in engines.live_engine(site).engine.invalid


def test_s18_21_a_lapsing_confirmation_is_reconfirmed_keeping_its_time() -> None:
    """S18.21: the desk lists confirmations about to lapse; re-confirming hands the same form in
    again, and the customer stays the consultant's from his first signed time."""
    site = desk_site(1)
    first = Entry.objects.get(project=site, kind="handin")
    clerk = client_for("sunba")
    response = clerk.post(at_site("handins/reconfirm/"), {"handin": first.fact_id})
    assert response.status_code in (302, 422)  # outside the desk's hours the clerk's form is returned (S18.1)
    assert Entry.objects.filter(project=site, kind="handin").count() == 2
    again = Entry.objects.filter(project=site, kind="handin").order_by("-seq").first()
    assert again is not None and again.payload["customer_no"] == "C0001" and again.payload["phone"] == customer_phone(1)
    refused = clerk.post(at_site("handins/reconfirm/"), {"handin": "nope"})
    assert refused.status_code == 422 and "确认单: 记录中没有这张确认单" in refused.content.decode()


def test_s18_the_clerks_home_lists_todays_returned_handins() -> None:
    """S18.5: the clerk's home counts today's hand-ins and names the returned one with its reason."""
    desk_site(29, registered=2)
    clerk = client_for("sunba")
    assert clerk.post(at_site("handins/new/"), _form(30)).status_code == 302
    assert clerk.post(at_site("handins/new/"), _form(31)).status_code == 302
    home = clerk.get(at_site("")).content.decode()
    assert "今日确认单 2 张,其中退回的" in home and "已达确认限额 30 名" in home


def test_s1_4_a_handin_voided_by_a_correction_is_shown_voided_not_confirmed() -> None:
    """S1.4, S18.3: the clerk voids a hand-in entered by mistake; the desk shows it 已作废, neither
    confirmed nor returned, and the customer is no longer the consultant's."""
    site = desk_site(0, registered=1)
    clerk = client_for("sunba")
    assert clerk.post(at_site("handins/new/"), _form(1)).status_code == 302
    handin = Entry.objects.get(project=site, kind="handin")

    def row() -> str:
        page = clerk.get(at_site("handins/")).content.decode()
        start = page.index(f'id="handin-{handin.fact_id}"')
        return page[start : page.index("</tr>", start)]

    assert "已确认" in row()
    assert clerk.post(at_site("clerk/correct/"), {"target": handin.fact_id, "reason": "递错了客户"}).status_code == 302
    assert "已作废" in row() and "已确认" not in row() and "退回" not in row()
    group = engines.live_engine(site).engine.by_phone.get(customer_phone(1))
    assert group is None or group.owner is None or group.owner.id != "zhangsan"
