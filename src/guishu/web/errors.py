"""Error pages in Chinese (English when chosen), with the site's navigation where it is known.

Django's own 400/500 handlers render without the request (no menu, no language) and its CSRF
failure page is English; these take their place (``handler400``, ``handler500`` in urls,
``CSRF_FAILURE_VIEW`` in settings). A 500 page must never fail itself: if rendering with the
request's context fails too (the database may be what broke), a plain page is sent.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger("guishu.errors")

_PLAIN = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>服务器出错</title>'
    "<h1>服务器出错</h1><p>已记录此错误,请稍后再试或联系管理员。</p>"
    "<p>A server error was recorded; please try again later.</p></html>"
)


def _page(request: HttpRequest, template: str, status: int, context: dict[str, object] | None = None) -> HttpResponse:
    try:
        body = loader.render_to_string(template, context or {}, request=request)
    except Exception:
        log.exception("the %s page could not be rendered", status)
        return HttpResponse(_PLAIN, status=status, content_type="text/html; charset=utf-8")
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "400.html", 400)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was sent without a valid CSRF token: usually a page left open past its session."""
    message = _("页面已过期或来源不明,请刷新页面后重新提交。")
    return _page(request, "403.html", 403, {"exception": message})
