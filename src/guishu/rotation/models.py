"""The wall board's links: a TV on the sales floor follows the queue without a login.

A link is working state of the site's administration, not history: only its SHA-256 is kept
(the token itself is shown once, to the manager who made it), and revoking it stops the board.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BoardLink(models.Model):
    project = models.ForeignKey("record.Project", on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the token, hex
    label = models.CharField(max_length=64)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @property
    def live(self) -> bool:
        return self.revoked_at is None
