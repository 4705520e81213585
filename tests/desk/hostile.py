"""Hostile input for the bad-input suites of the web forms (desk, visits, site administration).

Each value is a kind of input a screen meets in the wild: over-long text, NUL and other control
characters, bytes that are not UTF-8 (sent percent-encoded in the form body), emoji, impossible
dates, huge numbers, masks that match nothing. ``post`` sends a form body with one field's value
replaced (raw, so ``%ff%fe`` reaches Django as bytes); ``assert_refused`` checks the answer: a
4xx, the field named by its Chinese label, no record key and nothing written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from django.test import Client

from guishu.record.models import Entry
from guishu.visits.models import Signature, VisitForm

NOT_UTF8 = "%ff%fe%c3%28"  # percent-encoded bytes that are no UTF-8 text


@dataclass(frozen=True)
class Value:
    """One hostile value: ``raw`` is already percent-encoded (bytes that are not text)."""

    kind: str
    text: str = ""
    raw: str | None = None

    def encoded(self) -> str:
        return self.raw if self.raw is not None else quote(self.text, safe="")


OVER_LONG_NAME = Value("over-long", "王" * 33)
TEN_KB = Value("10 KB", "王" * 10_240)
NUL = Value("NUL", "李\x00梅")
CONTROL = Value("control", "李\u202e梅\x1b")
BAD_UTF8 = Value("invalid UTF-8", raw=NOT_UTF8)
EMOJI = Value("emoji", "李😀")
HUGE = Value("huge number", "9" * 40)
DIGITS_10K = Value("10 KB of digits", "1" * 10_240)
MASK_NOTHING = Value("mask matching nothing", "999****0000")
MASK = Value("mask where a full phone is needed", "138****0002")
FOREIGN = Value("foreign phone", "+12025550123")

# every field that is a person's name
NAMES = (OVER_LONG_NAME, TEN_KB, NUL, CONTROL, BAD_UTF8, EMOJI, Value("digits", "李梅1"))
# every field that is a full phone
PHONES = (DIGITS_10K, NUL, BAD_UTF8, EMOJI, HUGE, MASK, MASK_NOTHING, FOREIGN, Value("letters", "138abcd0002"))
# every field that is a staff id, a firm's code or a fact id
IDS = (Value("over-long", "a" * 65), TEN_KB, NUL, BAD_UTF8, EMOJI, Value("space", "li si"))
# free text (intent, source, reason ...): emoji are text, the rest is not
TEXTS = (TEN_KB, NUL, CONTROL, BAD_UTF8)
# dates and times
DAYS = (
    Value("year 9999", "9999-12-31"),
    Value("year 1", "0001-01-01"),
    Value("30 February", "2026-02-30"),
    Value("huge year", "99999999-01-01"),
    Value("words", "yesterday"),
    NUL,
    BAD_UTF8,
)
TIMES = (
    Value("year 9999", "9999-12-31T23:59"),
    Value("year 1", "0001-01-01T00:00"),
    Value("30 February", "2026-02-30T09:00"),
    Value("hour 25", "2026-12-01T25:00"),
    Value("words", "tomorrow"),
    NUL,
    BAD_UTF8,
)
# database ids
NUMBERS = (HUGE, Value("negative", "-1"), Value("superscript", "²"), Value("letters", "abc"), NUL, BAD_UTF8)


def post(client: Client, url: str, base: dict[str, str], field: str, value: Value) -> HttpResponse:
    """POST ``base`` with ``field`` replaced by the hostile value, as a browser's form body."""
    pairs = [f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in base.items() if k != field]
    pairs.append(f"{quote(field, safe='')}={value.encoded()}")
    response: HttpResponse = client.post(url, "&".join(pairs), content_type="application/x-www-form-urlencoded")
    return response


def written() -> tuple[int, int, int]:
    """What a refused form must not have changed: the record, open visit forms, signatures."""
    return Entry.objects.count(), VisitForm.objects.count(), Signature.objects.count()


# a record key where a label belongs ("customer.name:", "phone_shown:")
RECORD_KEY = re.compile(r"\b[a-z]+(?:[._][a-z]+)+: ")


def assert_refused(response: HttpResponse, label: str, before: tuple[int, int, int]) -> None:
    """A clear refusal: 4xx, never 5xx; the field named in words; nothing written."""
    page = response.content.decode()
    assert 400 <= response.status_code < 500, (response.status_code, page[:300])
    assert f"{label}: " in page, page[:2000]
    assert RECORD_KEY.search(page) is None, RECORD_KEY.search(page)
    assert written() == before
