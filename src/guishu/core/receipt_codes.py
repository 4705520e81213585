"""The short code a printed letter carries in its QR (核验码): which site, which entry, its hash,
and which signed tree head it was printed under, small enough for a phone to scan.

A code is not a receipt: it holds no proof. Whoever holds the record checks it by rebuilding
the entry's receipt under the head the code names (``guishu.record.receipts.from_code``) and
checking that receipt with the site's public key, which lives outside the database: a code
whose entry was rewritten, or whose head was never signed, does not hold.

``GSR1.<site>.<seq>.<entry hash, 64 hex>.<head size>.<head root's first 16 hex>``; a site's code
is a slug (letters, digits, ``-``, ``_``), so the dots separate unambiguously. A scanned URL
(``…/verify/?code=GSR1…``) is read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guishu.core.receipts import Receipt

PREFIX = "GSR1"
ROOT_CHARS = 16  # the head's id: its size and the start of its root
_CODE = re.compile(
    rf"^{PREFIX}\.(?P<site>[A-Za-z0-9_-]{{1,32}})\.(?P<seq>[1-9][0-9]{{0,11}})\."
    rf"(?P<hash>[0-9a-f]{{64}})\.(?P<size>[1-9][0-9]{{0,11}})\.(?P<root>[0-9a-f]{{{ROOT_CHARS}}})$"
)
# in a URL's query: a code's characters are all ones a URL never escapes
_IN_URL = re.compile(rf"[?&]code=({PREFIX}\.[A-Za-z0-9._-]+)(?=[&#]|$)")
MAX_TEXT = 4096  # a scanned URL with its host: anything longer is not a code


@dataclass(frozen=True)
class ReceiptCode:
    site: str
    seq: int
    entry_hash: str
    head_size: int
    head_root: str  # the first ROOT_CHARS hex digits of the signed head's root

    def text(self) -> str:
        return f"{PREFIX}.{self.site}.{self.seq}.{self.entry_hash}.{self.head_size}.{self.head_root}"


def code_of(receipt: Receipt) -> ReceiptCode:
    return ReceiptCode(
        site=receipt.site,
        seq=receipt.seq,
        entry_hash=receipt.entry_hash,
        head_size=receipt.head.size,
        head_root=receipt.head.root.hex()[:ROOT_CHARS],
    )


def parse(text: str) -> ReceiptCode | None:
    """The code in ``text`` (the code itself or a URL carrying it as ``code=``), or None."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        return None
    if not text.startswith(PREFIX):
        in_url = _IN_URL.findall(text)
        if len(in_url) != 1:
            return None
        text = in_url[0]
    found = _CODE.match(text)
    if found is None:
        return None
    seq, size = int(found["seq"]), int(found["size"])
    if seq > size:
        return None  # a head of `size` entries does not hold entry `seq`
    return ReceiptCode(found["site"], seq, found["hash"], size, found["root"])


def looks_like_code(text: str) -> bool:
    """Whether the text was meant as a code rather than a receipt (JSON)."""
    stripped = text.lstrip()
    return stripped.startswith(PREFIX) or ("code=" in stripped[:MAX_TEXT] and not stripped.startswith("{"))
