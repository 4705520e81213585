"""Who saw whose full personal data before the record held it (S3.1: personal information
handled lawfully).

Since issue 12 every display of full data is a ``disclosed`` fact of the site's record
(``actions.record_full_view``), chained and signed. This table is no longer written: its rows
are kept as they were, for history, and the manager's screen of full-data views lists them
apart, as what they are (neither chained nor signed). They cannot move into the record: an entry
takes the time of its append, and the record never goes back in time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Disclosure(models.Model):
    """One display of a full phone to one person, as logged before the record held them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("record.Project", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=32)
    what = models.CharField(max_length=32)  # "phone", "id_number"
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["project", "at"], name="disclosure_at")]
