"""Signing in, with the login limit (brute force)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RateLimitedLoginView(auth_views.LoginView):
    """Login attempts are limited per user name and address (brute force)."""

    template_name = "desk/login.html"

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        key = f"login:{request.POST.get('username', '')}:{request.META.get('REMOTE_ADDR', '')}"
        attempts = cache.get(key, 0)
        if attempts >= settings.LOGIN_ATTEMPTS:
            return render(
                request,
                self.template_name,
                {"form": self.get_form(), "locked": True},
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:
            cache.set(key, attempts + 1, settings.LOGIN_WINDOW_SECONDS)
        else:
            cache.delete(key)
        return response
