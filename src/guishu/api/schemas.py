"""The API's request and response shapes (documented in the OpenAPI at /api/v1/openapi.json).

Every text field of a request is checked by ``guishu.core.inputs``, the one check the desk
forms and the phone page use too; a refusal is a pydantic error of type ``input`` carrying the
reason in both languages (``ctx['zh']``, ``ctx['en']``), which the API answers as 422
``invalid`` naming the field.

The OpenAPI patterns describe the canonical forms only, a subset of what the server takes
(it also takes spaces, dashes and full-width digits): every request valid under the schema is
accepted (schemathesis' positive-data check), and what the server refuses is outside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

import phonenumbers
from ninja import Schema
from pydantic import ConfigDict, Field, JsonValue, field_validator
from pydantic_core import PydanticCustomError

from guishu.api.receipts import SEQ_MAX
from guishu.core import inputs


def _cn_mobile_pattern() -> str:
    """The national pattern of a CN mobile as the phone library that ``inputs`` asks knows it,
    with ASCII digits only (JSON Schema's ``\\d`` and Python's differ on other scripts)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    mobile = metadata.mobile if metadata is not None else None
    assert mobile is not None and mobile.national_number_pattern is not None
    return mobile.national_number_pattern.replace(r"\d", "[0-9]")


_MOBILE = _cn_mobile_pattern()
_STARS = "[*xX×＊]+"
# S6.1's masks as identity.parse_masked_phone reads them: a CN mobile's first 3 to 6 digits,
# stars, its last 4 or more, at most 10 digits shown (1381**45678, 138****5678, 1381xx45678)
_MASK = (
    f"1[3-9](?:[0-9]{_STARS}[0-9]{{4,7}}|[0-9]{{2}}{_STARS}[0-9]{{4,6}}"
    f"|[0-9]{{3}}{_STARS}[0-9]{{4,5}}|[0-9]{{4}}{_STARS}[0-9]{{4}})"
)
# the forms the API takes, exactly: ASCII digits, an optional +86, no separators (the desk
# forms and the phone page also take spaces, dashes and full-width digits; a program need not)
FULL_MOBILE_PATTERN = rf"^(?:\+86)?(?:{_MOBILE})$"
REPORT_PHONE_PATTERN = rf"^(?:\+86)?(?:{_MOBILE}|{_MASK})$"
# inputs.NAME_PATTERN's characters with at least one letter among them (the server trims, then
# needs one: "." alone is no name); the length is the schema's maxLength
_NAME_CHARS = inputs.NAME_PATTERN.removeprefix("^[").partition("]")[0]
NAME_SCHEMA_PATTERN = f"^[{_NAME_CHARS}]*[{inputs.LETTERS}][{_NAME_CHARS}]*$"
# what inputs.clean_text refuses: control characters (C0, DEL, C1), line and paragraph
# separators, direction overrides and isolates, U+FFFD (tests/api/test_schema_text.py holds the
# two to the same characters). Not the unpaired surrogates the check refuses too: UTF-8 cannot
# carry one, and in the schema's own regex dialect (ECMA-262, UTF-16 code units) a surrogate range
# would refuse every character beyond the BMP; with it, schemathesis' generator dropped the
# pattern altogether and sent control characters as valid.
TEXT_SCHEMA_PATTERN = (
    "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c\\ufffd]*$"
)
REPORT_ID_PATTERN = r"^[A-Za-z0-9_.#-]+$"
NoteText = Annotated[str, Field(max_length=inputs.TEXT_MAX, json_schema_extra={"pattern": TEXT_SCHEMA_PATTERN})]

NAME_DOC = "客户姓名: 汉字或字母,至多32个 / the customer's name: Chinese characters or Latin letters, at most 32"
REPORT_PHONE_DOC = (
    "客户手机号: 中国大陆手机号,完整 (13812345678, +8613812345678) 或遮挡 (前4后5 1381**45678;"
    " 本案场接受时前3后4 138****5678,其他遮挡格式记为无效报备),只用半角数字,不带空格或短横 /"
    " the customer's mainland China mobile, full or masked (first 4 / last 5; first 3 / last 4 where the"
    " site accepts it; another mask form is recorded and answered invalid), ASCII digits without"
    " spaces or dashes. Foreign numbers, landlines and digits of other scripts are refused."
)
FULL_PHONE_DOC = (
    "客户完整手机号 (中国大陆),只用半角数字 / the customer's full mainland China mobile, ASCII digits"
    " (13812345678 or +8613812345678)"
)


def text_field(
    doc: str, examples: list[str], pattern: str, max_length: int, *, min_length: int = 1, fmt: str = ""
) -> Any:
    """A text field as the OpenAPI document describes it: its lengths are pydantic's, its
    pattern the one its validator checks (``checked``)."""
    extra: dict[str, JsonValue] = {"pattern": pattern}
    if fmt:
        extra["format"] = fmt
    return Field(
        min_length=min_length, max_length=max_length, description=doc, examples=examples, json_schema_extra=extra
    )


def refusal(zh: str, en: str) -> PydanticCustomError:
    return PydanticCustomError("input", "{en}", {"zh": zh, "en": en})


def checked(check: Callable[[str], str], value: str, pattern: str, zh: str, en: str) -> str:
    """Run the ``inputs`` check (its reason is the most precise), then the schema's pattern on
    the text as sent, so that the API takes exactly what its OpenAPI document allows."""
    try:
        cleaned = check(value)
    except inputs.InputError as exc:
        raise refusal(exc.zh, exc.en) from None
    if re.fullmatch(pattern, value) is None:
        raise refusal(zh, en)
    return cleaned


PHONE_FORM = ("请写成 13812345678 或 1381**45678 (半角数字,不带空格)", "write it as 13812345678 or 1381**45678")
NAME_FORM = ("应以汉字或字母开头", "must start with a letter")


class ReportIn(Schema):
    """S6.1: name, gender and the phone, full or masked (1381**45678, 138****5678)."""

    model_config = ConfigDict(extra="forbid")
    name: str = text_field(NAME_DOC, ["李梅"], NAME_SCHEMA_PATTERN, inputs.NAME_MAX)
    gender: Literal["M", "F"] = Field(description="性别: M 男, F 女 / gender: M or F")
    phone: str = text_field(
        REPORT_PHONE_DOC,
        ["1381**45678", "13812345678"],
        REPORT_PHONE_PATTERN,
        inputs.PHONE_MAX,
        fmt="cn-mobile-or-mask",
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return checked(inputs.clean_name, value, NAME_SCHEMA_PATTERN, *NAME_FORM)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return checked(inputs.clean_report_phone, value, REPORT_PHONE_PATTERN, *PHONE_FORM)


HEX32 = "^[0-9a-f]{64}$"  # a SHA-256 digest in lower-case hex
KEY_ID_PATTERN = "^[0-9a-f]{16}$"  # tree_heads.key_id
SIGNATURE_PATTERN = "^[A-Za-z0-9+/]{86}==$"  # an Ed25519 signature (64 bytes), base64
PUBLIC_KEY_PATTERN = "^[A-Za-z0-9+/]{43}=$"  # an Ed25519 public key (32 bytes), base64
Hash = Annotated[str, Field(pattern=HEX32)]


def _stamp(doc: str) -> Any:
    """A time as the signed text holds it (ISO 8601 with its offset), passed through as a string:
    re-serialising it as a datetime could change the bytes a signature covers."""
    return Field(description=doc, json_schema_extra={"format": "date-time"})


class TreeHeadOut(Schema):
    """A signed tree head (签名树头): the site's Merkle root over its first ``size`` entries,
    signed with the deployment's Ed25519 key (docs/security.md)."""

    site: str = Field(description="案场代码 / the site's code")
    size: int = Field(ge=0, description="树中的记录条数 / how many entries the tree holds")
    root: str = Field(pattern=HEX32, description="默克尔树根 (RFC 6962) / the Merkle root, hex")
    at: str = _stamp("签发时间 / when the head was signed")
    key: str = Field(pattern=KEY_ID_PATTERN, description="签名密钥编号 / the signing key's id")
    signature: str = Field(pattern=SIGNATURE_PATTERN, description="Ed25519 签名, base64 / the signature")


class ReceiptDocument(Schema):
    """The receipt as a file (回执文件): what ``guishu verify-receipt`` and the page /verify/
    check. Keep it as it is: a changed character makes it invalid."""

    format: Literal["guishu receipt v1"]
    site: str = Field(description="案场代码 / the site's code")
    seq: int = Field(ge=1, description="记录中的序号 / the entry's position in the record")
    fact_id: str = Field(description="事实编号 (报备的 report) / the fact's id")
    at: str = _stamp("记入时间 (本案场时区) / when the entry was written, in the site's time zone")
    entry_hash: str = Field(pattern=HEX32, description="记录的链式哈希 / the entry's chain hash")
    inclusion: list[Hash] = Field(description="包含证明 (RFC 6962) / the inclusion proof in the tree of tree_head")
    tree_head: TreeHeadOut


class Receipt(Schema):
    """Proof of when the agent reported: the entry's position in the record and its chain hash,
    ``at`` in the site's time zone, and the receipt document with its inclusion proof under the
    latest signed tree head."""

    seq: int
    hash: str
    at: datetime
    proof: ReceiptDocument = Field(
        description="回执文件: 包含证明和签名树头,可离线核验 / the receipt document: inclusion proof and signed head"
    )


class ConsistencyOut(Schema):
    """The latest signed head and the proof that the tree of ``from_size`` entries is its prefix:
    the record still holds every entry a receipt of that size covered."""

    tree_head: TreeHeadOut
    proof: list[Hash] = Field(description="一致性证明 (RFC 6962) / the consistency proof")


class ConsistencyQuery(Schema):
    """GET /tree-heads/consistency: from which tree size (a receipt's tree_head.size)."""

    from_size: int = Field(
        ge=0,
        le=SEQ_MAX,
        description="回执树头的条数 (tree_head.size) / the size of the receipt's tree head",
    )


class SigningKeyOut(Schema):
    site: str = Field(description="案场代码 / the site's code")
    algorithm: Literal["Ed25519"]
    public_key: str = Field(pattern=PUBLIC_KEY_PATTERN, description="公钥, base64 / the public key, base64")
    key_id: str = Field(pattern=KEY_ID_PATTERN, description="密钥编号 (SHA-256 前16位) / the key's id")


class ReportOut(Schema):
    report: str
    status: Literal["accepted", "duplicate", "already_customer", "ambiguous", "invalid"]
    valid_until: datetime | None = Field(description="有效期至 (本案场时区) / valid until, in the site's time zone")
    message_zh: str
    message_en: str
    earlier: str | None = Field(default=None, description="本渠道在先的报备 / your channel's earlier report only")
    receipt: Receipt


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str
    field: str | None = Field(default=None, description="出错的字段 (机器名) / the field at fault, by its key")


class GroupListEntryIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = text_field(NAME_DOC, ["孙丽"], NAME_SCHEMA_PATTERN, inputs.NAME_MAX)
    phone: str = text_field(
        FULL_PHONE_DOC, ["13800000006"], FULL_MOBILE_PATTERN, inputs.PHONE_MAX, min_length=11, fmt="cn-mobile"
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return checked(inputs.clean_name, value, NAME_SCHEMA_PATTERN, *NAME_FORM)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        full = ("请写完整号码,如 13812345678 (半角数字,不带空格)", "write the full number, as 13812345678")
        return checked(lambda v: inputs.clean_phone(v, mobile_only=True), value, FULL_MOBILE_PATTERN, *full)


class GroupListIn(Schema):
    """S6.4: a group brought the same day without reports: names and full phones, both required."""

    model_config = ConfigDict(extra="forbid")
    entries: list[GroupListEntryIn] = Field(min_length=1, max_length=200)


class GroupListOut(Schema):
    accepted: int
    receipt: Receipt


class FollowUpIn(Schema):
    """S6.3: a channel keeps following a reported customer (at least every 5 days to keep its place)."""

    model_config = ConfigDict(extra="forbid")
    report: str = text_field(
        "报备编号 (报备回答的 report) / the report's id, as its answer gave it",
        ["demo-31"],
        REPORT_ID_PATTERN,
        inputs.STAFF_MAX,
    )
    method: Literal["call", "sms", "visit", "wechat"] = "call"
    # the pattern on the string itself, inside the schema's anyOf: a pattern beside the anyOf
    # was not applied by schemathesis' generator, which then sent control characters as valid
    note: NoteText | None = Field(default=None, description="备注,至多200字 / a note, at most 200 characters")

    @field_validator("report")
    @classmethod
    def _report(cls, value: str) -> str:
        def check(v: str) -> str:
            return inputs.clean_text(v, max_length=inputs.STAFF_MAX, required=True)

        return checked(check, value, REPORT_ID_PATTERN, "只能是字母、数字或 _.#-", "only letters, digits or _.#-")

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return (
            checked(inputs.clean_text, value, TEXT_SCHEMA_PATTERN, "含有控制字符", "contains control characters")
            or None
        )


class FollowUpOut(Schema):
    receipt: Receipt


class ListQuery(Schema):
    """GET /reports: how many of my reports, newest first."""

    limit: int = Field(default=200, ge=1, le=200, description="至多几条 (1-200) / at most this many (1-200)")
