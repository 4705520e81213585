"""Bearer API keys for channel agents (hashed lookup, revocation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from guishu.api.models import ApiKey, digest


class AgentKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = ApiKey.objects.select_related("project").filter(hashed=digest(token), revoked_at__isnull=True).first()
        if key is not None:
            request.api_key = key  # type: ignore[attr-defined]
        return key


def key_of(request: HttpRequest) -> Any:
    return request.api_key  # type: ignore[attr-defined]
