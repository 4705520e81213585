"""来访客户确认单 being signed (S6.6, S6.7): a form collects the three sign-offs, each by its
signer under his own login; when complete it becomes one ``visit_confirmation`` fact.

The form is working state, not history: the record gets the finished confirmation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

ROLES = ("agent", "clerk", "marketing_manager")


class VisitForm(models.Model):
    project = models.ForeignKey("record.Project", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=32)
    gender = models.CharField(max_length=1)
    phone = models.CharField(max_length=20)  # full, normalised (S6.6)
    phone_shown = models.CharField(max_length=20)  # the masked phone written on the form (S6.7)
    entry_at = models.DateTimeField()
    channel = models.CharField(max_length=64)
    agent = models.CharField(max_length=64)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    fact_id = models.CharField(max_length=64, blank=True, default="")  # set once submitted

    @property
    def submitted(self) -> bool:
        return bool(self.fact_id)


class Signature(models.Model):
    form = models.ForeignKey(VisitForm, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "role"], name="one_signature_per_role")]
