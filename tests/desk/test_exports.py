"""Excel out (issue 16) of the desk's lists: the clerk's day register (S1.3, S11.3) with what
does not count and what was voided, phones masked; a consultant's own customers in full (S3.1),
the export itself recorded as a display of full data."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    engines.forget_all()
    project = make_project(policy="s8")
    user("sunba", "clerk", "孙八", project=project)
    user("zhangsan", "consultant", "张三", project=project)
    append_fact(project=project, data=visit("zhangsan", "13800000001", "王建国"))
    # S8.5: no contact left, the registration does not count
    append_fact(
        project=project,
        data={"kind": "registration", "mode": "visit", "consultant": "lisi", "customer": {"intent": "三居"}},
    )
    wrong = append_fact(project=project, data=visit("lisi", "13800000002", "李梅")).fact.id
    append_fact(project=project, data={"kind": "correction", "target": wrong, "by": "sunba", "reason": "登记错了"})
    return project


def _rows(body: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(BytesIO(body)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_s1_3_the_days_register_as_a_workbook_masked_with_what_does_not_count(site: Project) -> None:
    """S1.3, S8.5, S8.12: three registrations of today: 张三's counts, 李四's without the
    customer's contact does not (with its rule), the voided one says so with its reason; phones
    masked."""
    response = client_for("sunba").get(at_site("clerk/export/"))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    rows = _rows(response.content)
    assert rows[0] == ("序号", "时间", "方式", "顾问", "客户", "电话", "是否有效")
    body = rows[1:]
    assert [(r[3], r[4], r[5]) for r in body] == [
        ("张三", "王建国", "138****0001"),
        ("李四", None, None),  # an empty cell
        ("李四", "李梅", "138****0002"),
    ]
    assert body[0][6] == "有效"
    assert body[1][6] == "S8.5 未留客户本人有效联系方式,登记无效"
    assert body[2][6] == "已作废: 登记错了"
    assert all("13800000001" not in str(cell) for row in rows for cell in row)


def test_a_day_that_is_no_day_is_refused(site: Project) -> None:
    response = client_for("sunba").get(at_site("clerk/export/"), {"day": "2026-02-30"})
    assert response.status_code == 422 and "日期" in response.content.decode()


def test_s3_1_a_consultants_own_customers_in_full_and_the_export_recorded(site: Project) -> None:
    """S3.1: 张三's export holds his customer's full phone, and the record says he was shown it."""
    response = client_for("zhangsan").get(at_site("mine/export/"))
    assert response.status_code == 200
    rows = _rows(response.content)
    assert rows[0][:3] == ("客户", "电话", "状态")
    assert [(r[0], r[1]) for r in rows[1:]] == [("王建国", "13800000001")]
    shown = Entry.objects.filter(project=site, kind="disclosed").order_by("-seq").first()
    assert shown is not None and shown.payload["screen"] == "export"
    assert shown.payload["phones"] == ["+8613800000001"] and shown.payload["staff"] == "zhangsan"
