"""Visit confirmation screens: the clerk opens a form, each party signs under his own login."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from guishu.desk.views import DeskRequest
from guishu.record.actions import RecordInputError
from guishu.sites.access import SiteAccess, site_view
from guishu.sites.forms import LabelledForm, refusal
from guishu.sites.selectors import channel_staff, channels
from guishu.visits import actions
from guishu.visits.forms import CameAloneForm, OpenVisitForm
from guishu.visits.models import VisitForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# a signature's refusal in words: the signing itself, or a value of the stored form
SIGN_LABELS: dict[str, StrOrPromise] = {
    **{name: field.label for name, field in OpenVisitForm.base_fields.items() if field.label},
    **OpenVisitForm.OTHER_LABELS,
}


def _submit(site: SiteAccess, form: LabelledForm) -> bool:
    """The form's fact or its stored form through the action; False with the error on the form."""
    if not form.is_valid():
        return False
    d = form.cleaned_data
    try:
        if isinstance(form, CameAloneForm):
            actions.confirm_alone(
                access=site,
                name=d["name"],
                gender=d["gender"],
                phone=d["phone"],
                named_channel=d["named_channel"],
                records_verified=d["records_verified"],
            )
        else:
            actions.open_form(
                access=site,
                name=d["name"],
                gender=d["gender"],
                phone=d["phone"],
                phone_shown=d["phone_shown"],
                agent=d["agent"],
            )
    except RecordInputError as exc:
        form.add_record_error(exc)
        return False
    return True


@site_view("visits")
def forms(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if not site.can("open_visit"):
            raise PermissionDenied
        form: LabelledForm = (
            CameAloneForm(request.POST) if request.POST.get("came_alone") else OpenVisitForm(request.POST)
        )
        if _submit(site, form):
            return redirect("visit_forms", site.project.code)
        error = form.error_text()
    open_forms = VisitForm.objects.filter(project=site.project, fact_id="").prefetch_related("signatures")
    open_forms = open_forms.order_by("-pk")
    if site.role == "agent":  # an agent sees his own forms only
        open_forms = open_forms.filter(agent=site.staff, channel=site.channel)
    rows = [(f, {s.role for s in f.signatures.all()}, actions.role_of(site, f)) for f in open_forms[:100]]
    done = VisitForm.objects.filter(project=site.project).exclude(fact_id="").order_by("-pk")
    if site.role == "agent":
        done = done.filter(agent=site.staff, channel=site.channel)
    agents = channel_staff(site.project, channels(site.project), roles=("agent",))
    context = {"project": site.project, "site": site, "rows": rows, "done": done[:20], "error": error, "agents": agents}
    return render(request, "visits/forms.html", context, status=422 if error else 200)


@site_view("sign_visit", methods=("POST",))
def sign(request: DeskRequest, site: SiteAccess, pk: int) -> HttpResponse:
    form = VisitForm.objects.filter(pk=pk, project=site.project).first()
    if form is None or (site.role == "agent" and form.agent != site.staff):
        raise Http404  # another firm's form is as good as unknown
    try:
        actions.sign(access=site, form=form)
    except RecordInputError as exc:
        return HttpResponse(refusal(exc, SIGN_LABELS), status=403 if exc.field == "role" else 409)
    return redirect("visit_forms", site.project.code)
