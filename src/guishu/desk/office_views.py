"""The back office: the clerk's day register and claims to verify, the manager's decisions
and his screen of who saw whose full data.

Each decision is recorded as a fact with its reason; nothing is edited (S1.4, S8.12).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guishu.core.identity import mask_phone
from guishu.corrections.views import correct_posted
from guishu.desk import actions, selectors
from guishu.desk.forms import ComplaintForm, DayForm, PolicyForm, RulingForm, VerifyForm
from guishu.desk.views import DeskRequest
from guishu.policies import catalogue_ids
from guishu.record import engines
from guishu.record.actions import RecordInputError
from guishu.sites import excel
from guishu.sites.access import NotPermitted, SiteAccess, site_view
from guishu.sites.forms import LabelledForm, refusal
from guishu.sites.templatetags import words

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIELD_LABELS: dict[str, StrOrPromise] = {
    "phone": _("客户电话"),
    "owner": _("归属顾问"),
    "rule": _("依据条款"),
    "reason": _("理由"),
    "policy": _("制度"),
    "effective_at": _("生效时间"),
    "fact": _("投诉"),
    "claim": _("认领"),
    "group": _("客户"),
    "approved": _("核实结果"),
    "checks": _("审核项"),
}


def _message(exc: RecordInputError) -> str:
    return refusal(exc, FIELD_LABELS)


@site_view("check_registers", methods=("GET",))
def clerk(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """内业: the day's registers with what does not count, and the claims to verify."""
    context = _clerk_context(request, site)
    return render(request, "desk/clerk.html", context, status=400 if context["bad_day"] else 200)


def _clerk_context(
    request: DeskRequest, site: SiteAccess, error: str = "", *, posted: bool = False
) -> dict[str, object]:
    """The day asked for (today when none is, or when it is not a day a record can hold: then
    with the reason, and the response is a 400); a correction posts its day with it."""
    form = DayForm(request.POST if posted else request.GET)
    asked = form.cleaned_data.get("day") if form.is_valid() else None
    if not form.is_valid():
        error = error or form.error_text()
    if asked is None:
        day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        day = datetime.combine(asked, time(0), tzinfo=timezone.get_current_timezone())
    return {
        "project": site.project,
        "site": site,
        "day": day,
        "lines": selectors.day_register(site.project, day),
        "pending": selectors.pending_now(site.project),
        "may_correct": site.can("correct"),
        "error": error,
        "bad_day": not form.is_valid(),
    }


@site_view("check_registers", methods=("GET",))
def clerk_export(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The day's registers as an .xlsx (S1.3, S11.3): what counts and what does not, and why;
    phones masked (S3.1: the clerk's is nobody's own customer)."""
    context = _clerk_context(request, site)
    if context["bad_day"]:
        return HttpResponse(str(context["error"]), status=422, content_type="text/plain; charset=utf-8")
    day = context["day"]
    assert isinstance(day, datetime)
    lines = selectors.day_register(site.project, day)
    zone = words.site_zone(site.project)
    headers = [str(h) for h in (_("序号"), _("时间"), _("方式"), _("顾问"), _("客户"), _("电话"), _("是否有效"))]
    rows: list[list[excel.Cell]] = []
    for line in lines:
        p = line.entry.payload if isinstance(line.entry.payload, dict) else {}
        found = p.get("customer")
        customer: dict[str, object] = found if isinstance(found, dict) else {}
        phone = str(customer.get("phone") or "")
        if line.voided is not None:
            state = _("已作废: %(reason)s") % {"reason": line.voided.reason}
        else:
            state = line.invalid or str(_("有效"))
        rows.append(
            [
                line.entry.seq,
                line.entry.at.astimezone(zone),
                words.contact_mode(str(p.get("mode", ""))),
                line.consultant,
                str(customer.get("name") or ""),
                mask_phone(phone) if phone else "",
                state,
            ]
        )
    title = _("当日登记核对")
    return excel.response(excel.workbook(str(title), headers, rows), f"register-{site.project.code}-{day:%Y-%m-%d}")


@site_view("verify_claim", methods=("POST",))
def verify_claim(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """S8.10 "经核实": the clerk or manager confirms or refuses a claim, under his own name."""
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return render(request, "desk/clerk.html", _clerk_context(request, site, form.error_text()), status=422)
    d = form.cleaned_data
    try:
        actions.verify_claim(access=site, group=d["group"], claim=d["claim"], approved=d["approved"] == "yes")
    except RecordInputError as exc:
        status = 403 if isinstance(exc, NotPermitted) else 422
        return render(request, "desk/clerk.html", _clerk_context(request, site, _message(exc)), status=status)
    return redirect("clerk", site.project.code)


@site_view("correct", methods=("POST",))
def correct_register(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """S1.4, S8.12: the clerk voids a wrong registration of the day with its reason."""
    error, status = correct_posted(request, site)
    context = _clerk_context(request, site, error, posted=True)
    if not error:
        day = context["day"]
        assert isinstance(day, datetime)
        return redirect(f"{reverse('clerk', args=[site.project.code])}?day={day:%Y-%m-%d}")
    return render(request, "desk/clerk.html", context, status=status)


@site_view("decide", methods=("GET",))
def manage(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """经理: collisions, complaints awaiting review, rulings, the project's policy."""
    return render(request, "desk/manage.html", _manage_context(site))


def _manage_context(site: SiteAccess, error: str = "") -> dict[str, object]:
    project = site.project
    return {
        "project": project,
        "site": site,
        "collisions": selectors.collisions(project)[:50],
        "complaints": selectors.complaints_awaiting(project),
        "policies": selectors.policy_history(project),
        "presets": catalogue_ids(),
        "current": engines.policy_now(project),
        "check_items": list(words.CHECK_ITEMS.items()),
        "sellers": selectors.sellers(project),
        "error": error,
    }


def _refused(request: DeskRequest, site: SiteAccess, exc: RecordInputError) -> HttpResponse:
    return render(request, "desk/manage.html", _manage_context(site, _message(exc)), status=422)


def _invalid(request: DeskRequest, site: SiteAccess, form: LabelledForm) -> HttpResponse:
    return render(request, "desk/manage.html", _manage_context(site, form.error_text()), status=422)


@site_view("decide", methods=("POST",))
def approve(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        return _invalid(request, site, form)
    try:
        actions.approve_complaint(access=site, fact=form.cleaned_data["fact"])
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return redirect("manage", site.project.code)


@site_view("decide", methods=("POST",))
def ruling(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    form = RulingForm(request.POST)
    if not form.is_valid():
        return _invalid(request, site, form)
    d = form.cleaned_data
    try:
        actions.rule_owner(access=site, phone=d["phone"], owner=d["owner"] or None, rule=d["rule"], reason=d["reason"])
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return redirect("manage", site.project.code)


@site_view("decide", methods=("POST",))
def policy(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    form = PolicyForm(request.POST)
    if not form.is_valid():
        return _invalid(request, site, form)
    d = form.cleaned_data
    try:
        actions.change_policy(
            access=site,
            policy=d["policy"],
            effective_at=d["effective_at"],
            qualification=bool(d.get("qualification")),
            checks=d.get("checks") or (),
        )
    except RecordInputError as exc:
        return _refused(request, site, exc)
    return redirect("manage", site.project.code)


@site_view("audit_views", methods=("GET",))
def full_views(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """查看记录 (S3.1): who saw which customer's full data, when and on which screen, newest
    first, from the site's record; below, the displays the old table logged before it."""
    page, lines = selectors.full_views(site.project, request.GET.get("page"))
    earlier_page, earlier = selectors.earlier_full_views(site.project, request.GET.get("earlier"))
    context = {
        "project": site.project,
        "site": site,
        "page": page,
        "lines": lines,
        "earlier_page": earlier_page,
        "earlier": earlier,
    }
    return render(request, "desk/full_views.html", context)
