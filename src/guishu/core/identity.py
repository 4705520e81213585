"""Is this the same customer?  Phones (full and masked), names, families, companies.

Every match carries a plain reason in Chinese and English, because the front desk
must be able to say *why* two registrations were judged to be one customer.
Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import phonenumbers
from pypinyin import Style, lazy_pinyin

# ---------------------------------------------------------------------------
# Phones


class PhoneError(ValueError):
    """A phone number that cannot be a reachable Chinese number (S4.3: 号码有误不计入)."""


_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-()（）.·]")


def _ascii(text: str) -> str:
    # Full-width digits and symbols (１３８－…) become ASCII; agents type on phones.
    return unicodedata.normalize("NFKC", text).strip()


def normalise_phone(raw: str) -> str:
    """Return the E.164 form (+8613812345678) of a CN mobile or landline.

    Accepts +86 / 0086 / 86 prefixes, spaces, dashes, brackets and full-width digits.
    Raises PhoneError with a Chinese-and-English message otherwise.
    """
    text = _SEPARATORS.sub("", _ascii(raw))
    if not text:
        raise PhoneError("电话号码为空 / phone is empty")
    if "*" in text or "x" in text.lower() or "×" in text:
        raise PhoneError(f"电话号码被遮挡,不是完整号码: {raw} / masked phone where a full one is needed")
    if text.startswith("0086"):
        text = "+86" + text[4:]
    elif text.startswith("86") and len(text) == 13 and _MOBILE.fullmatch(text[2:]):
        text = "+86" + text[2:]
    if _MOBILE.fullmatch(text):  # fast path: the common case needs no library call
        return "+86" + text
    if text.startswith("+86") and _MOBILE.fullmatch(text[3:]):
        return text
    if not re.fullmatch(r"\+?\d{5,16}", text):
        raise PhoneError(f"电话号码含非法字符: {raw} / phone has invalid characters")
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(f"无法识别的电话号码: {raw} / unrecognised phone") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneError(f"无效的电话号码: {raw} / not a valid phone number")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def national_digits(phone: str) -> str:
    """The digits a person reads: 13812345678 for +8613812345678."""
    return phone[3:] if phone.startswith("+86") else phone.lstrip("+")


def mask_phone(phone: str) -> str:
    """Display form for people who may not see the full number: 138****5678."""
    digits = national_digits(phone)
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str) -> str:
    """A resident ID as shown to anyone: its first three and last four (110***********4258)."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


@dataclass(frozen=True, slots=True)
class MaskedPhone:
    """A phone with hidden middle digits, as channel agents send it.

    Forms seen on sites: 138****5678 (first 3 / last 4), 1381**45678 (first 4 /
    last 5, S6.1), 1381***45678 when the agent types too many stars. Only the
    visible head and tail are trusted; the hidden count is inferred from the
    length of a mobile number (11 digits).
    """

    head: str
    tail: str
    text: str

    @property
    def hidden(self) -> int:
        return 11 - len(self.head) - len(self.tail)

    def fits(self, phone: str) -> bool:
        digits = national_digits(phone)
        return len(digits) == 11 and digits.startswith(self.head) and digits.endswith(self.tail)

    def form(self) -> str:
        """'first4_last5', 'first3_last4' ... used by policies to accept or refuse a form."""
        return f"first{len(self.head)}_last{len(self.tail)}"


_MASK = re.compile(r"(\d*)([*xX×＊]+)(\d*)")


def parse_masked_phone(raw: str) -> MaskedPhone:
    """Parse an agent's masked phone. Raises PhoneError naming what is wrong."""
    text = _SEPARATORS.sub("", _ascii(raw))
    if text.startswith("+86"):
        text = text[3:]
    match = _MASK.fullmatch(text)
    if match is None:
        raise PhoneError(f"遮挡号码格式不对: {raw} / masked phone must look like 138****5678")
    head, _stars, tail = match.groups()
    if len(head) < 3 or len(tail) < 4:
        raise PhoneError(
            f"遮挡号码至少需要前3位和后4位: {raw} / a masked phone needs at least the first 3 and last 4 digits"
        )
    if len(head) + len(tail) >= 11:
        raise PhoneError(f"遮挡号码位数过多: {raw} / masked phone has too many digits")
    if not _MOBILE.fullmatch(head + "0" * (11 - len(head) - len(tail)) + tail):
        raise PhoneError(f"遮挡号码不是手机号: {raw} / masked phone is not a CN mobile")
    return MaskedPhone(head=head, tail=tail, text=raw)


_MASK_CHAR = re.compile(r"[*xX×＊]")


def is_masked(raw: str) -> bool:
    return _MASK_CHAR.search(raw) is not None


@dataclass(frozen=True, slots=True)
class MaskMatch:
    """The result of matching a mask against the known customers' phones."""

    status: Literal["none", "unique", "ambiguous"]
    phones: tuple[str, ...]
    reason_zh: str
    reason_en: str


def match_mask(mask: MaskedPhone, known: Iterable[str]) -> MaskMatch:
    """Which known phones does the mask fit?  Two or more is ambiguous: never guess."""
    fits = tuple(sorted(p for p in known if mask.fits(p)))
    if not fits:
        return MaskMatch("none", (), f"{mask.text} 不匹配任何已知客户", f"{mask.text} fits no known customer")
    if len(fits) == 1:
        return MaskMatch("unique", fits, f"{mask.text} 仅匹配 {mask_phone(fits[0])}", f"{mask.text} fits one customer")
    return MaskMatch(
        "ambiguous",
        fits,
        f"{mask.text} 同时匹配 {len(fits)} 位客户,无法判定,需人工核实",
        f"{mask.text} fits {len(fits)} customers: ambiguous, a person must check",
    )


# ---------------------------------------------------------------------------
# Names

# pypinyin reads these as ordinary words (曾 ceng, 解 jie ...); as surnames they read differently.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "翟": "zhai",
    "覃": "qin",
    "召": "shao",
    "种": "chong",
    "重": "chong",
    "句": "gou",
    "繁": "po",
    "秘": "bi",
    "宓": "mi",
    "隗": "wei",
    "冼": "xian",
    "阚": "kan",
    "贲": "ben",
    "柏": "bai",
    "黑": "he",
    "員": "yun",
    "尉迟": "yuchi",
    "万俟": "moqi",
    "长孙": "zhangsun",
    "澹台": "tantai",
    "单于": "chanyu",
    "令狐": "linghu",
    "长": "chang",
    "厍": "she",
    "郇": "huan",
    "洗": "xian",
    "燕": "yan",
    "华": "hua",
    "纪": "ji",
    "折": "she",
    "教": "jiao",
    "曲": "qu",
    "应": "ying",
    "粘": "nian",
    "便": "pian",
}

COMPOUND_SURNAMES: frozenset[str] = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "万俟",
        "澹台",
        "单于",
        "呼延",
        "赫连",
        "申屠",
        "太史",
        "闻人",
        "公冶",
        "濮阳",
        "淳于",
    ]
)

_HONORIFIC = re.compile(r"(先生|女士|小姐|太太|老师|总|经理|阿姨|叔叔)$")


@lru_cache(maxsize=65536)
def normalise_name(raw: str) -> str:
    """Trim spaces and full-width forms; keep the characters as written."""
    return re.sub(r"\s+", "", _ascii(raw))


@lru_cache(maxsize=65536)
def split_surname(name: str) -> tuple[str, str]:
    """(surname, given) — compound surnames first; 王先生 gives ('王', '')."""
    name = _HONORIFIC.sub("", normalise_name(name))
    if len(name) >= 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> str:
    """Toneless pinyin key with correct surname readings: 曾国藩 -> 'zeng guo fan'."""
    surname, given = split_surname(name)
    head = SURNAME_READINGS.get(surname)
    if head is None:
        head = " ".join(lazy_pinyin(surname, style=Style.NORMAL))
    tail = " ".join(lazy_pinyin(given, style=Style.NORMAL)) if given else ""
    return (head + " " + tail).strip()


def name_key(name: str) -> str:
    """The name index's key: the initials, then the toneless pinyin (王建国 -> 'wjg|wang jian
    guo'), so that one column answers homophones (the whole key) and initials (its head)."""
    full = name_pinyin(name)
    return (initials_of(full) + "|" + full)[:KEY_MAX]


KEY_MAX = 128  # NameIndex.pinyin: a 32-character name's pinyin may be longer; both sides cut alike


def initials_of(pinyin: str) -> str:
    return "".join(syllable[0] for syllable in pinyin.split() if syllable)


@cache
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable of the common characters (built once, when first asked)."""
    found: set[str] = set()
    for code in range(0x4E00, 0x9FA6):
        found.update(p for p in lazy_pinyin(chr(code), style=Style.NORMAL) if p.isascii() and p.isalpha())
    # a name has no syllable without a vowel (嗯 n, 呣 m, 哼 hng)
    return frozenset(p for p in found if any(v in p for v in "aeiouv"))


def pinyin_readings(typed: str, most: int = 8) -> list[str]:
    """The ways a run of pinyin letters splits into syllables ('wangjianguo' -> ['wang jian
    guo']; 'xian' -> ['xian', 'xi an']), longest syllables first, at most ``most``."""
    text = typed.lower().replace(" ", "").replace("'", "")
    if not text.isascii() or not text.isalpha() or len(text) > 40:
        return []
    known = _syllables()
    out: list[str] = []

    def split(start: int, parts: list[str]) -> None:
        if len(out) >= most:
            return
        if start == len(text):
            out.append(" ".join(parts))
            return
        for end in range(min(len(text), start + 6), start, -1):
            piece = text[start:end]
            if piece in known:
                split(end, [*parts, piece])

    split(0, [])
    return sorted(out, key=lambda reading: reading.count(" "))


# the hundred commonest surnames, the ones staff type as pinyin alone (wang: 王 or 汪)
COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


@cache
def _surnames_by_sound() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for surname in (*COMMON_SURNAMES, *SURNAME_READINGS, *sorted(COMPOUND_SURNAMES)):
        reading = SURNAME_READINGS.get(surname) or "".join(lazy_pinyin(surname, style=Style.NORMAL))
        if surname not in found.setdefault(reading, []):
            found[reading].append(surname)
    return {reading: tuple(names) for reading, names in found.items()}


def surnames_read(typed: str) -> tuple[str, ...]:
    """The surnames a run of pinyin letters reads as, alone: wang -> (王, 汪), zeng -> (曾),
    with the engine's surname readings (shan -> 单, not 善) and the compound ones (ouyang -> 欧阳)."""
    return _surnames_by_sound().get(typed.lower().replace(" ", "").replace("'", ""), ())


def is_surname(text: str) -> bool:
    """A surname alone (王, 欧阳): a front-desk query for every customer of that name."""
    name = normalise_name(text)
    return (len(name) == 1 and "\u4e00" <= name <= "\u9fff") or name in COMPOUND_SURNAMES


@dataclass(frozen=True, slots=True)
class NameMatch:
    kind: Literal["exact", "homophone", "surname", "none"]
    reason_zh: str
    reason_en: str

    @property
    def same(self) -> bool:
        return self.kind in ("exact", "homophone")


def match_names(a: str, b: str) -> NameMatch:
    """Compare two written names: exact, same sound (pinyin), same surname only, or none."""
    na, nb = _HONORIFIC.sub("", normalise_name(a)), _HONORIFIC.sub("", normalise_name(b))
    if na == nb and len(na) > 1:
        return NameMatch("exact", f"姓名相同: {na}", f"same name: {na}")
    sa, ga = split_surname(na)
    sb, gb = split_surname(nb)
    if ga and gb and name_pinyin(na) == name_pinyin(nb):
        return NameMatch(
            "homophone",
            f"姓名同音: {na} / {nb} ({name_pinyin(na)})",
            f"names sound the same: {name_pinyin(na)}",
        )
    if sa and sa == sb:
        return NameMatch("surname", f"仅姓氏相同: {sa}", f"same surname only: {sa}")
    return NameMatch("none", f"姓名不同: {na} / {nb}", f"different names: {na} / {nb}")


# ---------------------------------------------------------------------------
# Families and companies

Relation = Literal["spouse", "parent", "child", "sibling", "friend", "colleague", "other"]
FAMILY_RELATIONS: frozenset[str] = frozenset({"spouse", "parent", "child", "sibling"})

RELATION_ZH: dict[str, str] = {
    "spouse": "配偶",
    "parent": "父母",
    "child": "子女",
    "sibling": "兄弟姐妹",
    "friend": "朋友",
    "colleague": "同事",
    "other": "其他",
}


def joins_group(relation: str, group_relations: Sequence[str]) -> bool:
    """Does this relation make two customers one group under the policy?

    S8.3 counts parents, children and siblings; S14.3f adds spouses; S18.11 counts
    spouses and parent-child only. The policy passes its own list.
    """
    return relation in group_relations


_COMPANY_SUFFIX = re.compile(r"(股份)?(有限)?(责任)?(公司|集团)$|[（(]集团[)）]")


def normalise_company(raw: str) -> str:
    """深圳市某某科技有限公司 and 深圳市某某科技 are the same buyer."""
    name = normalise_name(raw)
    previous = None
    while previous != name:
        previous = name
        name = _COMPANY_SUFFIX.sub("", name)
    return name


def company_is_identified(company: str | None, contact_person: str | None) -> bool:
    """S18.11: a company purchase needs the company name and a contact person."""
    return bool(company and company.strip()) and bool(contact_person and contact_person.strip())
