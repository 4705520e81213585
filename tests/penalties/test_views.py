"""The penalties ledger (罚款台账, issue 16) through its page and its export: each penalty of the
month with its rule and any appeal, each person's totals, another month, the whole record, a
month that is no month refused naming the field, and the .xlsx with Chinese headers."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Project
from tests.penalties.builders import last_month, ledger_site
from tests.record.builders import make_project, visit
from tests.sites.builders import at_site, client_for, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def s18_site() -> Project:
    return ledger_site()


def test_s18_17_the_months_penalties_with_their_rule_and_each_persons_total(s18_site: Project) -> None:
    """S18.17: this month the ledger holds 李四's ¥400 and 赵六's ¥500, not last month's 周七."""
    page = client_for("zhengshiyi").get(at_site("penalties/"))
    assert page.status_code == 200
    body = page.content.decode()
    lines = body[body.index('id="ledger-lines"') :]
    assert "李四" in lines and "赵六" in lines and "周七" not in lines
    assert "¥400.00" in lines and "¥500.00" in lines and "S18.17" in lines
    assert '<strong id="ledger-sum">¥900.00</strong>' in body
    totals = body[body.index('id="ledger-totals"') : body.index('id="ledger-lines"')]
    assert totals.index("赵六") < totals.index("李四")  # the largest first


def test_another_month_and_the_whole_record(s18_site: Project) -> None:
    """S18.17: last month holds only 周七's ¥400; the whole record holds all three."""
    manager = client_for("zhaoliu")
    last = manager.get(at_site("penalties/"), {"month": last_month(s18_site)}).content.decode()
    assert "周七" in last and "李四" not in last and '<strong id="ledger-sum">¥400.00</strong>' in last
    for whole in ("all", "全部"):
        every = manager.get(at_site("penalties/"), {"month": whole}).content.decode()
        assert '<strong id="ledger-sum">¥1,300.00</strong>' in every


@pytest.mark.parametrize("month", ["2026-13", "March", "26-03", "1999-01"])
def test_a_month_that_is_no_month_is_refused_naming_the_field(s18_site: Project, month: str) -> None:
    response = client_for("zhaoliu").get(at_site("penalties/"), {"month": month})
    assert response.status_code == 422
    assert "月份: 应为 年-月" in response.content.decode()
    export = client_for("zhaoliu").get(at_site("penalties/export/"), {"month": month})
    assert export.status_code == 422 and "月份" in export.content.decode()


def test_the_export_is_a_workbook_with_chinese_headers_and_the_same_lines(s18_site: Project) -> None:
    """S18.17: the month's .xlsx: the headers in Chinese, one row per penalty, amounts as numbers."""
    response = client_for("zhengshiyi").get(at_site("penalties/export/"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "人员", "处理", "金额(元)", "依据", "原因", "涉及记录", "申诉")
    people = sorted((r[1], Decimal(str(r[3])), r[4]) for r in rows[1:])
    assert people == [("李四", Decimal(400), "S18.17"), ("赵六", Decimal(500), "S18.17")]


def test_s1_6_a_complaints_fine_shows_the_appeal_that_followed(s18_site: Project) -> None:
    """S1.6, S18.17: under s1 a complaint fines 张三 ¥300; his appeal on that customer is
    rejected: the fine's line says 驳回."""
    engines.forget_all()
    project = make_project(code="s1site", policy="s1")
    user("zhaoliu", "manager", "赵六", project=project)
    append_fact(project=project, data=visit("zhangsan", "13800000005", "孙丽"))
    append_fact(
        project=project,
        data={
            "kind": "complaint",
            "phone": "+8613800000005",
            "against": "zhangsan",
            "approved_by": "zhaoliu",
            "fine": "300",
        },
    )
    before = client_for("zhaoliu").get(at_site("penalties/", "s1site")).content.decode()
    row = before[before.index('id="ledger-lines"') :]
    assert "张三" in row and "¥300.00" in row and "驳回" not in row
    append_fact(
        project=project,
        data={"kind": "appeal", "phone": "138 0000 0005", "appellant": "zhangsan", "outcome": "rejected"},
    )
    after = client_for("zhaoliu").get(at_site("penalties/", "s1site")).content.decode()
    assert "驳回" in after[after.index('id="ledger-lines"') :]
