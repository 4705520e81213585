"""The login gate: who is trying (user name as Django will authenticate it, client address), and
one atomic ticket per attempt before the password is checked.

The same two functions name the attempt for django-axes (AXES_USERNAME_CALLABLE,
AXES_CLIENT_IP_CALLABLE), so ``" wuyi"``, ``"wuyi "`` and full-width ``ｗｕｙｉ`` are one user to
the gate, to axes and to Django's ModelBackend alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest

from guishu.logins.models import LoginGate

_USERNAME = UsernameField(max_length=150, required=False)


def normalised(raw: object) -> str:
    """The user name exactly as Django's AuthenticationForm hands it to authenticate():
    stripped (CharField) and NFKC-normalised (UsernameField)."""
    try:
        return str(_USERNAME.clean(raw if isinstance(raw, str) else "") or "")
    except ValidationError:  # over-long: refused by the form anyway; still one key
        return str(raw)[:150]


def username_of(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    if credentials and "username" in credentials:
        return normalised(credentials["username"])
    if request is not None:
        return normalised(request.POST.get("username", ""))
    return ""


def address_of(request: HttpRequest) -> str:
    """The client address: the peer, or behind GUISHU_TRUSTED_PROXY_COUNT proxies the address
    the outermost trusted proxy saw (X-Forwarded-For, counted from the right)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        chain = [a.strip() for a in forwarded.split(",") if a.strip()]
        if len(chain) >= count:
            return chain[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


@dataclass(frozen=True)
class Ticket:
    allowed: bool
    taken: int
    ends: datetime  # when this window ends (the lockout's end when not allowed)


def _key(username: str, address: str) -> str:
    return f"{username}\x1f{address}"[:300]


def take(username: str, address: str) -> Ticket:
    """Take one attempt for (user, address), atomically, before any password is checked."""
    now = time.time()
    window = settings.LOGIN_WINDOW_SECONDS
    table = LoginGate._meta.db_table
    # one statement: the row is created, or counted on, or its expired window restarted
    sql = (
        f"INSERT INTO {table} (who, taken, window_start) VALUES (%s, 1, %s) "  # noqa: S608 - table name is ours
        f"ON CONFLICT (who) DO UPDATE SET "
        f"taken = CASE WHEN {table}.window_start < %s THEN 1 ELSE {table}.taken + 1 END, "
        f"window_start = CASE WHEN {table}.window_start < %s THEN %s ELSE {table}.window_start END "
        f"RETURNING taken, window_start"
    )
    expired_before = now - window
    with connection.cursor() as cursor:
        cursor.execute(sql, [_key(username, address), now, expired_before, expired_before, now])
        taken, start = cursor.fetchone()
    ends = datetime.fromtimestamp(float(start) + window, tz=UTC)
    return Ticket(allowed=int(taken) <= settings.LOGIN_ATTEMPTS, taken=int(taken), ends=ends)


def release(username: str, address: str) -> None:
    """A successful login clears the count of its (user, address)."""
    LoginGate.objects.filter(who=_key(username, address)).delete()


def locked_until(username: str, address: str) -> datetime | None:
    """When the lockout of (user, address) ends, or None if it is not locked."""
    row = LoginGate.objects.filter(who=_key(username, address)).first()
    if row is None or row.taken < settings.LOGIN_ATTEMPTS:
        return None
    ends = row.window_start + settings.LOGIN_WINDOW_SECONDS
    return datetime.fromtimestamp(ends, tz=UTC) if ends > time.time() else None
