"""Ending a person's sessions at once (a leaver, a password reset)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions(user_id: int) -> int:
    """Delete every live session of this user; returns how many. Sessions are stored in the
    database (Django's default engine), so the next request of any of them is anonymous."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            ended += 1
    return ended
