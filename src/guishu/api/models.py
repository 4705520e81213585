"""Per-agent API keys: stored hashed, revocable, each bound to one agent of one channel."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone

PREFIX_LEN = 8


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    project = models.ForeignKey("record.Project", on_delete=models.PROTECT, related_name="+")
    agent = models.CharField(max_length=64)  # the agent's staff id in the record
    channel = models.CharField(max_length=64)
    prefix = models.CharField(max_length=PREFIX_LEN, db_index=True)
    hashed = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, *, project: object, agent: str, channel: str) -> tuple[ApiKey, str]:
        """A new key; the plain key is returned once and never stored."""
        plain = "gs_" + secrets.token_urlsafe(32)
        key = cls.objects.create(
            project=project, agent=agent, channel=channel, prefix=plain[:PREFIX_LEN], hashed=digest(plain)
        )
        return key, plain

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
