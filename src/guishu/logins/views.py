"""Signing in, behind the login gate; the lockout page says in Chinese when the lockout ends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guishu.logins import gate

TEMPLATE = "desk/login.html"


def _locked(request: HttpRequest, ends: datetime | None) -> HttpResponse:
    form = AuthenticationForm(request)
    local = timezone.localtime(ends) if ends is not None else None
    return render(request, TEMPLATE, {"form": form, "locked": True, "ends": local}, status=429)


class LoginView(auth_views.LoginView):
    """Each attempt takes a ticket from the gate before the password is checked."""

    template_name = TEMPLATE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username, address = gate.username_of(request), gate.address_of(request)
        ticket = gate.take(username, address)
        if not ticket.allowed:
            return _locked(request, ticket.ends)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302 and request.user.is_authenticated:
            gate.release(username, address)
        return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: axes' own lockout (its database record), shown like the gate's."""
    username, address = gate.username_of(request, credentials), gate.address_of(request)
    ends = gate.locked_until(username, address)
    if ends is None:
        ends = timezone.now() + settings.AXES_COOLOFF_TIME
    return _locked(request, ends)
