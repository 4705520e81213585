"""Who saw whose full personal data, and when (S3.1: personal information handled lawfully)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Disclosure(models.Model):
    """One display of a full phone (or ID number) to one person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("record.Project", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=32)
    what = models.CharField(max_length=32)  # "phone", "id_number"
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["project", "at"], name="disclosure_at")]
