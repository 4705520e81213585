"""core: a site's text files are read as UTF-8 whatever their line endings, and bad bytes are named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from guishu import text_files

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["unix", "windows", "old-mac"])
@pytest.mark.parametrize("mark", [b"", BOM], ids=["plain", "bom"])
def test_lines_are_read_whatever_the_ending_and_mark(tmp_path: Path, ending: bytes, mark: bytes) -> None:
    """core: \\n, \\r\\n and a lone \\r all end a line; a byte-order mark is dropped; no ending on the last line."""
    path = tmp_path / "record.jsonl"
    path.write_bytes(mark + ending.join(["王建国".encode(), b"", b"# note", b"last"]))
    assert [line.rstrip("\r\n") for line in text_files.lines(path)] == ["王建国", "", "# note", "last"]
    assert text_files.text(path).splitlines() == ["王建国", "", "# note", "last"]


@pytest.mark.parametrize("mark", [b"", BOM], ids=["plain", "bom"])
@pytest.mark.parametrize("read", [lambda p: list(text_files.lines(p)), text_files.text], ids=["lines", "text"])
def test_a_line_in_another_encoding_is_named_with_its_byte(
    tmp_path: Path, mark: bytes, read: Callable[[Path], object]
) -> None:
    """core: the first line that is not UTF-8 and the byte within it (a mark counts) are named."""
    # given: line 3 written in GBK, after three good characters (9 bytes)
    path = tmp_path / "record.jsonl"
    path.write_bytes(mark + b"ok\r\n\xe7\x8e\x8b\r\n" + "王建国".encode() + "李".encode("gbk") + b"\r\nfine\r\n")
    # when
    with pytest.raises(text_files.TextFileError) as info:
        read(path)
    # then
    assert info.value.line == 3
    assert "第 10 个字节" in info.value.message and "byte 10" in info.value.message


def test_a_bad_byte_on_the_first_line_counts_the_mark(tmp_path: Path) -> None:
    """core: on the first line the byte-order mark's three bytes are counted, as an editor shows them."""
    path = tmp_path / "record.jsonl"
    path.write_bytes(BOM + b"a\xff\n")
    with pytest.raises(text_files.TextFileError) as info:
        text_files.text(path)
    assert info.value.line == 1 and "byte 5" in info.value.message


@pytest.mark.parametrize("target", ["missing", "directory"])
def test_a_file_that_cannot_be_read_is_a_file_error(tmp_path: Path, target: str) -> None:
    """core: a missing file or a directory is an error of the file, with no line."""
    path = tmp_path / "nowhere.jsonl" if target == "missing" else tmp_path
    for read in (lambda: list(text_files.lines(path)), lambda: text_files.text(path)):
        with pytest.raises(text_files.TextFileError) as info:
            read()
        assert info.value.line is None and "无法读取文件" in info.value.message
