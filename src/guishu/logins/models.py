"""The login gate's counters: one row per (user name, client address) being tried."""

from __future__ import annotations

from django.db import models


class LoginGate(models.Model):
    """Attempts taken in the current window. A row is taken atomically (one upsert) before the
    password is checked, so parallel guesses cannot all pass a check-then-set (axes #592)."""

    who = models.CharField(max_length=300, unique=True)  # normalised user name + "\x1f" + address
    taken = models.PositiveIntegerField(default=0)
    window_start = models.FloatField()  # epoch seconds: compared in SQL on both databases

    def __str__(self) -> str:
        return f"{self.who}: {self.taken}"
