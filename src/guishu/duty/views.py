"""The duty sheet (考勤) and a leaver's customers (离职客户): thin screens over the actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import redirect, render

from guishu.corrections.views import correct_posted
from guishu.desk.selectors import sellers
from guishu.desk.views import DeskRequest
from guishu.duty import actions, selectors
from guishu.duty.forms import AssignForm, DutyForm
from guishu.sites.access import SiteAccess, site_view

if TYPE_CHECKING:
    from guishu.sites.forms import LabelledForm


def _sheet(
    request: DeskRequest, site: SiteAccess, form: DutyForm | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "project": site.project,
        "site": site,
        "form": form or DutyForm(sellers=sellers(site.project)),
        "rows": selectors.sheet(site.project),
        "lines": selectors.today(site.project),
        "may_correct": site.can("correct"),
        "may_pool": site.can("pool"),
        "error": error,
    }
    return render(request, "duty/sheet.html", context, status=status)


@site_view("duty", methods=("GET", "POST"))
def sheet(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """Who is at work now; a status entered for a consultant from now (S4.9, S7.4, S10.8, S16.6)."""
    if request.method == "GET":
        return _sheet(request, site)
    form = DutyForm(request.POST, sellers=sellers(site.project))
    status = form.submit(
        lambda d: actions.record_duty(access=site, staff=d["staff"], status=d["status"], until=d["until"])
    )
    if status is None:
        return redirect("duty", site.project.code)
    return _sheet(request, site, form, form.error_text(), status)


@site_view("correct", methods=("POST",))
def correct(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """A duty entry made in error, voided with its reason (S1.4, S8.12)."""
    error, status = correct_posted(request, site)
    if not error:
        return redirect("duty", site.project.code)
    return _sheet(request, site, error=error, status=status)


def _pool(request: DeskRequest, site: SiteAccess, form: LabelledForm | None = None, status: int = 200) -> HttpResponse:
    items, count = selectors.pool(site.project)
    context = {
        "project": site.project,
        "site": site,
        "items": items,
        "count": count,
        "sellers": sellers(site.project),
        "error": form.error_text() if form is not None else "",
        "rule": actions.POOL_RULE,
    }
    return render(request, "duty/pool.html", context, status=status)


@site_view("pool", methods=("GET",))
def pool(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """离职客户 (S16.3): the customers a departure left; those without a deposit await the manager."""
    return _pool(request, site)


@site_view("pool", methods=("POST",))
def assign(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """S16.3 "由经理安排": the manager gives one of them to a consultant, with his reason."""
    form = AssignForm(request.POST, sellers=sellers(site.project))
    status = form.submit(lambda d: actions.assign(access=site, group=d["group"], owner=d["owner"], reason=d["reason"]))
    if status is None:
        return redirect("duty_pool", site.project.code)
    return _pool(request, site, form, status)
