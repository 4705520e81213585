"""Excel out (issue 16): a text cell a spreadsheet would read as a formula is escaped; numbers
and times stay what they are."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from guishu.sites import excel


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-400", "@SUM(A1)", '=HYPERLINK("http://x")'])
def test_text_that_looks_like_a_formula_is_written_as_text(text: str) -> None:
    body = excel.workbook("t", ["列"], [[text]])
    cell = load_workbook(BytesIO(body)).active["A2"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value == "'" + text


def test_numbers_names_and_times_are_kept() -> None:
    at = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    body = excel.workbook("t", ["时间", "人员", "金额"], [[at, "张三", Decimal("-400")]])
    sheet = load_workbook(BytesIO(body)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["时间", "人员", "金额"]
    assert [c.value for c in sheet[2]] == [at.replace(tzinfo=None), "张三", -400]  # naive, the site's local time
