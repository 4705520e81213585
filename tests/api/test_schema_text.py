"""The OpenAPI pattern of a free text (a follow-up's note) refuses exactly what the server's
check refuses, character by character: a request valid under the schema is accepted
(schemathesis' positive-data check) and a refused one is outside it."""

from __future__ import annotations

import re
import sys

from guishu.api.schemas import TEXT_SCHEMA_PATTERN
from guishu.core import inputs


def refused_by_the_server(char: str) -> bool:
    try:
        inputs.clean_text(f"a{char}a")
    except inputs.InputError:
        return True
    return False


def test_the_text_pattern_and_the_check_refuse_the_same_characters() -> None:
    """core: every code point (BMP and beyond) between two letters; an unpaired surrogate, which
    no UTF-8 request can carry, is refused by the server only (see TEXT_SCHEMA_PATTERN)."""
    pattern = re.compile(TEXT_SCHEMA_PATTERN)
    differ = [
        f"U+{cp:04X}"
        for cp in range(sys.maxunicode + 1)
        if not 0xD800 <= cp <= 0xDFFF and (pattern.fullmatch(f"a{chr(cp)}a") is None) != refused_by_the_server(chr(cp))
    ]
    assert differ == []
    assert all(refused_by_the_server(chr(cp)) for cp in (0xD800, 0xDBFF, 0xDC00, 0xDFFF))
