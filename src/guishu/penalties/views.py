"""罚款台账: the manager's and finance's view of the site's penalties for a month, and its
export to Excel. Thin: the ledger is read from the engine by ``selectors``."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from guishu.desk.views import DeskRequest
from guishu.penalties import selectors
from guishu.sites import excel
from guishu.sites.access import SiteAccess, site_view
from guishu.sites.templatetags import words


def _period(request: DeskRequest, site: SiteAccess) -> tuple[selectors.Period | None, str]:
    try:
        return selectors.period(site.project, request.GET.get("month")), ""
    except selectors.PeriodError:
        return None, _("月份: 应为 年-月(如 2026-03)或 全部")


@site_view("penalties", methods=("GET",))
def page(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """Each penalty of the month with its rule, facts and any appeal; each person's totals."""
    when, error = _period(request, site)
    context = {
        "project": site.project,
        "site": site,
        "error": error,
        "month": request.GET.get("month", "") if error else (when.key if when else ""),
        "ledger": selectors.ledger(site.project, when) if when is not None else None,
    }
    return render(request, "penalties/page.html", context, status=422 if error else 200)


@site_view("penalties", methods=("GET",))
def export(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The month's ledger as an .xlsx: Chinese headers, times in the site's zone."""
    when, error = _period(request, site)
    if when is None:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    ledger = selectors.ledger(site.project, when)
    zone = words.site_zone(site.project)
    headers = [_("时间"), _("人员"), _("处理"), _("金额(元)"), _("依据"), _("原因"), _("涉及记录"), _("申诉")]
    rows: list[list[excel.Cell]] = [
        [
            line.at.astimezone(zone),
            line.person,
            line.action,
            line.amount,
            line.rule,
            line.why,
            "、".join(line.facts),
            line.appeal,
        ]
        for line in ledger.lines
    ]
    return excel.response(excel.workbook(_("罚款台账"), headers, rows), f"penalties-{site.project.code}-{when.key}")
