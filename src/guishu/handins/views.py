"""确认台 (S18): the confirmer records each 客户确认单 with his signed time and sees what became of
it; every consultant's quota counter; the day's visitor-and-call sheet; confirmations about to
lapse, re-confirmed with one press. A consultant sees his own hand-ins and his counter."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render

from guishu.desk.selectors import sellers
from guishu.desk.views import DeskRequest
from guishu.handins import actions, selectors
from guishu.handins.forms import HandInForm
from guishu.record.actions import RecordInputError
from guishu.sites.access import NotPermitted, SiteAccess, site_view
from guishu.sites.forms import refusal
from guishu.sites.roles import SELLERS


def _page(
    request: DeskRequest, site: SiteAccess, form: HandInForm | None = None, status: int = 200, error: str = ""
) -> HttpResponse:
    project = site.project
    own = site.staff if site.role in SELLERS else None
    has_desk = actions.has_desk(project)
    desk = has_desk and site.can("record_handin")
    context = {
        "project": project,
        "site": site,
        "form": (form or HandInForm(sellers=sellers(project))) if desk else None,
        "error": error or (form.error_text() if form is not None else ""),
        "handins": selectors.handins(project, consultant=own),
        "quotas": selectors.quotas(project, consultant=own),
        "sheet": selectors.visitor_sheet(project) if desk else [],
        "lapsing": selectors.lapsing(project) if desk else [],
        "has_desk": has_desk,
    }
    return render(request, "handins/page.html", context, status=status)


@site_view("handins", methods=("GET",))
def page(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _page(request, site)


@site_view("record_handin", methods=("POST",))
def hand_in(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    form = HandInForm(request.POST, sellers=sellers(site.project))

    def write(d: dict[str, Any]) -> object:
        return actions.hand_in(
            access=site,
            consultant=d["consultant"],
            phone=d["phone"],
            name=d["name"],
            customer_no=d["customer_no"],
            company=d["company"],
            contact_person=d["contact_person"],
            need=d["need"],
            signed_at=form.signed(),
            amends=d["amends"],
        )

    status = form.submit(write)
    if status is None:
        return redirect("handins", site.project.code)
    return _page(request, site, form, status)


@site_view("record_handin", methods=("POST",))
def reconfirm(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    try:
        actions.reconfirm(access=site, handin=str(request.POST.get("handin", "")))
    except RecordInputError as exc:
        labels = {name: field.label or "" for name, field in HandInForm.base_fields.items()}
        error = refusal(exc, labels | HandInForm.OTHER_LABELS)
        return _page(request, site, status=403 if isinstance(exc, NotPermitted) else 422, error=error)
    return redirect("handins", site.project.code)
