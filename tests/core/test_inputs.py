"""The one check of new input text (issue 13), shared by the API, the forms and the phone page."""

from __future__ import annotations

import pytest

from guishu.core import inputs


@pytest.mark.parametrize(
    ("raw", "full", "report"),
    [
        ("13812345678", "+8613812345678", "+8613812345678"),
        ("+86 138-1234-5678", "+8613812345678", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678", "+8613812345678"),  # full-width, as phones type
        ("010-12345678", "+861012345678", "需要手机号码"),  # a Beijing landline: not for reports
        ("+12025550123", "不是中国大陆的号码", "不是中国大陆的号码"),
        ("+85291234567", "不是中国大陆的号码", "不是中国大陆的号码"),  # Hong Kong
        ("١٣٨١٢٣٤٥٦٧٨", "只能有数字", "只能有数字"),  # Arabic-Indic digits
        ("138\x0012345678", "含有控制字符", "含有控制字符"),
        ("138****5678", "被遮挡", "138****5678"),
        ("1381**45678", "被遮挡", "1381**45678"),
        ("1381**", "号码太短", "号码太短"),
        ("12345", "号码太短", "号码太短"),
        ("abc", "只能有数字", "只能有数字"),
        ("138-****-56789", "被遮挡", "138-****-56789"),
        ("13*5678", "被遮挡", "遮挡号码至少需要前3位和后4位"),
        ("1" * 21, "最多20个字", "最多20个字"),
        ("", "必填", "必填"),
        ("😀" * 8, "只能有数字", "只能有数字"),
    ],
)
def test_phones(raw: str, full: str, report: str) -> None:
    for check, expected in ((lambda v: inputs.clean_phone(v), full), (inputs.clean_report_phone, report)):
        if expected.startswith("+") or "*" in expected:
            assert check(raw) == expected
        else:
            with pytest.raises(inputs.InputError) as caught:
                check(raw)
            assert expected in caught.value.zh and caught.value.en


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("王建国", "王建国"),
        ("  李梅 ", "李梅"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("Li Mei", "Li Mei"),
        ("王" * 32, "王" * 32),
        ("王" * 33, "最多32个字"),
        ("王\x00", "含有控制字符"),
        ("\ud800王", "含有无效的字符编码"),  # an unpaired surrogate: what invalid UTF-8 decodes to
        ("王😀", "只能是汉字或字母"),
        ("王1", "只能是汉字或字母"),
        ("·", "至少要有一个汉字或字母"),
        ("-.", "至少要有一个汉字或字母"),
        ("", "必填"),
    ],
)
def test_names(raw: str, expected: str) -> None:
    if expected.startswith(("最多", "含有", "只能", "至少", "必填")):
        with pytest.raises(inputs.InputError) as caught:
            inputs.clean_name(raw)
        assert caught.value.zh == expected or caught.value.zh.startswith(expected)
    else:
        assert inputs.clean_name(raw) == expected


def test_an_optional_name_may_be_empty_and_text_keeps_its_limit() -> None:
    assert inputs.clean_name(" ", required=False) == ""
    assert inputs.clean_text("x" * 200) == "x" * 200
    with pytest.raises(inputs.InputError, match="最多200个字"):
        inputs.clean_text("x" * 201)
    with pytest.raises(inputs.InputError, match="控制字符"):
        inputs.clean_text("line\u2028break")


@pytest.mark.parametrize(("raw", "ok"), [("zhangsan", True), ("li.si-2", True), ("张三", False), ("a b", False)])
def test_staff_ids(raw: str, ok: bool) -> None:
    if ok:
        assert inputs.clean_staff(raw) == raw
    else:
        with pytest.raises(inputs.InputError, match="只能是字母"):
            inputs.clean_staff(raw)


def test_an_error_reads_in_both_languages() -> None:
    error = inputs.InputError("必填", "required")
    assert str(error) == "必填 / required" and (error.zh, error.en) == ("必填", "required")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("三居\u202e室", "含有改变文字方向的控制字符"),  # RIGHT-TO-LEFT OVERRIDE: shows other than it is
        ("\u2066王\u2069", "含有改变文字方向的控制字符"),
        ("意向\ufffd", "含有无效的字符编码"),  # what a decoder leaves where the bytes were not UTF-8
    ],
)
def test_text_that_would_show_other_than_it_is_is_refused(raw: str, expected: str) -> None:
    with pytest.raises(inputs.InputError) as caught:
        inputs.clean_text(raw)
    assert caught.value.zh == expected
    assert inputs.clean_text("三居室, 南向") == "三居室, 南向"
