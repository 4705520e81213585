"""Reading a record from JSON Lines, with errors that name the line and the field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from guishu import text_files
from guishu.core.events import Fact, FactError, fact_from_dict


class RecordFileError(ValueError):
    """What is wrong, where: a line of the record (numbered from 1), or the file itself (``line=None``)."""

    def __init__(self, line: int | None, field: str, message: str) -> None:
        where = f"第 {line} 行 / line {line}" if line is not None else "文件 / file"
        super().__init__(f"{where}: {field}: {message}")
        self.line = line
        self.field = field
        self.message = message


def iter_record(path: Path) -> Iterator[Fact]:
    """Facts in file order. Blank lines and lines starting with # are skipped.

    A line without an ``id`` gets ``L<line number>``.
    """
    seen: dict[str, int] = {}
    try:
        for n, line in enumerate(text_files.lines(path), start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise RecordFileError(n, "(json)", f"不是合法的 JSON / invalid JSON: {exc.msg}") from None
            if not isinstance(data, dict):
                raise RecordFileError(n, "(json)", "每行应为一个 JSON 对象 / each line must be an object")
            data.setdefault("id", f"L{n}")
            try:
                fact = fact_from_dict(data)
            except FactError as exc:
                raise RecordFileError(n, exc.field, exc.message) from None
            if fact.id in seen:
                raise RecordFileError(n, "id", f"编号 {fact.id} 与第 {seen[fact.id]} 行重复 / duplicate id")
            seen[fact.id] = n
            yield fact
    except text_files.TextFileError as exc:
        raise RecordFileError(exc.line, "file" if exc.line is None else "(encoding)", exc.message) from None


def read_record(path: Path) -> list[Fact]:
    return list(iter_record(path))
