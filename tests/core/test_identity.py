"""Identity: phones (full and masked), names, family groups, companies."""

from __future__ import annotations

import pytest

from guishu.core.identity import (
    MaskedPhone,
    PhoneError,
    company_is_identified,
    joins_group,
    mask_phone,
    match_mask,
    match_names,
    name_pinyin,
    normalise_company,
    normalise_phone,
    parse_masked_phone,
    split_surname,
    surnames_read,
)
from guishu.policies import load_preset

# ---------------------------------------------------------------------------
# normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "+8613812345678"),
        ("+8613812345678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("0086 13812345678", "+8613812345678"),
        ("0086-138-1234-5678", "+8613812345678"),
        ("86 13812345678", "+8613812345678"),
        ("138-1234-5678", "+8613812345678"),
        ("  138 1234 5678  ", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678"),  # full-width digits
        ("＋８６ １３８－１２３４－５６７８", "+8613812345678"),  # full-width plus and dash
        ("19912345678", "+8619912345678"),
    ],
)
def test_normalise_phone_mobiles(raw: str, expected: str) -> None:
    """core: phone normalisation accepts CN mobiles with +86, 0086, 86, spaces, dashes and
    full-width digits, and returns E.164."""
    # given a mobile written the way consultants and agents type it
    # when it is normalised
    result = normalise_phone(raw)
    # then it is the E.164 form
    assert result == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-62345678", "+861062345678"),  # Beijing, 8-digit subscriber
        ("(010)62345678", "+861062345678"),
        ("+86 10 6234 5678", "+861062345678"),
        ("021 6123 4567", "+862161234567"),  # Shanghai
        ("02161234567", "+862161234567"),
        ("0755-86013388", "+8675586013388"),  # Shenzhen
        ("０７５５－８６０１３３８８", "+8675586013388"),
    ],
)
def test_normalise_phone_landlines(raw: str, expected: str) -> None:
    """S4.3: the customer's own phone may be a mobile or a landline; landlines normalise to
    E.164 without the trunk 0."""
    # given a landline with area code
    # when it is normalised
    result = normalise_phone(raw)
    # then the trunk prefix 0 is dropped and +86 added
    assert result == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "12345",
        "1381234567",  # 10 digits: one missing
        "138123456789",  # 12 digits
        "23812345678",  # 11 digits but not a mobile prefix
        "12812345678",  # 12x is not a mobile prefix
        "13812345678a",
        "138****5678",  # a masked phone is not a full phone
        "0571-8888888",  # Hangzhou landlines have 8 digits
    ],
)
def test_normalise_phone_rejects_invalid(raw: str) -> None:
    """S4.3: a wrong number that cannot reach the customer does not count: PhoneError."""
    # given something that is not a reachable CN number
    # when / then normalising raises PhoneError (a ValueError)
    with pytest.raises(PhoneError):
        normalise_phone(raw)


def test_phone_error_message_is_bilingual() -> None:
    """core: a PhoneError explains itself in Chinese and English."""
    # given an invalid number
    # when it is normalised
    with pytest.raises(PhoneError) as info:
        normalise_phone("12345")
    # then the message has both languages
    message = str(info.value)
    assert "电话" in message
    assert "phone" in message


# ---------------------------------------------------------------------------
# mask_phone / parse_masked_phone


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("+8613812345678", "138****5678"),
        ("+8619900001111", "199****1111"),
    ],
)
def test_mask_phone_shows_first_three_and_last_four(phone: str, shown: str) -> None:
    """core: mask_phone hides the middle four digits of a mobile (138****5678)."""
    # given a full mobile
    # when masked for display
    result = mask_phone(phone)
    # then only the first 3 and last 4 digits remain
    assert result == shown
    assert result.count("*") == 4


def test_mask_phone_never_shows_the_full_landline() -> None:
    """core: mask_phone hides digits of a landline too."""
    # given a Beijing landline
    phone = "+861062345678"
    # when masked
    result = mask_phone(phone)
    # then some digits are hidden and the ends are kept
    assert "*" in result
    assert result.startswith("106")
    assert result.endswith("5678")
    assert "1062345678" not in result


@pytest.mark.parametrize(
    ("raw", "head", "tail", "form"),
    [
        ("138****5678", "138", "5678", "first3_last4"),
        ("1381**45678", "1381", "45678", "first4_last5"),  # S6.1's form
        ("1381***45678", "1381", "45678", "first4_last5"),  # an agent's extra star
        ("1381*****45678", "1381", "45678", "first4_last5"),
        ("138xxxx5678", "138", "5678", "first3_last4"),
        ("138XXXX5678", "138", "5678", "first3_last4"),
        ("1381xx45678", "1381", "45678", "first4_last5"),
        ("138 **** 5678", "138", "5678", "first3_last4"),
        ("+86 1381**45678", "1381", "45678", "first4_last5"),
        ("１３８１＊＊４５６７８", "1381", "45678", "first4_last5"),  # full-width
    ],
)
def test_parse_masked_phone_forms(raw: str, head: str, tail: str, form: str) -> None:
    """S6.1: a report shows the first 4 and last 5 digits (1381**45678); other masks, extra
    stars and 'x' masks are read by their visible head and tail."""
    # given a masked phone as an agent sends it
    # when parsed
    mask = parse_masked_phone(raw)
    # then the visible digits and the form are recovered
    assert (mask.head, mask.tail) == (head, tail)
    assert mask.form() == form
    assert mask.hidden == 11 - len(head) - len(tail)
    assert mask.text == raw


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",  # nothing hidden
        "13****5678",  # only 2 head digits
        "138****678",  # only 3 tail digits
        "****5678",
        "138****",
        "abc****5678",
        "238****5678",  # not a mobile
        "1381234**5678",  # 11 visible digits: nothing really hidden
        "138**56**78",  # two hidden runs
        "",
    ],
)
def test_parse_masked_phone_rejects_bad_masks(raw: str) -> None:
    """S6.1: a masked phone must show at least the head and tail of a CN mobile; bad masks
    raise PhoneError."""
    # given a malformed mask
    # when / then parsing raises
    with pytest.raises(PhoneError):
        parse_masked_phone(raw)


@pytest.mark.parametrize(
    ("raw", "phone", "fits"),
    [
        ("1381**45678", "+8613812345678", True),
        ("1381**45678", "+8613819945678", True),
        ("1381**45678", "+8613822345678", False),  # head differs
        ("1381**45678", "+8613812345679", False),  # tail differs
        ("138****5678", "+8613899995678", True),
        ("138****5678", "+861012345678", False),  # a landline never fits a mobile mask
    ],
)
def test_masked_phone_fits(raw: str, phone: str, fits: bool) -> None:
    """S6.1: a masked report matches a full phone only on its visible head and tail."""
    # given a mask and a full phone
    mask = parse_masked_phone(raw)
    # when / then
    assert mask.fits(phone) is fits


def test_mask_of_a_phone_parses_back_and_fits_it() -> None:
    """core: the display mask of a mobile is itself a valid mask that fits the phone."""
    # given a full phone
    phone = "+8613812345678"
    # when masked and parsed again
    mask = parse_masked_phone(mask_phone(phone))
    # then it fits the original phone
    assert isinstance(mask, MaskedPhone)
    assert mask.fits(phone)


# ---------------------------------------------------------------------------
# match_mask

KNOWN = ("+8613812345678", "+8613899995678", "+8613912345678", "+861062345678")


@pytest.mark.parametrize(
    ("raw", "status", "phones"),
    [
        ("1371**45678", "none", ()),
        ("1381**45678", "unique", ("+8613812345678",)),
        ("139****5678", "unique", ("+8613912345678",)),
        ("138****5678", "ambiguous", ("+8613812345678", "+8613899995678")),
    ],
)
def test_match_mask_none_unique_ambiguous(raw: str, status: str, phones: tuple[str, ...]) -> None:
    """S6.1: a masked report matches none, exactly one, or several known customers; a mask
    fitting two customers is ambiguous and is never guessed."""
    # given known customers, two of whom share 138 and 5678
    mask = parse_masked_phone(raw)
    # when the mask is matched against them
    result = match_mask(mask, KNOWN)
    # then the status and the fitting phones are reported
    assert result.status == status
    assert result.phones == phones
    assert result.reason_zh
    assert result.reason_en


def test_match_mask_ambiguity_does_not_depend_on_order() -> None:
    """S6.1: ambiguity is reported with both phones whatever the order of the known list."""
    # given the same known customers in two orders
    mask = parse_masked_phone("138****5678")
    # when matched
    forward = match_mask(mask, KNOWN)
    backward = match_mask(mask, tuple(reversed(KNOWN)))
    # then both answers are the same
    assert forward == backward
    assert forward.status == "ambiguous"
    assert len(forward.phones) == 2


# ---------------------------------------------------------------------------
# Names


@pytest.mark.parametrize(
    ("name", "pinyin"),
    [
        ("曾国藩", "zeng guo fan"),
        ("单田芳", "shan tian fang"),
        ("解缙", "xie jin"),
        ("仇英", "qiu ying"),
        ("朴树", "piao shu"),
        ("区志强", "ou zhi qiang"),
        ("查良镛", "zha liang yong"),
        ("翟志刚", "zhai zhi gang"),
        ("覃海", "qin hai"),
        ("缪可", "miao ke"),
        ("盖聂", "ge nie"),
        ("张伟", "zhang wei"),
        ("王建国", "wang jian guo"),
    ],
)
def test_name_pinyin_uses_surname_readings(name: str, pinyin: str) -> None:
    """core: name_pinyin reads surnames with their surname readings (曾 zeng, 单 shan, 解 xie,
    仇 qiu, 朴 piao, 区 ou, 查 zha ...)."""
    # given a name whose surname has a special reading
    # when its pinyin key is computed
    # then the surname reading is used
    assert name_pinyin(name) == pinyin


@pytest.mark.parametrize(
    ("name", "surname", "given"),
    [
        ("欧阳修", "欧阳", "修"),
        ("司马光", "司马", "光"),
        ("诸葛亮", "诸葛", "亮"),
        ("王建国", "王", "建国"),
        ("王先生", "王", ""),
        ("李女士", "李", ""),
        ("欧阳先生", "欧阳", ""),
    ],
)
def test_split_surname_compound_and_honorific(name: str, surname: str, given: str) -> None:
    """core: compound surnames (欧阳, 司马) are one surname; honorifics (先生, 女士) are dropped."""
    # given a written name
    # when split
    # then surname and given name are separated correctly
    assert split_surname(name) == (surname, given)


@pytest.mark.parametrize(
    ("typed", "surnames"),
    [
        ("wang", ("王", "汪")),
        ("Zeng", ("曾",)),  # 曾 reads zeng as a surname, never ceng
        ("ceng", ()),
        ("shan", ("单",)),
        ("xie", ("谢", "解")),
        ("ouyang", ("欧阳",)),
        ("wjg", ()),
    ],
)
def test_surnames_read_from_pinyin_alone(typed: str, surnames: tuple[str, ...]) -> None:
    """core: a lone syllable staff type is a surname, read with the surname readings (曾 zeng,
    单 shan, 解 xie) and the compound surnames (ouyang 欧阳); initials read as none."""
    assert surnames_read(typed) == surnames


@pytest.mark.parametrize(
    ("name", "pinyin"),
    [
        ("欧阳修", "ou yang xiu"),
        ("司马光", "si ma guang"),
        ("王先生", "wang"),
    ],
)
def test_name_pinyin_compound_surnames(name: str, pinyin: str) -> None:
    """core: compound surnames keep both syllables; a surname with an honorific reads as the
    surname alone."""
    # given a compound-surname name or surname + honorific
    # when / then
    assert name_pinyin(name) == pinyin


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("张伟", "张伟", "exact"),
        (" 张 伟 ", "张伟", "exact"),
        ("张伟先生", "张伟", "exact"),
        ("张伟", "章伟", "homophone"),  # zhang wei
        ("曾红", "增红", "homophone"),  # 曾 as a surname reads zeng
        ("张伟", "张强", "surname"),
        ("王先生", "王建国", "surname"),
        ("王先生", "王女士", "surname"),  # surname alone is never the same person
        ("张伟", "李伟", "none"),
        ("欧阳明", "欧明", "none"),  # 欧阳 is not 欧
    ],
)
def test_match_names(a: str, b: str, kind: str) -> None:
    """core: names match exactly, by sound (张伟 / 章伟), by surname only, or not at all;
    honorifics like 王先生 are read as the surname."""
    # given two written names
    # when compared
    result = match_names(a, b)
    # then the kind of match is right and only exact/homophone count as the same name
    assert result.kind == kind
    assert result.same is (kind in ("exact", "homophone"))
    assert result.reason_zh
    assert result.reason_en


def test_match_names_is_symmetric() -> None:
    """core: comparing a with b gives the same kind as b with a."""
    # given several pairs
    pairs = [("张伟", "章伟"), ("王先生", "王建国"), ("欧阳明", "欧明"), ("曾红", "增红")]
    # when / then
    for a, b in pairs:
        assert match_names(a, b).kind == match_names(b, a).kind


# ---------------------------------------------------------------------------
# Families


@pytest.mark.parametrize(
    ("preset", "relation", "joins"),
    [
        # S8.3: parents, children, brothers and sisters; spouses are not named
        ("s8", "parent", True),
        ("s8", "child", True),
        ("s8", "sibling", True),
        ("s8", "spouse", False),
        ("s8", "friend", False),
        # S14.3f: spouse, children, parents, siblings
        ("s14", "spouse", True),
        ("s14", "parent", True),
        ("s14", "child", True),
        ("s14", "sibling", True),
        ("s14", "colleague", False),
        # S18.11: a couple, or parent and child; siblings are not one confirmation
        ("s18", "spouse", True),
        ("s18", "parent", True),
        ("s18", "child", True),
        ("s18", "sibling", False),
        ("s18", "other", False),
    ],
)
def test_joins_group_per_policy(preset: str, relation: str, joins: bool) -> None:
    """S8.3, S14.3f, S18.11: which relatives make one customer group depends on the policy's
    relation list."""
    # given the relation list of the preset
    relations = load_preset(preset).group.relations
    # when asking whether the relation joins two customers
    # then it follows the rule of that policy
    assert joins_group(relation, relations) is joins


@pytest.mark.parametrize("relation", ["spouse", "parent", "child", "sibling", "friend"])
def test_joins_group_empty_list_joins_nothing(relation: str) -> None:
    """core: a policy with no group relations never merges customers."""
    # given no relations / when / then
    assert joins_group(relation, ()) is False


# ---------------------------------------------------------------------------
# Companies


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("深圳市某某科技有限公司", "深圳市某某科技"),
        ("深圳市某某科技股份有限公司", "深圳市某某科技"),
        ("深圳市某某科技有限责任公司", "深圳市某某科技"),
        ("某某集团有限公司", "某某"),
        ("某某（集团）有限公司", "某某"),
        ("某某(集团)有限公司", "某某有限公司"),
        (" 深圳市 某某科技 ", "深圳市某某科技"),
    ],
)
def test_normalise_company_same_buyer(a: str, b: str) -> None:
    """S18.11: the same company written with or without its legal suffix is one buyer."""
    # given two spellings of one company
    # when / then they normalise to the same key
    assert normalise_company(a) == normalise_company(b)


def test_normalise_company_keeps_different_companies_apart() -> None:
    """S18.11: two different companies never normalise to the same key."""
    # given two companies with different names
    # when / then
    assert normalise_company("深圳市甲科技有限公司") != normalise_company("深圳市乙科技有限公司")


@pytest.mark.parametrize(
    ("company", "contact", "identified"),
    [
        ("深圳市某某科技有限公司", "李经理", True),
        ("深圳市某某科技有限公司", None, False),
        ("深圳市某某科技有限公司", "  ", False),
        (None, "法人代表张三", False),  # a legal representative's name alone is not enough
        ("", "李经理", False),
        ("   ", "李经理", False),
        (None, None, False),
    ],
)
def test_company_is_identified(company: str | None, contact: str | None, identified: bool) -> None:
    """S18.11: a company purchase needs the company name and a contact person."""
    # given a company name and contact person (either may be missing)
    # when / then
    assert company_is_identified(company, contact) is identified
