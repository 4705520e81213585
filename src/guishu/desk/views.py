"""Desk screens: the site's access rules (site_view), one action, render. No rules live here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.middleware import HtmxDetails

from guishu.core import inputs
from guishu.core.inputs import InputError
from guishu.corrections.views import correct_posted
from guishu.deals import selectors as deal_selectors
from guishu.desk import actions, selectors
from guishu.desk.forms import LookupForm, RegistrationForm
from guishu.record.actions import RecordInputError
from guishu.sites import excel
from guishu.sites.access import NotPermitted, SiteAccess, SiteRequest, site_view
from guishu.sites.forms import refusal

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DeskRequest(SiteRequest):
    """What the middleware adds: the signed-in user, his site access and htmx details."""

    htmx: HtmxDetails


CARD_LABELS: dict[str, StrOrPromise] = {"group": gettext_lazy("客户"), "method": gettext_lazy("跟进方式")}


def _refused(exc: RecordInputError, labels: Mapping[str, StrOrPromise]) -> HttpResponse:
    status = 403 if isinstance(exc, NotPermitted) else 409
    return HttpResponse(refusal(exc, labels), status=status)


@site_view("judge", methods=("GET", "POST"), login_keeps_query=False)
def desk(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """判客: look a customer up; register a call or visit.

    The query is posted, never put in the URL (S3.1): a phone in a URL stays in the browser's
    history, the address bar, a proxy's log and the next page's language switch. A URL that
    still carries one (an old bookmark, the history of the GET form) is sent to the bare desk.
    """
    if request.method == "GET" and request.GET:
        return redirect("desk", site.project.code)
    form = LookupForm(request.POST if request.method == "POST" else None)
    result = selectors.lookup(site, form.data.get("q", "") if form.is_bound else "")
    actions.record_full_view(access=site, cards=result.cards, screen="desk")
    context = {"project": site.project, "site": site, "result": result}
    if request.htmx:  # the results partial: no registration form to build
        return render(request, "desk/_results.html", context)
    reg = None
    if site.can("register_any"):  # a seller for himself; the front desk, clerk, manager for one
        on_behalf = site.can("register_for")
        reg = RegistrationForm(
            initial={"mode": "visit"},
            sellers=selectors.sellers(site.project),
            on_behalf=on_behalf,
            ask_id=selectors.id_at_registration(site.project),
        )
    return render(request, "desk/desk.html", {**context, "form": form, "reg": reg})


@site_view("register_any", methods=("POST",))
def register(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    on_behalf = site.can("register_for")
    form = RegistrationForm(
        request.POST,
        sellers=selectors.sellers(site.project),
        on_behalf=on_behalf,
        ask_id=selectors.id_at_registration(site.project),
    )
    appended = None
    if form.is_valid():
        try:
            appended = actions.register_contact(access=site, data=form.fact(site.staff, clerk=on_behalf))
        except RecordInputError as exc:
            form.add_record_error(exc)
    cards = []
    if appended is not None:
        for v in appended.verdicts:
            c = selectors.card(site, v.group, _("刚登记"))
            if c:
                cards.append(c)
    actions.record_full_view(access=site, cards=cards, screen="registered")
    status = 200 if appended is not None else 422
    context = {"reg": form, "cards": cards, "project": site.project, "site": site}
    return render(request, "desk/_registered.html", context, status=status)


@site_view("register_any", methods=("POST",))
def register_check(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """Asked while the registration form is filled in: whether a phone it names is another
    consultant's customer, whose, since when and under which rule (the form is not sent)."""
    receiver = request.POST.get("receiver", "") if site.can("register_for") else site.staff
    phones = []
    for key in ("phone", "companion_phone"):
        try:
            phones.append(inputs.clean_phone(request.POST.get(key, "")))
        except InputError:
            continue  # not a phone yet: the form says so when it is sent
    found = selectors.collisions_before(site.project, phones, receiver)
    return render(request, "desk/_collision.html", {"collisions": found, "project": site.project})


@site_view("own_customers", methods=("GET",))
def mine(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The consultant's customers: protection countdowns (S8.11) and the pending confirmations
    he may claim (S8.10)."""
    verdicts = selectors.my_customers(site.project, site.staff)
    cards = [c for c in (selectors.card(site, v.group, "") for v in verdicts) if c]
    actions.record_full_view(access=site, cards=cards, screen="mine")
    shown = {c.verdict.group for c in cards}  # a pending one of his own is his card already, claim and all
    pending = selectors.pending_now(site.project)
    claimable = [i for i in pending if i.filer != site.staff and i.verdict.group not in shown]
    context = {"project": site.project, "site": site, "cards": cards, "claimable": claimable}
    return render(request, "desk/mine.html", context)


@site_view("own_customers", methods=("GET",))
def mine_export(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The consultant's customers as an .xlsx: his own in full (S3.1, recorded as shown), a
    pending one not yet his masked, as on the screen."""
    verdicts = selectors.my_customers(site.project, site.staff)
    cards = [c for c in (selectors.card(site, v.group, "") for v in verdicts) if c]
    actions.record_full_view(access=site, cards=cards, screen="export")
    headers = [_("客户"), _("电话"), _("状态"), _("归属"), _("自"), _("保护至"), _("依据")]
    rows: list[list[excel.Cell]] = [
        [
            c.text.names,
            c.text.phones,
            c.text.state,
            c.text.owner,
            c.text.since,
            c.text.protected_until,
            "; ".join(f"{rule} {why}" for rule, why in c.text.reasons),
        ]
        for c in cards
    ]
    return excel.response(excel.workbook(_("我的客户"), headers, rows), f"customers-{site.project.code}-{site.staff}")


def _card_response(request: DeskRequest, site: SiteAccess, group: str) -> HttpResponse:
    c = selectors.card(site, group, "")
    if c is None:
        raise Http404
    actions.record_full_view(access=site, cards=[c], screen="card")
    return render(request, "desk/_card.html", {"c": c, "project": site.project, "site": site, "mine": True})


def _card_action(request: DeskRequest, site: SiteAccess, act: Callable[[str], object]) -> HttpResponse:
    """Run one card action on the posted group; the card again, or the refusal with its field."""
    group = request.POST.get("group", "")
    try:
        act(group)
    except RecordInputError as exc:
        return _refused(exc, CARD_LABELS)
    return _card_response(request, site, group)


@site_view("own_customers", methods=("POST",))
def follow_up(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    method = request.POST.get("method", "call")
    return _card_action(request, site, lambda group: actions.log_follow_up(access=site, group=group, method=method))


@site_view("file_pending", methods=("POST",))
def file_pending(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _card_action(request, site, lambda group: actions.file_pending(access=site, group=group))


@site_view("claim", methods=("POST",))
def claim(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _card_action(request, site, lambda group: actions.claim_pending(access=site, group=group))


@site_view("view_trail", methods=("GET",))
def trail(request: DeskRequest, site: SiteAccess, group: str) -> HttpResponse:
    """The full trail of a customer: every fact, who, when, its chain position (S18.18)."""
    return _trail(request, site, group)


def _trail(request: DeskRequest, site: SiteAccess, group: str, error: str = "", status: int = 200) -> HttpResponse:
    c = selectors.card(site, group, "")
    if c is None:
        raise Http404(_("没有这个客户组"))
    actions.record_full_view(access=site, cards=[c], screen="trail")
    page, entries = selectors.trail_page(site.project, group, request.GET.get("page"))
    context = {
        "project": site.project,
        "site": site,
        "c": c,
        "page": page,
        "entries": entries,
        "deals": deal_selectors.of_customer(site.project, c.verdict.group),
        "next": selectors.next_steps(site),
        "error": error,
        "may_correct": site.can("correct_history"),
    }
    return render(request, "desk/trail.html", context, status=status)


@site_view("correct_history", methods=("POST",))
def correct_trail(request: DeskRequest, site: SiteAccess, group: str) -> HttpResponse:
    """S1.4, S8.12: the manager voids a wrong fact of the customer's history with its reason."""
    error, status = correct_posted(request, site)
    if not error:
        return redirect("trail", site.project.code, group)
    return _trail(request, site, group, error, status)
