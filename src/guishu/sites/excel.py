"""Excel out: one sheet with Chinese headers, the cells as the screen shows them.

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` is written with a leading apostrophe
so that no spreadsheet reads it as a formula (CSV/formula injection); numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | Decimal | date | datetime | None


def safe(value: Cell) -> Cell:
    """The value as a cell: text that a spreadsheet would read as a formula is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """An .xlsx of one sheet: the headers in bold, then the rows (times as the site's local
    time, naive: Excel has no time zones)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    head = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=str(safe(h)))
        cell.font = Font(bold=True)
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append([_plain(safe(v)) for v in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def response(body: bytes, name: str) -> HttpResponse:
    """The workbook as a download named ``<name>.xlsx`` (ASCII: site codes and staff ids)."""
    out = HttpResponse(body, content_type=XLSX)
    out["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return out


def _plain(value: Cell) -> Cell:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
