"""The correction posted from a screen (the clerk's register, a customer's history, the duty
sheet): each of those screens' views calls this and shows its own page again."""

from __future__ import annotations

from django.http import HttpRequest

from guishu.corrections import actions
from guishu.corrections.forms import CorrectionForm
from guishu.sites.access import SiteAccess


def correct_posted(request: HttpRequest, site: SiteAccess) -> tuple[str, int]:
    """Void the posted fact: ("", 200) when done, else the error naming its field and the
    status (403 when the person may not, 422 for what he wrote)."""
    form = CorrectionForm(request.POST)
    status = form.submit(lambda d: actions.correct(access=site, target=d["target"], reason=d["reason"]))
    return ("", 200) if status is None else (form.error_text(), status)
