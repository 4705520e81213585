"""The printed letter's code (核验码): written and read back, found in the URL its QR opens, and
anything else refused rather than guessed."""

from __future__ import annotations

import pytest

from guishu.core.receipt_codes import PREFIX, ReceiptCode, looks_like_code, parse

HASH = "ab" * 32
CODE = ReceiptCode(site="demo-2", seq=8, entry_hash=HASH, head_size=11, head_root="0123456789abcdef")


def test_a_code_reads_back_as_written_and_from_its_url() -> None:
    assert parse(CODE.text()) == CODE
    assert parse(f"  https://site.example/verify/?code={CODE.text()}\n") == CODE
    assert parse(f"https://site.example/verify/?lang=en&code={CODE.text()}#top") == CODE
    assert looks_like_code(CODE.text()) and looks_like_code(f"https://x/verify/?code={CODE.text()}")
    assert not looks_like_code('{"format": "guishu receipt v1", "code=": 1}')


@pytest.mark.parametrize(
    "text",
    [
        "",
        "GSR1",
        CODE.text().replace(PREFIX, "GSR2"),
        CODE.text().replace(HASH, HASH[:-2]),  # a hash is 64 hex digits
        CODE.text().replace(HASH, HASH.upper()),
        CODE.text().replace(".8.", ".0."),  # entries count from 1
        CODE.text().replace(".11.", ".7."),  # a head of 7 entries does not hold entry 8
        CODE.text().replace("demo-2", "demo.2"),
        CODE.text() + ".x",
        f"https://x/verify/?code={CODE.text()}&code={CODE.text()}",  # which one?
        "x" * 5000,
    ],
)
def test_anything_else_is_not_a_code(text: str) -> None:
    assert parse(text) is None
