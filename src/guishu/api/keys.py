"""Agents' API keys with their audit record: every key issued and every revocation is also a fact
in the site's record (``api_key_issued`` / ``api_key_revoked``, the key's SHA-256 only), so
someone holding the database cannot quietly let a revoked key in again or slip in one of his
own: ``guishu verify`` holds the table to the record (``key_problems``).

Order of writes, so that a crash in between never leaves a key more powerful than the record
says: an issue is recorded before its row exists (the plain key has not been shown yet); a
revocation is written to the table before it is recorded.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.utils import timezone

from guishu.api.models import PREFIX_LEN, ApiKey, digest
from guishu.record.actions import User, append_fact
from guishu.record.models import Entry, Project


def issue(*, project: Project, agent: str, channel: str, actor: User = None) -> tuple[ApiKey, str]:
    """A new key for the agent; the plain key is returned once and never stored."""
    plain = "gs_" + secrets.token_urlsafe(32)
    hashed = digest(plain)
    append_fact(
        project=project,
        data={"kind": "api_key_issued", "staff": agent, "channel": channel, "key": hashed},
        actor=actor,
    )
    key = ApiKey.objects.create(project=project, agent=agent, channel=channel, prefix=plain[:PREFIX_LEN], hashed=hashed)
    return key, plain


def revoke(keys: Iterable[ApiKey], *, actor: User = None) -> int:
    """Revoke these keys (the live ones among them); how many."""
    live = [k for k in keys if k.revoked_at is None]
    now = timezone.now()
    for key in live:
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now)
        key.revoked_at = now
    for key in live:
        append_fact(
            project=key.project,
            data={"kind": "api_key_revoked", "staff": key.agent, "key": key.hashed},
            actor=actor,
        )
    return len(live)


def key_problems(project: Project) -> list[str]:
    """Where the key table and the record disagree: a live key the record did not issue (or
    issued to someone else), or a key the record revoked that the table lets in."""
    issued: dict[str, tuple[str, str]] = {}
    revoked: set[str] = set()
    for kind, payload in Entry.objects.filter(
        project=project, kind__in=("api_key_issued", "api_key_revoked")
    ).values_list("kind", "payload"):
        if kind == "api_key_issued":
            issued[payload["key"]] = (payload["staff"], payload["channel"])
        else:
            revoked.add(payload["key"])
    problems = []
    for key in ApiKey.objects.filter(project=project).order_by("pk"):
        live = key.revoked_at is None
        if key.hashed not in issued:
            if live:
                problems.append(
                    f"密钥 {key.prefix}… 不是记录签发的 / the key {key.prefix}… was not issued in the record"
                )
        elif issued[key.hashed] != (key.agent, key.channel):
            problems.append(
                f"密钥 {key.prefix}… 的持有人与记录不符 / the key {key.prefix}… names another agent than the record"
            )
        if live and key.hashed in revoked:
            problems.append(
                f"密钥 {key.prefix}… 已在记录中吊销,表中却仍有效 / the key {key.prefix}… was revoked in the record "
                "but the key table lets it in"
            )
    return problems
