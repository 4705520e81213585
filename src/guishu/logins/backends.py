"""django-axes in front of Django's ModelBackend, for the sign-ins that come through the web."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class WebLoginAxesBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Axes checks every sign-in that comes with a request (the login page always passes one).

    Without a request there is no client address to lock and nothing to show a lockout to:
    ``manage.py`` and the test client authenticate that way, and axes would refuse them outright.
    Such a call is passed on to the next backend unchecked; no network path reaches it.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None
