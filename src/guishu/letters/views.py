"""The printed documents of a customer and of a visit: thin, ``selectors`` read the record,
``render`` makes the PDF. The statement's PDF is the statements screen's own export."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from guishu.desk.views import DeskRequest
from guishu.letters import qr, render, selectors
from guishu.letters.selectors import Basis, NoLetter
from guishu.sites.access import SiteAccess, site_view


def _refused(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def document_context(request: DeskRequest, site: SiteAccess, basis: Basis | None, **more: Any) -> dict[str, Any]:
    """What every document's page shows around its body: the site, the QR of its entry, and
    the one line that changes with each print."""
    context: dict[str, Any] = {
        "project": site.project,
        "printed": render.printed_line(site.project, selectors.printer(site), timezone.now()),
        "basis": basis,
        **more,
    }
    if basis is not None:
        url = qr.verify_url(request.build_absolute_uri(reverse("verify_receipt")), basis.code)
        context["qr"] = qr.data_uri(url)
        context["code"] = basis.code.text()
    return context


@site_view("print_letter", methods=("GET",))
def confirmation(request: DeskRequest, site: SiteAccess, group: str) -> HttpResponse:
    """客户确认书: the customer's owner with the rule basis, the phone masked, and the QR of the
    entry that decided it."""
    try:
        letter = selectors.confirmation(site, group)
    except NoLetter as exc:
        return _refused(str(exc), 409)
    context = document_context(request, site, letter.basis, letter=letter)
    document = render.pdf("letters/confirmation.html", context)
    return render.response(document, f"confirmation-{site.project.code}-{letter.basis.seq}")


@site_view("visits", methods=("GET",))
def visit_sheet(request: DeskRequest, site: SiteAccess, pk: int) -> HttpResponse:
    """来访客户确认单 (S6.7) with its three sign-offs: to sign on paper while open, with the QR
    of its record once complete."""
    try:
        sheet = selectors.visit_sheet(site, pk)
    except NoLetter as exc:
        return _refused(str(exc), 404)
    document = render.pdf("letters/visit_sheet.html", document_context(request, site, sheet.basis, sheet=sheet))
    return render.response(document, f"visit-{site.project.code}-{pk}")
