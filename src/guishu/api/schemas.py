"""The API's request and response shapes (documented in the OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

# a person's name as registers carry it: Chinese characters (and the middle dot of minority
# names) or Latin letters; no emoji, digits or control characters
NAME_PATTERN = r"^[\u3400-\u4dbf\u4e00-\u9fffA-Za-z·• .'-]{1,32}$"


class ReportIn(Schema):
    """S6.1: name, gender and the phone, full or masked (1381**45678, 138****5678)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=32, pattern=NAME_PATTERN)
    gender: Literal["M", "F"]
    phone: str = Field(min_length=7, max_length=20)


class Receipt(Schema):
    """Proof of when the agent reported: the entry's position in the record and its chain hash."""

    seq: int
    hash: str
    at: datetime


class ReportOut(Schema):
    report: str
    status: Literal["accepted", "duplicate", "already_customer", "ambiguous", "invalid"]
    valid_until: datetime | None
    message_zh: str
    message_en: str
    earlier: str | None = None
    receipt: Receipt


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str
    field: str | None = None


class GroupListEntryIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=32, pattern=NAME_PATTERN)
    phone: str = Field(min_length=11, max_length=20)


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
    report: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.#-]+$")
    method: Literal["call", "sms", "visit", "wechat"] = "call"
    note: str | None = Field(default=None, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")


class FollowUpOut(Schema):
    receipt: Receipt
