"""The agents' phone page: report a customer, see my reports with their state and deadlines."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from guishu.api.reports import reports_of, submit_report
from guishu.desk.views import DeskRequest, current_project
from guishu.record import engines
from guishu.record.actions import RecordInputError


@login_required
def agent_page(request: DeskRequest) -> HttpResponse:
    project = current_project(request)
    agent = request.user.get_username()
    live = engines.live_engine(project)
    with live.lock:
        person = live.engine.staff.people.get(agent)
    if person is None or person.role not in ("agent", "channel_manager") or not person.channel:
        return HttpResponse("仅限分销个人 / channel agents only", status=403)
    firm_manager = person.role == "channel_manager"  # sees his firm's agents' reports
    answer, error, status = None, "", 200
    if request.method == "POST":
        p = request.POST
        try:
            answer = submit_report(
                project=project,
                channel=person.channel,
                agent=agent,
                name=p.get("name", ""),
                gender=p.get("gender", ""),
                phone=p.get("phone", ""),
            )
        except RecordInputError as exc:
            error, status = f"{exc.field}: {exc.message}", 422
    context = {
        "project": project,
        "channel": person.channel,
        "answer": answer,
        "error": error,
        "firm_manager": firm_manager,
        "reports": reports_of(project=project, channel=person.channel, agent=None if firm_manager else agent),
    }
    return render(request, "api/agent.html", context, status=status)
