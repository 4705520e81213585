"""/api/v1/docs from the vendored Swagger UI (static/api/swagger-ui), never from a CDN.

django-ninja renders its CDN template when ``ninja`` is not an installed app, and its own
template has an inline script; this page loads only local static files and starts Swagger UI
from ``static/api/docs.js``, so it works offline and under ``script-src 'self'``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    template = "api/docs.html"

    def __init__(self) -> None:
        # no validator badge: it would call validator.swagger.io
        super().__init__(settings={"validatorUrl": None, "layout": "BaseLayout", "deepLinking": True})

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        config = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(config), "api": api}
        return render(request, self.template, context)
