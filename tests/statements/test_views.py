"""结佣单 (issue 16) through its screens: the month's statements, one payee's lines with their
rule, finance's approval (kept unchanged; a later refund adjusts the next statement), stale
or repeated approvals refused with nothing written, the rates screen, and the exports."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from guishu.record.actions import append_fact
from guishu.record.models import Entry, Project
from tests.sites.builders import at_site, client_for, user
from tests.statements.builders import PHONE, last_month_noon, month_of, signed_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    return signed_site()


def _last() -> str:
    return month_of(last_month_noon())


def _approvals(project: Project) -> int:
    return Entry.objects.filter(project=project, kind="statement_approved").count()


def test_s8_1_the_months_statement_pays_the_owner_who_closed_at_the_rate(site: Project) -> None:
    """S8.1: 张三 closed his own customer's ¥1,000,000 signing at 0.5 %: ¥5,000.00 on last month's
    statement, with the unit, the stage, the rate and the rule."""
    finance = client_for("zhengshiyi")
    overview = finance.get(at_site("statements/"), {"month": _last()}).content.decode()
    assert 'id="payee-zhangsan"' in overview and "张三" in overview
    assert '<strong id="statements-sum">¥5,000.00</strong>' in overview
    page = finance.get(at_site("statements/one/"), {"payee": "zhangsan", "month": _last()})
    body = page.content.decode()
    assert page.status_code == 200
    lines = body[body.index('id="statement-lines"') :]
    assert "3-1502" in lines and "签约" in lines and "S8.1" in lines and "¥1,000,000.00" in lines
    assert '<th id="statement-total">¥5,000.00</th>' in lines
    assert 'id="approve-form"' in body  # finance may approve
    manager = client_for("zhaoliu").get(at_site("statements/one/"), {"payee": "zhangsan", "month": _last()})
    assert manager.status_code == 200 and 'id="approve-form"' not in manager.content.decode()


def test_an_approved_statement_stays_and_a_later_refund_adjusts_this_months(site: Project) -> None:
    """S9.1: finance approves last month's ¥5,000.00; the refund this month leaves it as approved
    and shows −¥5,000.00 on this month's statement."""
    finance = client_for("zhengshiyi")
    done = finance.post(at_site("statements/approve/"), {"payee": "zhangsan", "month": _last(), "total": "5000.00"})
    assert done.status_code == 302 and _approvals(site) == 1
    entry = Entry.objects.get(project=site, kind="statement_approved")
    assert entry.payload["by"] == "zhengshiyi" and entry.payload["total"] == "5000.00"
    assert entry.payload["lines"] == [{"key": "o-sign/signing", "amount": "5000.00"}]
    append_fact(
        project=site,
        data={"kind": "deal_refunded", "phone": PHONE, "deal": "o-sign", "by": "zhaoliu", "reason": "贷款未批"},
    )
    last = finance.get(at_site("statements/one/"), {"payee": "zhangsan", "month": _last()}).content.decode()
    assert "已审批" in last and "郑十一" in last and '<th id="statement-total">¥5,000.00</th>' in last
    assert 'id="approve-form"' not in last
    now = finance.get(at_site("statements/one/"), {"payee": "zhangsan"}).content.decode()
    assert '<th id="statement-total">-¥5,000.00</th>' in now and "已退房,收回已结佣金" in now


def test_a_stale_or_repeated_approval_is_refused_and_writes_nothing(site: Project) -> None:
    finance = client_for("zhengshiyi")
    stale = finance.post(at_site("statements/approve/"), {"payee": "zhangsan", "month": _last(), "total": "4000"})
    assert stale.status_code == 422 and "合计: 结算单已变化" in stale.content.decode()
    assert _approvals(site) == 0
    for bad, words in (({"payee": "nobody"}, "结佣对象"), ({"month": "2026-13"}, "月份"), ({"total": "x"}, "合计")):
        data = {"payee": "zhangsan", "month": _last(), "total": "5000.00", **bad}
        refused = finance.post(at_site("statements/approve/"), data)
        assert refused.status_code == 422 and words in refused.content.decode(), bad
    assert _approvals(site) == 0
    finance.post(at_site("statements/approve/"), {"payee": "zhangsan", "month": _last(), "total": "5000.00"})
    again = finance.post(at_site("statements/approve/"), {"payee": "zhangsan", "month": _last(), "total": "5000.00"})
    assert again.status_code == 422 and "已审批" in again.content.decode() and _approvals(site) == 1
    # a manager may read but not approve
    assert client_for("zhaoliu").post(at_site("statements/approve/"), {"payee": "zhangsan"}).status_code == 403


def test_marketing_records_a_rate_and_bad_input_is_refused_naming_the_field(site: Project) -> None:
    """佣金标准: a shop rate from a day; a percent that is no number, a contract without its
    channel and an end before the start each refused with the field's name, nothing written."""
    marketing = client_for("qianjiu")
    before = Entry.objects.filter(project=site, kind="commission_rate").count()
    for bad, label in (
        ({"percent": "abc"}, "佣金比例(%)"),
        ({"percent": "30"}, "佣金比例(%)"),
        ({"payee": "channel"}, "渠道"),
        ({"valid_until": "2026-01-01"}, "截止日期"),
        ({"valid_from": "三月"}, "生效日期"),
    ):
        data = {"payee": "consultant", "percent": "0.8", "unit_type": "shop", "valid_from": "2026-02-01", **bad}
        refused = marketing.post(at_site("statements/rates/new/"), data)
        assert refused.status_code == 422 and label in refused.content.decode(), bad
    assert Entry.objects.filter(project=site, kind="commission_rate").count() == before
    ok = marketing.post(
        at_site("statements/rates/new/"),
        {"payee": "consultant", "percent": "0.8", "unit_type": "shop", "valid_from": "2026-02-01"},
    )
    assert ok.status_code == 302
    rate = Entry.objects.filter(project=site, kind="commission_rate").order_by("-seq")[0]
    assert (rate.payload["rate"], rate.payload["unit_type"], rate.payload["by"]) == ("0.008", "shop", "qianjiu")
    listed = marketing.get(at_site("statements/rates/")).content.decode()
    assert "商铺" in listed and "0.8%" in listed and "钱九" in listed


def test_the_exports_have_chinese_headers_and_the_statements_figures(site: Project) -> None:
    finance = client_for("zhengshiyi")
    one = finance.get(at_site("statements/export/"), {"payee": "zhangsan", "month": _last()})
    assert one.status_code == 200
    sheet = load_workbook(BytesIO(one.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["时间", "类别", "成交"] and rows[1][2] == "o-sign" and rows[1][8] == 5000
    overview = finance.get(at_site("statements/export/"), {"month": _last()})
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(overview.content)).active.iter_rows()]
    assert rows[0][0] == "结佣对象" and rows[1][0] == "张三" and rows[1][4] == 5000
    bad = finance.get(at_site("statements/export/"), {"month": "x"})
    assert bad.status_code == 422 and "月份" in bad.content.decode()


def test_a_consultant_reads_his_own_statement_and_no_one_elses(site: Project) -> None:
    """我的结佣: 张三 sees his ¥5,000.00 line with its rule, read only (no approval, no export);
    李四's own statement holds none of 张三's lines; neither reaches finance's screens."""
    zhangsan = client_for("zhangsan")
    page = zhangsan.get(at_site("statements/mine/"), {"month": _last()})
    body = page.content.decode()
    assert page.status_code == 200
    assert '<th id="statement-total">¥5,000.00</th>' in body and "S8.1" in body and "3-1502" in body
    assert 'id="approve-form"' not in body and 'id="statement-export"' not in body
    assert zhangsan.get(at_site("statements/one/"), {"payee": "zhangsan", "month": _last()}).status_code == 403
    user("lisi", "consultant", "李四", project=site)
    other = client_for("lisi").get(at_site("statements/mine/"), {"month": _last()}).content.decode()
    assert '<th id="statement-total">¥0.00</th>' in other and "3-1502" not in other
    bad = zhangsan.get(at_site("statements/mine/"), {"month": "2026-13"})
    assert bad.status_code == 422 and "月份" in bad.content.decode()
    assert "我的结佣" in zhangsan.get(at_site("")).content.decode()  # in his menu
