"""The guishu command: readable and JSON verdicts, comparisons, policy checks, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guishu.cli.main import main
from guishu.core.events import dump_fact
from tests.builders import PHONE_A, PHONE_B, Record

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "guishu" / "examples"


def write_record(tmp_path: Path, record: Record) -> Path:
    path = tmp_path / "record.jsonl"
    path.write_text("\n".join(json.dumps(dump_fact(f), ensure_ascii=False) for f in record.facts) + "\n")
    return path


def small_record() -> Record:
    r = Record()
    r.call("zhangsan", PHONE_A, "王建国")
    r.later(days=1).visit("lisi", PHONE_A, "王建国")
    r.later(hours=1).visit("zhouqi", PHONE_B, "李梅", gender="F")
    return r


def test_attribute_prints_a_chinese_table_with_masked_phones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """S8.6: a call and a visit have equal force: the table shows 张三 owning the caller, phones masked."""
    # given
    path = write_record(tmp_path, small_record())
    # when
    code = main(["attribute", "--policy", "s8", str(path)])
    out = capsys.readouterr().out
    # then
    assert code == 0
    assert "138****0001" in out and "13800000001" not in out
    row = next(line for line in out.splitlines() if line.startswith("138****0001"))
    assert "张三" in row and "已归属" in row and "S8.1" in row


def test_attribute_json_is_the_documented_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """S1.C6: under s1 the first visit registration outranks the call: the JSON says 李四, with the rule."""
    # given
    path = write_record(tmp_path, small_record())
    # when
    code = main(["attribute", "--policy", "s1", str(path), "--json"])
    data = json.loads(capsys.readouterr().out)
    # then
    assert code == 0
    assert data["schema"] == 1 and data["policy"] == "s1@v1"
    verdict = next(v for v in data["verdicts"] if PHONE_A in v["members"])
    assert verdict["owner"] == {"kind": "consultant", "id": "lisi", "name": "李四"}
    assert verdict["state"] == "owned"
    assert verdict["reasons"][0]["rule"] == "S1.C6"
    assert set(data) == {
        "schema",
        "at",
        "policy",
        "verdicts",
        "invalid",
        "collisions",
        "penalties",
        "splits",
        "reports",
        "chases",
    }


def test_attribute_at_a_moment_ignores_later_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """S1.5: as of the morning after the call, the caller is still 张三's under s1."""
    # given
    path = write_record(tmp_path, small_record())
    # when
    main(["attribute", "--policy", "s1", str(path), "--json", "--at", "2026-03-02T18:00:00+08:00"])
    data = json.loads(capsys.readouterr().out)
    # then
    verdict = next(v for v in data["verdicts"] if PHONE_A in v["members"])
    assert verdict["owner"]["id"] == "zhangsan"
    assert all(PHONE_B not in v["members"] for v in data["verdicts"])


def test_compare_lists_customers_whose_owner_differs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """S1.C6, S8.6: the caller is 李四's under s1 but 张三's under s8; the other customer is the same."""
    # given
    path = write_record(tmp_path, small_record())
    # when
    code = main(["compare", "--policy", "s8", "--policy", "s1", str(path)])
    out = capsys.readouterr().out
    # then
    assert code == 0
    assert "138****0001" in out and "138****0002" not in out
    assert "S1.C6" in out and "S8.1" in out


def test_policy_show_explains_a_preset_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """S8.10: `policy show s8` explains the 3-day pending claim in plain Chinese."""
    assert main(["policy", "show", "s8"]) == 0
    out = capsys.readouterr().out
    assert "[S8.10] 待确认登记: 3日(含)内原顾问认领并核实归原顾问" in out
    assert "[S8.11]" in out and "7日(含)" in out
    # the rule it does not compute is explained in Chinese too, not only in English
    assert "S8.4: 定期跟进是 S8.11 所要求的义务" in out and "Regular follow-up" not in out


def test_policy_check_accepts_a_preset_file(capsys: pytest.CaptureFixture[str]) -> None:
    """core: `policy check` validates a site's TOML file and names the policy."""
    path = Path(__file__).resolve().parents[2] / "src" / "guishu" / "policies" / "s16.toml"
    assert main(["policy", "check", str(path)]) == 0
    assert "OK s16@v1" in capsys.readouterr().out


def test_policy_check_names_an_unknown_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """core: an unknown policy key is named, exit code 2, no traceback."""
    # given
    bad = tmp_path / "site.toml"
    text = (Path(__file__).resolve().parents[2] / "src" / "guishu" / "policies" / "s8.toml").read_text()
    bad.write_text(text.replace("days = 7", "dayz = 7"))
    # when
    code = main(["policy", "check", str(bad)])
    err = capsys.readouterr().err
    # then
    assert code == 2
    assert "protection.dayz" in err and "未知的键" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"kind": "registration", "id": "x", "at": "2026-03-02T10:00:00"}', "at"),
        ('{"kind": "visit", "id": "x", "at": "2026-03-02T10:00:00+08:00"}', "kind"),
        ('{"kind": "follow_up", "id": "x", "at": "2026-03-02T10:00:00+08:00", "phone": "12345"}', "phone"),
        ('{"kind": "follow_up", "id": "x", "at": "2026-03-02T10:00:00+08:00", "colour": "red"}', "colour"),
        ("{not json", "(json)"),
        ("[1, 2]", "(json)"),
    ],
)
def test_malformed_line_is_reported_with_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, field: str
) -> None:
    """core: a malformed record line gives its line number and field, exit code 2, no traceback."""
    # given: two good lines, then the bad one on line 3
    good = [json.dumps(dump_fact(f), ensure_ascii=False) for f in small_record().facts[:2]]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([*good, line]) + "\n")
    # when
    code = main(["attribute", "--policy", "s8", str(path)])
    err = capsys.readouterr().err
    # then
    assert code == 2
    assert "第 3 行" in err and "line 3" in err
    assert f": {field}:" in err
    assert "Traceback" not in err


def test_duplicate_fact_ids_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """core: two facts with one id are refused: history cannot be quietly doubled."""
    line = json.dumps(dump_fact(small_record().facts[0]), ensure_ascii=False)
    path = tmp_path / "dup.jsonl"
    path.write_text(f"{line}\n{line}\n")
    assert main(["attribute", "--policy", "s8", str(path)]) == 2
    assert "重复" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["attribute", "--policy", "s99", "EXAMPLE"],
        ["attribute", "--policy", "s8", "/nonexistent/record.jsonl"],
        ["attribute", "--policy", "s8", "EXAMPLE", "--at", "yesterday"],
        ["compare", "--policy", "s8", "EXAMPLE"],
    ],
)
def test_bad_arguments_exit_2_with_a_message(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """core: an unknown preset, a missing file, a bad --at or one --policy for compare: exit 2, a message."""
    args = [str(EXAMPLES / "s8.jsonl") if a == "EXAMPLE" else a for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err


def test_demo_runs_the_bundled_record(capsys: pytest.CaptureFixture[str]) -> None:
    """S8.8: the demo shows the s8 example, where the old customer's friend is 张三's."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "s8@v1" in out and "S8.8" in out and "比较 / compare" in out


def test_a_record_that_is_not_utf8_names_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """core: a line in another encoding (GBK from an old register export) gives its line, exit 2, no traceback."""
    # given: one good line, then a line written in GBK
    good = json.dumps(dump_fact(small_record().facts[0]), ensure_ascii=False)
    gbk = json.dumps(dump_fact(small_record().facts[1]), ensure_ascii=False).encode("gbk")
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(good.encode() + b"\n" + gbk + b"\n")
    # when
    code = main(["attribute", "--policy", "s8", str(path)])
    err = capsys.readouterr().err
    # then
    assert code == 2
    assert "第 2 行" in err and ": (encoding):" in err and "UTF-8" in err
    assert "Traceback" not in err


def test_a_record_saved_with_a_byte_order_mark_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """core: a record saved by a Windows tool with a UTF-8 byte-order mark reads as without it."""
    # given
    plain = write_record(tmp_path, small_record())
    marked = tmp_path / "bom.jsonl"
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    # when
    assert main(["attribute", "--policy", "s8", "--json", str(plain)]) == 0
    expected = json.loads(capsys.readouterr().out)
    code = main(["attribute", "--policy", "s8", "--json", str(marked)])
    # then
    assert code == 0
    assert json.loads(capsys.readouterr().out) == expected
    assert expected["verdicts"], "the record decides something"


@pytest.mark.parametrize("target", ["missing", "directory"])
def test_a_record_that_cannot_be_read_names_the_file_not_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    """core: a missing file or a directory is a file error, not 'line 0'."""
    path = tmp_path / "nowhere.jsonl" if target == "missing" else tmp_path
    assert main(["attribute", "--policy", "s8", str(path)]) == 2
    err = capsys.readouterr().err
    assert "文件 / file: file:" in err and "line 0" not in err and "第 0 行" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("gbk", "不是 UTF-8 编码"),
        ("directory", "无法读取文件"),
    ],
)
def test_policy_check_of_an_unreadable_file_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    """core: `policy check` on a file in another encoding or a directory: exit 2, a message, no traceback."""
    # given
    if content == "gbk":
        path = tmp_path / "site.toml"
        path.write_bytes('id = "site"\ntitle_zh = "本案场制度"\n'.encode("gbk"))
    else:
        path = tmp_path
    # when
    code = main(["policy", "check", str(path)])
    err = capsys.readouterr().err
    # then
    assert code == 2
    assert expected in err and "Traceback" not in err


def test_policy_check_reads_a_file_with_a_byte_order_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """core: a site's TOML saved with a UTF-8 byte-order mark is checked as without it."""
    text = (Path(__file__).resolve().parents[2] / "src" / "guishu" / "policies" / "s16.toml").read_text()
    path = tmp_path / "site.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert main(["policy", "check", str(path)]) == 0
    assert "OK s16@v1" in capsys.readouterr().out
