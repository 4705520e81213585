"""结佣单: the month's commission statements of every payee (finance, the manager, the
developer's marketing manager), one payee's statement with the rule and facts behind each
line, finance's approval, the exports, and the commission rates. Thin: ``selectors`` read,
``actions`` write, ``guishu.core.statements`` decides."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guishu.desk.views import DeskRequest
from guishu.letters import render as printing
from guishu.letters import selectors as letter_selectors
from guishu.letters.views import document_context
from guishu.penalties.selectors import Period, PeriodError, period
from guishu.record.actions import RecordInputError
from guishu.sites import excel
from guishu.sites.access import SiteAccess, site_view
from guishu.sites.templatetags import words
from guishu.statements import actions, selectors
from guishu.statements.forms import RateForm

MONTH_ERROR = gettext_noop("月份: 应为 年-月(如 2026-03)")


def _month(request: DeskRequest, site: SiteAccess, source: Any = None) -> tuple[Period | None, str]:
    asked = (source if source is not None else request.GET).get("month")
    try:
        when = period(site.project, asked)
    except PeriodError:
        return None, _(MONTH_ERROR)
    if when.start is None:  # "all": a statement is of one month
        return None, _(MONTH_ERROR)
    return when, ""


def _context(site: SiteAccess, **more: Any) -> dict[str, Any]:
    return {"project": site.project, "site": site, **more}


@site_view("statements", methods=("GET",))
def page(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """Every payee's statement of the month: earned, adjusted, fines, total, and its state."""
    when, error = _month(request, site)
    sheets = selectors.sheets(site.project, when) if when is not None else []
    context = _context(
        site,
        error=error,
        month=when.key if when else request.GET.get("month", ""),
        sheets=sheets,
        sum=selectors.total(sheets),
        may_rates=site.can("commission_rates"),
    )
    return render(request, "statements/page.html", context, status=422 if error else 200)


def _payee_page(
    request: DeskRequest,
    site: SiteAccess,
    payee: str,
    when: Period | None,
    error: str = "",
    status: int = 200,
    *,
    own: bool = False,
) -> HttpResponse:
    known = selectors.payees_known(site.project)
    if when is None or (payee not in known and not own):
        error = error or (_("结佣对象: 不是本案场的结佣对象") if when is not None else _(MONTH_ERROR))
        return render(request, "statements/payee.html", _context(site, error=error, sheet=None), status=422)
    sheet = selectors.sheet(site.project, payee, when)
    context = _context(
        site,
        error=error,
        sheet=sheet,
        month=when.key,
        people=words.people_of(site.project),
        may_approve=site.can("approve_statement") and sheet.state == "open" and bool(sheet.statement.lines),
        may_export=site.can("statements"),
        may_deals=site.can("deals"),
        own=own,
    )
    return render(request, "statements/payee.html", context, status=status)


@site_view("statements", methods=("GET",))
def payee(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """One payee's statement: each line with its stage, price, rate, share and the rule behind it."""
    when, error = _month(request, site)
    return _payee_page(request, site, (request.GET.get("payee") or "").strip(), when, error)


@site_view("own_statement", methods=("GET",))
def mine(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """我的结佣: a consultant's own statement of the month, a channel firm's manager his firm's;
    the same lines finance sees, read only."""
    when, error = _month(request, site)
    payee = site.channel if site.role == "channel_manager" else site.staff
    return _payee_page(request, site, payee or "", when, error, 422 if error else 200, own=True)


@site_view("approve_statement", methods=("POST",))
def approve(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """结佣审批: finance approves the statement as shown (its total sent back)."""
    when, error = _month(request, site, request.POST)
    who = (request.POST.get("payee") or "").strip()
    if when is None:
        return _payee_page(request, site, who, None, error, 422)
    try:
        actions.approve(access=site, payee=who, period=when, total=request.POST.get("total", ""))
    except RecordInputError as exc:
        label = {"total": _("合计"), "month": _("月份"), "payee": _("结佣对象")}.get(exc.field, _("结算单"))
        return _payee_page(request, site, who, when, f"{label}: {words.in_language(exc.message)}", 422)
    return redirect(f"{reverse('statement', args=[site.project.code])}?payee={who}&month={when.key}")


HEADERS = (
    gettext_noop("时间"),
    gettext_noop("类别"),
    gettext_noop("成交"),
    gettext_noop("房号"),
    gettext_noop("节点"),
    gettext_noop("成交价(元)"),
    gettext_noop("比例"),
    gettext_noop("分成"),
    gettext_noop("金额(元)"),
    gettext_noop("依据"),
    gettext_noop("说明"),
)


@site_view("statements", methods=("GET",))
def export(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The month's statements (or one payee's) as an .xlsx: Chinese headers, the site's time."""
    when, error = _month(request, site)
    if when is None:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    who = (request.GET.get("payee") or "").strip()
    if not who:
        sheets = selectors.sheets(site.project, when)
        rows: list[list[excel.Cell]] = [
            [
                s.name,
                words.word(words.PAYEE_KINDS, s.kind),
                len(s.statement.lines),
                len(s.statement.held),
                s.statement.total,
                words.word(words.STATEMENT_STATES, s.state),
                s.approved_by,
            ]
            for s in sheets
        ]
        headers = [_("结佣对象"), _("类别"), _("行数"), _("暂缓"), _("合计(元)"), _("状态"), _("审批人")]
        return excel.response(
            excel.workbook(_("结佣汇总"), headers, rows), f"statements-{site.project.code}-{when.key}"
        )
    if who not in selectors.payees_known(site.project):
        return HttpResponse(_("结佣对象: 不是本案场的结佣对象"), status=422, content_type="text/plain; charset=utf-8")
    sheet = selectors.sheet(site.project, who, when)
    rows = selectors.line_cells(site.project, sheet)
    title = f"{sheet.name} {when.key}"
    return excel.response(
        excel.workbook(title, [_(h) for h in HEADERS], rows), f"statement-{site.project.code}-{who}-{when.key}"
    )


@site_view("statements", methods=("GET",))
def pdf(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """One payee's statement printed (PDF): its lines as the screen and the Excel show them;
    once approved, the QR of the approval's entry in the record."""
    when, error = _month(request, site)
    who = (request.GET.get("payee") or "").strip()
    if when is None:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    if who not in selectors.payees_known(site.project):
        return HttpResponse(_("结佣对象: 不是本案场的结佣对象"), status=422, content_type="text/plain; charset=utf-8")
    sheet = selectors.sheet(site.project, who, when)
    approval = sheet.statement.approval
    basis = letter_selectors.basis(site.project, approval.id) if approval is not None else None
    rows = [
        [
            words.minute(c, site.project)
            if isinstance(c, datetime)
            else words.money(c)
            if isinstance(c, Decimal)
            else c
            for c in row
        ]
        for row in selectors.line_cells(site.project, sheet)
    ]
    context = document_context(
        request, site, basis, sheet=sheet, month=when.key, headers=[_(h) for h in HEADERS], rows=rows
    )
    document = printing.pdf("letters/statement.html", context)
    return printing.response(document, f"statement-{site.project.code}-{who}-{when.key}")


def _rates_page(
    request: DeskRequest, site: SiteAccess, form: RateForm | None = None, status: int = 200
) -> HttpResponse:
    firms = words.firms_of(site.project)
    people = words.people_of(site.project)
    context = _context(
        site,
        rates=list(reversed(selectors.rates(site.project))),
        firms=firms,
        people=people,
        form=form or RateForm(firms=firms),
        may_record=site.can("commission_rates"),
    )
    return render(request, "statements/rates.html", context, status=status)


@site_view("statements", methods=("GET",))
def rates(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """The site's commission rates and channel contracts, newest first."""
    return _rates_page(request, site)


@site_view("commission_rates", methods=("POST",))
def record_rate(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """佣金标准 entered by marketing or finance."""
    form = RateForm(request.POST, firms=words.firms_of(site.project))
    status = form.submit(
        lambda d: actions.record_rate(
            access=site,
            payee=d["payee"],
            percent=d["percent"],
            valid_from=d["valid_from"],
            valid_until=d.get("valid_until"),
            unit_type=d.get("unit_type") or "",
            channel=d.get("channel") or "",
            contract=d.get("contract") or "",
        )
    )
    if status is None:
        return redirect("statement_rates", site.project.code)
    return _rates_page(request, site, form, status)
