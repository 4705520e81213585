"""Rotation screens: the front desk's queue, a consultant's phone, the wall board, fairness.

Thin: the site's access rules (``site_view``), one action or selector, render. The queue parts
are polled by htmx every second (docs/architecture.md says why polling, not server-sent events).
"""

from __future__ import annotations

import csv
import functools
import io
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.http import reswap, retarget

from guishu.desk.forms import REFERRALS, RegistrationForm
from guishu.desk.selectors import id_at_registration, sellers
from guishu.desk.views import DeskRequest
from guishu.record.actions import RecordInputError
from guishu.rotation import actions, selectors
from guishu.rotation.forms import BoardLinkForm, ChangeForm, CodeForm, NextForm, PeriodForm
from guishu.rotation.models import BoardLink
from guishu.sites.access import NotPermitted, SiteAccess, site_view
from guishu.sites.forms import LabelledForm, refusal

if TYPE_CHECKING:
    from guishu.rotation.actions import Received

REFERRAL_KINDS = frozenset(kind for kind, _label in REFERRALS)


def _key() -> str:
    return secrets.token_urlsafe(12)


def _queue_context(site: SiteAccess) -> dict[str, object]:
    """What the polled queue part shows: the queue and, to the desk, the sign-in code."""
    return {
        "project": site.project,
        "site": site,
        "board": selectors.board(site.project),
        "code": actions.desk_code(site.project.code, timezone.now()) if site.can("run_queue") else "",
    }


def _with_qr(request: HttpRequest, site: SiteAccess, context: dict[str, object]) -> dict[str, object]:
    """The sign-in code as a QR code a consultant's phone scans: his page, the code filled in."""
    code = context.get("code")
    if not code:
        return context
    url = request.build_absolute_uri(reverse("rotation_me", args=[site.project.code])) + f"?code={code}"
    return {**context, "qr": _qr(url)}


@functools.lru_cache(maxsize=64)
def _qr(url: str) -> str:
    """The QR code's SVG: drawn once per code (it changes every 30 s), not once per answer."""
    return str(segno.make(url, error="m").svg_inline(scale=3, dark="#1f2328"))


@site_view("rotation", methods=("GET",))
def desk(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The front desk's queue: who is up, on deck, with a customer, on a break; next customer."""
    if not site.can("run_queue"):
        return redirect("rotation_me", site.project.code)
    people = sellers(site.project)
    context = {
        **_with_qr(request, site, _queue_context(site)),
        "people": people,
        "change": ChangeForm(sellers=people),
        "can_correct": site.can("correct_queue"),
        "can_refuse": site.can("decide"),
        "next": NextForm(initial={"key": _key(), "been_here": "no", "purpose": "enquiry"}, sellers=people),
    }
    return render(request, "rotation/desk.html", context)


@site_view("rotation", methods=("GET",))
def queue(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The queue part, polled every second by every screen that shows it: 204 (nothing to
    swap) while it is the version the screen shows."""
    context = _queue_context(site)
    if request.GET.get("v") == f"{context['board'].version}-{context['code']}":  # type: ignore[attr-defined]
        return HttpResponse(status=204)
    return render(request, "rotation/_queue.html", _with_qr(request, site, context))


def _received(request: DeskRequest, site: SiteAccess, received: Received, answers: NextForm) -> HttpResponse:
    """The answer to a press: who receives and why, and a fresh press key for the desk's form
    (an out-of-band swap; the form's answers are cleared by site.js). The registration form for
    this reception is fetched by the answer itself (``registration``), so a press pays only for
    its decision and its commit (docs/performance.md)."""
    r = received.reception
    d = answers.cleaned_data
    prefill = {"reception": r.id, "been_here": d["been_here"]}
    prefill.update({k: d[k] for k in ("consultant", "sms_from", "referral") if d.get(k)})
    context = {
        "project": site.project,
        "received": received,
        "words": received.en if request.LANGUAGE_CODE == "en" else received.zh,
        "name": selectors.name_of(site.project, r.consultant),
        "register": urlencode(prefill) if site.can("register_any") else "",
        "key": _key(),
    }
    return render(request, "rotation/_assigned.html", context)


@site_view("run_queue", methods=("GET",))
def registration(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The registration form for one reception, its receiver the one the queue assigned and the
    desk's answers filled in (S7.2: been here, whom he named, whose SMS; S8.8, S16.14: how an old
    customer brought him, whose phone the form then asks)."""
    if not site.can("register_any"):
        return HttpResponse(status=204)
    r = selectors.reception(site.project, request.GET.get("reception", ""))
    if r is None:
        return _error(_("没有这次接待,请重新按“下一位客户”"), None)
    people = sellers(site.project)
    known = {s for s, _ in people}
    initial = {
        "mode": "visit",
        "receiver": r.consultant,
        "reception": r.id,
        "first_visit": "no" if request.GET.get("been_here") == "yes" else "yes",
    }
    for field, asked in (("named_consultant", "consultant"), ("sms_from", "sms_from")):
        if (staff := request.GET.get(asked, "")) in known:
            initial[field] = staff
    if (referral := request.GET.get("referral", "")) in REFERRAL_KINDS:
        initial["referral"] = referral
    reg = RegistrationForm(
        initial=initial,
        sellers=people,
        on_behalf=site.can("register_for"),
        ask_id=id_at_registration(site.project),
    )
    return render(request, "rotation/_registration.html", {"project": site.project, "reg": reg})


@site_view("run_queue", methods=("POST",))
def next_customer(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """ "Next customer": one reception per press key; a retry answers the same reception."""
    people = sellers(site.project)
    form = NextForm(request.POST, sellers=people)
    if not form.is_valid():
        return _form_error(form)
    try:
        received = actions.next_customer(access=site, key=form.cleaned_data["key"], answers=form.answers())
    except RecordInputError as exc:
        return _refused(form, exc)
    return _received(request, site, received, form)


def _error(text: str, into: str | None, status: int = 422) -> HttpResponse:
    """The refusal in words, swapped into the screen's error line ``into`` (outside the polled
    part, which it leaves alone) or, without one, into the form's own target. 422 is what the
    screens' htmx swaps; a 403 is refused in words as well, but not swapped."""
    response = HttpResponse(f'<span role="alert">{escape(text)}</span>', status=status)
    if into is not None:
        retarget(response, into)
        reswap(response, "innerHTML")
    return response


def _form_error(form: LabelledForm, into: str | None = None) -> HttpResponse:
    return _error(form.error_text(), into)


def _refused(form: LabelledForm, exc: RecordInputError, into: str | None = None) -> HttpResponse:
    labels = {**{n: f.label for n, f in form.fields.items() if f.label}, **form.OTHER_LABELS}
    return _error(refusal(exc, labels), into, 403 if isinstance(exc, NotPermitted) else 422)


@site_view("rotation", methods=("POST",))
def change(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """One queue change: the desk's (sign-in, skip, back), a manager's (move, make-up), or a
    consultant's own (break, back, sign out). Answers the queue part again."""
    form = ChangeForm(request.POST, sellers=sellers(site.project))
    into = "#me-error" if request.POST.get("from") == "me" else "#queue-error"
    if not form.is_valid():
        return _form_error(form, into)
    d = form.cleaned_data
    try:
        actions.change(
            access=site,
            action=d["action"],
            staff=d["staff"],
            reason=d.get("reason") or None,
            note=d.get("note") or None,
            position=d.get("position"),
            confirmed="desk" if d["action"] == "sign_in" else None,
        )
    except RecordInputError as exc:
        return _refused(form, exc, into)
    if request.POST.get("from") == "me":
        return render(request, "rotation/_me.html", {**_me_context(site), "clear_error": True})
    return render(
        request, "rotation/_queue.html", {**_with_qr(request, site, _queue_context(site)), "clear_error": True}
    )


def _me_context(site: SiteAccess) -> dict[str, object]:
    board = selectors.board(site.project)
    return {"project": site.project, "site": site, "board": board, "me": board.of(site.staff)}


@site_view("own_turn", methods=("GET",))
def me(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """A consultant's phone: his place in the queue; sign in with the desk's code (typed, or
    filled in by scanning the desk's QR code), break, back."""
    scanned = request.GET.get("code", "")
    code = scanned if scanned.isdigit() and len(scanned) == 6 else ""
    return render(request, "rotation/me.html", {**_me_context(site), "scanned": code})


@site_view("own_turn", methods=("GET",))
def me_line(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    context = _me_context(site)
    if request.GET.get("v") == context["board"].version:  # type: ignore[attr-defined]
        return HttpResponse(status=204)
    return render(request, "rotation/_me.html", context)


@site_view("own_turn", methods=("POST",))
def sign_in(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _form_error(form, "#me-error")
    try:
        actions.sign_in_by_code(access=site, code=form.cleaned_data["code"])
    except RecordInputError as exc:
        return _refused(form, exc, "#me-error")
    return render(request, "rotation/_me.html", {**_me_context(site), "clear_error": True})


# ---------------------------------------------------------------------------- the wall board


@require_GET
@never_cache
def board(request: HttpRequest, token: str) -> HttpResponse:
    """The wall board: no login, no customer data, no controls; a revoked link is gone."""
    link = actions.board_for(token)
    if link is None:
        raise Http404(_("链接无效或已停用"))
    with timezone.override(link.project.timezone):
        context = {"project": link.project, "board": selectors.board(link.project), "token": token}
        return render(request, "rotation/board.html", context)


@require_GET
@never_cache
def board_queue(request: HttpRequest, token: str) -> HttpResponse:
    link = actions.board_for(token)
    if link is None:
        return HttpResponse(status=404)
    with timezone.override(link.project.timezone):
        shown = selectors.board(link.project)
        if request.GET.get("v") == shown.version:
            return HttpResponse(status=204)
        return render(request, "rotation/_board.html", {"project": link.project, "board": shown, "token": token})


@site_view("board_links", methods=("GET", "POST"))
def board_links(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """A manager makes a wall board's link (shown once) or revokes one."""
    made, error = "", ""
    form = BoardLinkForm(request.POST if request.method == "POST" and "label" in request.POST else None)
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                pk = request.POST.get("revoke", "")
                actions.revoke_board_link(access=site, pk=int(pk) if pk.isdigit() and len(pk) < 18 else 0)
            elif form.is_valid():
                made = request.build_absolute_uri(
                    f"/board/{actions.new_board_link(access=site, label=form.cleaned_data['label'])}/"
                )
            else:
                error = form.error_text()
        except RecordInputError as exc:
            error = refusal(exc, {"link": _("链接")})
    links = BoardLink.objects.filter(project=site.project).order_by("-pk")[:50]
    context = {"project": site.project, "site": site, "links": links, "made": made, "form": form, "error": error}
    return render(request, "rotation/links.html", context, status=422 if error else 200)


# ---------------------------------------------------------------------------- fairness


@site_view("fairness", methods=("GET",))
def fairness(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """Per consultant and period: turns offered, taken, kept, lost, make-ups, new customers and
    their conversion; expected share, deviation; the site's largest |deviation|; CSV export."""
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    first, last = today.replace(day=1), today
    error = ""
    if form.is_bound:
        if form.is_valid():
            first = form.cleaned_data.get("first") or first
            last = form.cleaned_data.get("last") or last
        else:
            error = form.error_text()
    if first > last:
        error = _("起始日期晚于截止日期")
        first = last
    if last - first > timedelta(days=366):
        error = _("一次最多查一年")
        first = last - timedelta(days=366)
    figures = selectors.fairness(site.project, first, last)
    if request.GET.get("export") == "csv" and not error:
        return _csv(figures)
    context = {"project": site.project, "site": site, "f": figures, "form": form, "error": error}
    return render(request, "rotation/fairness.html", context, status=422 if error else 200)


def _csv(f: selectors.Fairness) -> HttpResponse:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["顾问", "轮到", "接待(计轮次)", "保留", "轮空", "补接", "协助", "新客户", "成交", "期望份额", "偏差"])
    for r in f.rows:
        t = r.tally
        counts = [t.offered, t.taken, t.kept, t.lost, t.make_ups, t.helped, t.new, r.converted]
        w.writerow([r.name, *counts, f"{t.expected:.2f}", f"{t.deviation:+.2f}"])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fairness-{f.first}-{f.last}.csv"'
    return response
