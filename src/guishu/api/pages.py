"""The agents' phone page: report a customer, see my reports with their state and deadlines."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from guishu.api.reports import reports_of, submit_report
from guishu.desk.views import DeskRequest
from guishu.record.actions import RecordInputError
from guishu.sites.access import SiteAccess, site_view

LABELS = {"name": "客户姓名", "gender": "性别", "phone": "客户电话"}


@site_view("agent_page")
def agent_page(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    firm_manager = site.role == "channel_manager"  # sees his firm's agents' reports
    answer, error, status = None, "", 200
    if not site.channel:
        return HttpResponse("您的账号未关联分销单位 / no channel firm on your membership", status=403)
    if request.method == "POST":
        p = request.POST
        try:
            answer = submit_report(
                project=site.project,
                channel=site.channel,
                agent=site.staff,
                name=p.get("name", ""),
                gender=p.get("gender", ""),
                phone=p.get("phone", ""),
            )
        except RecordInputError as exc:
            error, status = f"{LABELS.get(exc.field, exc.field)}: {exc.message.partition(' / ')[0]}", 422
    context = {
        "project": site.project,
        "site": site,
        "channel": site.channel,
        "answer": answer,
        "error": error,
        "firm_manager": firm_manager,
        "reports": reports_of(project=site.project, channel=site.channel, agent=None if firm_manager else site.staff),
    }
    return render(request, "api/agent.html", context, status=status)
