"""Content-Security-Policy (django-csp) and the templates that must work under it (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import guishu

TEMPLATES = sorted(Path(guishu.__file__).parent.rglob("templates/**/*.html"))
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on* handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"hx-on", re.I), "an hx-on handler (needs eval)"),
]


@pytest.mark.django_db
def test_every_page_carries_a_strict_policy() -> None:
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(Path(guishu.__file__).parent)))
def test_no_template_needs_what_the_policy_refuses(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{template.name} has {', '.join(found)}"


def test_htmx_is_told_not_to_inject_styles_or_eval() -> None:
    base = next(p for p in TEMPLATES if p.name == "base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles":false' in base and '"allowEval":false' in base
