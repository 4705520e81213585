"""Reading a site's text files (records, policies): UTF-8, with or without a byte-order mark.

A file that cannot be read, or is not UTF-8 (a register exported as GBK, say), is a
``TextFileError`` that names the line and the byte within it, never a traceback.
Line endings are read as Python reads text: ``\\n``, ``\\r\\n`` or a lone ``\\r``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


class TextFileError(ValueError):
    """What is wrong with a file, and on which line (None: the file as a whole)."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def lines(path: Path) -> Iterator[str]:
    """The file's lines, decoded, the byte-order mark dropped."""
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        raise _unreadable(exc) from None
    with handle:
        try:
            yield from handle
        except UnicodeDecodeError:
            raise _not_utf8(path.read_bytes()) from None
        except OSError as exc:
            raise _unreadable(exc) from None


def text(path: Path) -> str:
    """The whole file, decoded, the byte-order mark dropped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(data) from None


def _unreadable(exc: OSError) -> TextFileError:
    return TextFileError(None, f"无法读取文件 / cannot read: {exc.strerror}")


def _not_utf8(data: bytes) -> TextFileError:
    """The first line that is not UTF-8, and the byte within it (counted from 1, a mark included)."""
    for n, raw in enumerate(data.splitlines(), start=1):  # \n, \r\n and \r, as text mode reads them
        try:
            raw.decode("utf-8")  # a byte-order mark decodes too: the count below includes it
        except UnicodeDecodeError as exc:
            byte = exc.start + 1
            return TextFileError(n, f"不是 UTF-8 编码,本行第 {byte} 个字节有误 / not UTF-8 text at byte {byte}")
    return TextFileError(None, "不是 UTF-8 编码 / not UTF-8 text")  # not reached: a bad sequence lies within a line
