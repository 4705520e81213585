"""Visit confirmation screens: the clerk opens a form, each party signs under his own login."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from guishu.desk.views import DeskRequest
from guishu.record.actions import RecordInputError
from guishu.sites.access import SiteAccess, site_view
from guishu.sites.selectors import channel_staff, channels
from guishu.visits import actions
from guishu.visits.models import VisitForm

LABELS = {
    "name": "客户姓名",
    "gender": "性别",
    "phone": "客户全号码",
    "phone_shown": "确认单上的遮挡号码",
    "agent": "分销个人",
    "role": "签字",
    "form": "确认单",
}


@site_view("visits")
def forms(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if not site.can("open_visit"):
            raise PermissionDenied
        p = request.POST
        try:
            if p.get("came_alone"):
                actions.confirm_alone(
                    access=site,
                    name=p.get("name", ""),
                    gender=p.get("gender", ""),
                    phone=p.get("phone", ""),
                    named_channel=p.get("named_channel", ""),
                    records_verified=bool(p.get("records_verified")),
                )
            else:
                actions.open_form(
                    access=site,
                    name=p.get("name", ""),
                    gender=p.get("gender", ""),
                    phone=p.get("phone", ""),
                    phone_shown=p.get("phone_shown", ""),
                    agent=p.get("agent", ""),
                )
            return redirect("visit_forms", site.project.code)
        except RecordInputError as exc:
            zh = exc.message.partition(" / ")[0]
            error = f"{LABELS.get(exc.field, exc.field)}: {zh}"
    open_forms = VisitForm.objects.filter(project=site.project, fact_id="").prefetch_related("signatures")
    open_forms = open_forms.order_by("-pk")
    if site.role == "agent":  # an agent sees his own forms only
        open_forms = open_forms.filter(agent=site.staff, channel=site.channel)
    rows = [(f, {s.role for s in f.signatures.all()}, actions.role_of(site, f)) for f in open_forms[:100]]
    agents = channel_staff(site.project, channels(site.project), roles=("agent",))
    context = {"project": site.project, "site": site, "rows": rows, "error": error, "agents": agents}
    return render(request, "visits/forms.html", context, status=422 if error else 200)


@site_view("sign_visit", methods=("POST",))
def sign(request: DeskRequest, site: SiteAccess, pk: int) -> HttpResponse:
    form = VisitForm.objects.filter(pk=pk, project=site.project).first()
    if form is None or (site.role == "agent" and form.agent != site.staff):
        raise Http404  # another firm's form is as good as unknown
    try:
        actions.sign(access=site, form=form)
    except RecordInputError as exc:
        return HttpResponse(exc.message, status=403 if exc.field == "role" else 409)
    return redirect("visit_forms", site.project.code)
