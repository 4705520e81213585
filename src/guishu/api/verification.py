"""Is a pasted receipt (回执) valid? The answer the public page /verify/ gives: valid, or invalid
with one of three generic reasons, never anything read from the record.

The receipt is checked by ``guishu.record.receipts.check_against_record`` (this deployment's
key, the record as it stands now). Its own signature and proof are checked first, so that an
invalid answer says only which of the three kinds of failure it is, without the record's sizes
or seqs that the record's messages name.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from guishu.core import receipt_codes
from guishu.core import receipts as core_receipts
from guishu.core.receipts import Receipt
from guishu.record import receipts, signing

LIMIT = 64 * 1024  # bytes of a receipt: a real one is 2-3 KB (its proof is ~20 hashes)


class Verdict(Enum):
    VALID = "valid"
    NOT_A_RECEIPT = "not_a_receipt"  # not JSON, not a guishu receipt v1
    NOT_SIGNED = "not_signed"  # its signed head or its inclusion proof does not hold
    NOT_IN_RECORD = "not_in_record"  # genuine, but the record now does not hold it as it was

    @property
    def valid(self) -> bool:
        return self is Verdict.VALID


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's json takes them


def parse(text: str) -> Receipt | None:
    """The receipt in the text, or None when it is not one (any shape, any depth, any number)."""
    try:
        return Receipt.from_dict(json.loads(text, parse_constant=_no_constant))
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
        return None


def judge(text: str) -> Verdict:
    """A receipt (JSON), or the code a printed letter's QR carries (核验码, or its URL)."""
    if receipt_codes.looks_like_code(text):
        return judge_code(text)
    receipt = parse(text)
    if receipt is None:
        return Verdict.NOT_A_RECEIPT
    return _judge_receipt(receipt)


def _judge_receipt(receipt: Receipt) -> Verdict:
    try:
        if core_receipts.check(receipt, signing.public_key()):
            return Verdict.NOT_SIGNED
    except (ValueError, OverflowError):  # e.g. a site's text that cannot be encoded
        return Verdict.NOT_SIGNED
    # only a receipt this deployment signed reaches the record
    if receipts.check_against_record(receipt):
        return Verdict.NOT_IN_RECORD
    return Verdict.VALID


def judge_code(text: str) -> Verdict:
    code = receipt_codes.parse(text)
    if code is None:
        return Verdict.NOT_A_RECEIPT
    try:
        receipt = receipts.from_code(code)
    except receipts.NoReceipt:
        return Verdict.NOT_SIGNED  # no head of the record's was ever signed as the code says
    return _judge_receipt(receipt)


def read_upload(data: bytes) -> str | None:
    """An uploaded file's text (UTF-8, with or without a BOM), or None."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
