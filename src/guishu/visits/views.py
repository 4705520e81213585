"""Visit confirmation screens: the clerk opens a form, each party signs under his own login."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from guishu.desk.views import DeskRequest, current_project
from guishu.record.actions import RecordInputError
from guishu.visits import actions
from guishu.visits.models import VisitForm


@login_required
def forms(request: DeskRequest) -> HttpResponse:
    project = current_project(request)
    error = ""
    if request.method == "POST":
        if not request.user.has_perm("desk.check_registers"):
            return HttpResponse(status=403)
        p = request.POST
        try:
            if p.get("came_alone"):
                actions.confirm_alone(
                    project=project,
                    clerk=request.user,
                    name=p.get("name", ""),
                    gender=p.get("gender", ""),
                    phone=p.get("phone", ""),
                    named_channel=p.get("named_channel", ""),
                    records_verified=bool(p.get("records_verified")),
                )
                return redirect("visit_forms")
            actions.open_form(
                project=project,
                clerk=request.user,
                name=p.get("name", ""),
                gender=p.get("gender", ""),
                phone=p.get("phone", ""),
                phone_shown=p.get("phone_shown", ""),
                channel=p.get("channel", ""),
                agent=p.get("agent", ""),
            )
            return redirect("visit_forms")
        except RecordInputError as exc:
            error = f"{exc.field}: {exc.message}"
    open_forms = VisitForm.objects.filter(project=project, fact_id="").prefetch_related("signatures").order_by("-pk")
    groups = set(request.user.groups.values_list("name", flat=True))
    if request.user.has_perm("desk.check_registers") or "marketing_manager" in groups:
        visible = open_forms
    elif "agent" in groups:  # an agent sees his own channel's forms only
        visible = open_forms.filter(agent=request.user.get_username())
    else:
        visible = open_forms.none()
    rows = [(f, {s.role for s in f.signatures.all()}, actions.role_of(request.user, f)) for f in visible[:100]]
    return render(
        request, "visits/forms.html", {"project": project, "rows": rows, "error": error}, status=422 if error else 200
    )


@login_required
@require_POST
def sign(request: DeskRequest, pk: int) -> HttpResponse:
    project = current_project(request)
    form = get_object_or_404(VisitForm, pk=pk, project=project)
    try:
        actions.sign(form=form, user=request.user)
    except RecordInputError as exc:
        return HttpResponse(exc.message, status=403 if exc.field == "role" else 409)
    return redirect("visit_forms")
