"""What a new fact's text may hold: the one check shared by the API, the desk forms, the visit
forms and the agents' phone page (issue 13).

This is a gate for *new* input only. Replays never pass through it: a record written before a
check was tightened still replays as it was decided (the engine normalises with
``identity.normalise_phone``, which is unchanged).

Every function returns the cleaned value or raises ``InputError`` with the reason in Chinese and
English; the caller names the field (it knows the field's label in the person's language).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import phonenumbers

from guishu.core import identity

NAME_MAX = 32  # a person's name as a register carries it (ReportIn, VisitForm.name)
STAFF_MAX = 64  # a staff id or login (Membership.staff)
TEXT_MAX = 200  # a free note: intent, source, follow-up note, reason
PHONE_MAX = 20  # the longest phone text anyone types, separators included

# Chinese characters (and the middle dot of minority names) or Latin letters; no emoji, digits,
# control characters. The API's name pattern is built from ``NAME_PATTERN``.
NAME_PATTERN = r"^[\u3400-\u4dbf\u4e00-\u9fffA-Za-z·• .'-]{1,32}$"
_NAME = re.compile(NAME_PATTERN)
LETTERS = r"\u3400-\u4dbf\u4e00-\u9fffA-Za-z"  # a name's letters: Chinese characters, Latin letters
_LETTER = re.compile(f"[{LETTERS}]")
# what a phone field may contain before parsing: ASCII or full-width digits, +, separators, stars
_PHONE_CHARS = re.compile(r"[0-9０-９+＋*xX×＊ ()（）.·-]+")
_ASCII_DIGITS = re.compile(r"\+?[0-9]+", re.ASCII)


class InputError(ValueError):
    """Why a value was refused, in both languages, without the field's name."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh = zh
        self.en = en

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


# Characters that change how the text around them is shown: bidirectional overrides and
# isolates (a name that reads differently than it is stored), and U+FFFD, which a decoder puts
# where the bytes were not UTF-8.
_HIDDEN = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufffd")


def clean_text(raw: str | None, *, max_length: int = TEXT_MAX, required: bool = False) -> str:
    """Trimmed text without control characters (NUL included), unpaired surrogates, direction
    overrides or the replacement character."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise InputError("必填", "required")
        return ""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs":
            raise InputError("含有无效的字符编码", "contains invalid characters (not UTF-8)")
        if category == "Cc" or char in "\u2028\u2029":
            raise InputError("含有控制字符", "contains control characters")
        if char in _HIDDEN:
            if char == "\ufffd":
                raise InputError("含有无效的字符编码", "contains invalid characters (not UTF-8)")
            raise InputError("含有改变文字方向的控制字符", "contains text-direction control characters")
    if len(text) > max_length:
        raise InputError(f"最多{max_length}个字", f"at most {max_length} characters")
    return text


def clean_name(raw: str | None, *, required: bool = True) -> str:
    """A person's name: Chinese characters or Latin letters, at most 32."""
    text = clean_text(raw, max_length=NAME_MAX, required=required)
    if text and not _NAME.fullmatch(text):
        raise InputError("只能是汉字或字母", "only Chinese characters or letters")
    if text and not _LETTER.search(text):  # "·", "-" or "." alone is no name
        raise InputError("至少要有一个汉字或字母", "needs at least one Chinese character or letter")
    return text


def clean_staff(raw: str | None, *, required: bool = True) -> str:
    """A staff id as the record and the logins carry it."""
    text = clean_text(raw, max_length=STAFF_MAX, required=required)
    if text and not re.fullmatch(r"[A-Za-z0-9_.@+-]+", text, re.ASCII):
        raise InputError("只能是字母、数字或 _.@+-", "only letters, digits or _.@+-")
    return text


def _phone_text(raw: str | None) -> str:
    text = clean_text(raw, max_length=PHONE_MAX, required=True)
    if not _PHONE_CHARS.fullmatch(text):
        raise InputError("只能有数字(可用*遮挡)", "only digits (stars for hidden ones)")
    if len(text) < 7:
        raise InputError("号码太短", "too short for a phone number")
    return text


def clean_phone(raw: str | None, *, mobile_only: bool = False) -> str:
    """A full Chinese phone in E.164 (+8613812345678): a mobile, or a landline unless
    ``mobile_only``. Foreign numbers and digits of other scripts are refused."""
    text = _phone_text(raw)
    try:
        phone = identity.normalise_phone(text)
    except identity.PhoneError as exc:
        zh, _sep, en = str(exc).partition(" / ")
        raise InputError(zh.split(":")[0], en) from exc
    if not _ASCII_DIGITS.fullmatch(phone) or not phone.startswith("+86"):
        raise InputError("不是中国大陆的号码", "not a mainland China number")
    parsed = phonenumbers.parse(phone, None)
    if phonenumbers.region_code_for_number(parsed) != "CN":
        raise InputError("不是中国大陆的号码", "not a mainland China number")
    if mobile_only and phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InputError("需要手机号码", "a mobile number is needed")
    return phone


def clean_report_phone(raw: str | None) -> str:
    """What an agent may report (S6.1): a full CN mobile (returned as E.164) or a masked one
    (returned as typed, checked by ``identity.parse_masked_phone``)."""
    text = _phone_text(raw)
    if identity.is_masked(text):
        try:
            identity.parse_masked_phone(text)
        except identity.PhoneError as exc:
            zh, _sep, en = str(exc).partition(" / ")
            raise InputError(zh.split(":")[0], en) from exc
        return text
    return clean_phone(text, mobile_only=True)


UNIT_MAX = 64  # a unit as a contract names it: 3栋1单元1201
MONEY_MAX = Decimal("9999999999.99")  # the record's Money: 12 digits, 2 after the point
_MONEY = re.compile(r"\d{1,10}(\.\d{1,2})?", re.ASCII)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def clean_money(raw: str | None, *, required: bool = False) -> Decimal | None:
    """An amount in yuan, at most two decimals: 1380000 or 20000.50 (commas allowed)."""
    text = clean_text(raw, max_length=20, required=required).replace(",", "").replace("，", "")
    if not text:
        return None
    if not _MONEY.fullmatch(text):
        raise InputError("应为金额(元),最多两位小数", "an amount in yuan, at most two decimals")
    return Decimal(text)


def clean_id_number(raw: str | None, *, required: bool = False) -> str:
    """A resident ID (居民身份证号码, GB 11643): 18 characters whose last is its check digit."""
    text = clean_text(raw, max_length=20, required=required).upper().replace(" ", "")
    if not text:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", text, re.ASCII):
        raise InputError("应为18位身份证号码", "an 18-character resident ID number")
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != text[-1]:
        raise InputError("校验位不对,请核对", "its check digit does not match: please check it")
    return text
