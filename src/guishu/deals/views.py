"""The correction posted from a screen (the clerk's register, a customer's history, the duty
sheet): each of those screens' views calls this and shows its own page again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from guishu.deals import actions
from guishu.deals.forms import CorrectionForm
from guishu.record.actions import RecordInputError
from guishu.sites.access import NotPermitted, SiteAccess
from guishu.sites.forms import refusal

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def labels() -> dict[str, StrOrPromise]:
    form = CorrectionForm()
    return {name: form.label_of(name) for name in ("target", "reason", "by")}


def correct_posted(request: HttpRequest, site: SiteAccess) -> tuple[str, int]:
    """Void the posted fact: ("", 200) when done, else the error naming its field and the
    status (403 when the person may not, 422 for what he wrote)."""
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return form.error_text(), 422
    try:
        actions.correct(access=site, target=form.cleaned_data["target"], reason=form.cleaned_data["reason"])
    except NotPermitted as exc:
        return refusal(exc, labels()), 403
    except RecordInputError as exc:
        return refusal(exc, labels()), 422
    return "", 200
