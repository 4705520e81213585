"""The QR code a document carries: the URL of the no-login verification page with the entry's
code (``guishu.core.receipt_codes``), as an SVG ``data:`` URI WeasyPrint draws as vectors."""

from __future__ import annotations

from urllib.parse import urlencode

import segno

from guishu.core.receipt_codes import ReceiptCode


def verify_url(base: str, code: ReceiptCode) -> str:
    """``base`` is the deployment's /verify/ URL as the printing request saw it."""
    return f"{base}?{urlencode({'code': code.text()})}"


def data_uri(text: str) -> str:
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2, dark="#000"))
