"""Per-agent API keys: stored hashed, revocable, each bound to one agent of one channel. Issued
and revoked through ``guishu.api.keys``, which records both in the site's record."""

from __future__ import annotations

import hashlib

from django.db import models

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
