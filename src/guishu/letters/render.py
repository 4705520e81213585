"""HTML to PDF with WeasyPrint: the page is a Django template, its fonts Debian's Noto CJK
(fonts-noto-cjk, found by fontconfig), and nothing is fetched at render time but ``data:``
URIs (the QR code): a document never waits on, or leaks to, the network.

A document's text is the record's, apart from one line: ``printed_line`` (who printed it,
when), which every template shows in its footer and says so.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

import weasyprint
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from guishu.record.models import Project
from guishu.sites.templatetags import words

_FETCHER = weasyprint.URLFetcher(allowed_protocols=["data"])
# the page and type of every document: a file beside this module, not a <style> in a template
# (the site's templates carry no inline style: tests/web/test_security_headers.py)
_CSS = Path(__file__).with_name("print.css")


@functools.cache
def _stylesheet() -> weasyprint.CSS:
    return weasyprint.CSS(string=_CSS.read_text(encoding="utf-8"))


def printed_line(project: Project, printer: str, at: datetime) -> str:
    """The one line that differs between two prints of the same record."""
    return _("打印: %(who)s %(when)s (本行随打印而变,其余内容只由记录决定)") % {
        "who": printer,
        "when": words.minute(at, project),
    }


def pdf(template: str, context: dict[str, Any]) -> bytes:
    document = weasyprint.HTML(string=render_to_string(template, context), url_fetcher=_FETCHER)
    out = document.write_pdf(stylesheets=[_stylesheet()])  # no target given: the bytes
    assert isinstance(out, bytes)
    return out


def response(document: bytes, filename: str) -> HttpResponse:
    """The PDF shown in the browser (its print dialog a click away), never cached: it names
    customers."""
    out = HttpResponse(document, content_type="application/pdf")
    out["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    out["Cache-Control"] = "no-store"
    return out
