"""投诉与争议: one page, each part shown to whoever may use it; each form posts to its own URL
and a refusal shows the page again with the error naming the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render

from guishu.desk.selectors import sellers
from guishu.desk.views import DeskRequest
from guishu.disputes import actions, selectors
from guishu.disputes.forms import AppealForm, DecisionForm, DisputeForm, FileComplaintForm
from guishu.record import engines
from guishu.record.models import Membership
from guishu.sites.access import SiteAccess, site_view
from guishu.sites.forms import LabelledForm


def _deciders(site: SiteAccess) -> list[tuple[str, str]]:
    rows = Membership.objects.filter(project=site.project, role__in=actions.DECIDERS, left_at__isnull=True)
    return list(rows.order_by("role", "name").values_list("staff", "name"))


def _clauses(site: SiteAccess) -> list[str]:
    """The site's clauses, S18.16 (the dispute's own) first where the policy has it."""
    policy = engines.policy_now(site.project)
    clauses = sorted(set(policy.rules) | set(policy.not_computable))
    return sorted(clauses, key=lambda c: c != "S18.16")


def _forms(site: SiteAccess, data: Any = None, *, posted: str = "") -> dict[str, LabelledForm]:
    people = sellers(site.project)

    def bound(name: str) -> Any:
        return data if posted == name else None

    return {
        "complaint": FileComplaintForm(bound("complaint"), sellers=people),
        "dispute": DisputeForm(bound("dispute"), prefix="d"),
        # drawn once per line of the lists: no ids, each field inside its label
        "decision": DecisionForm(bound("decision"), sellers=people, clauses=_clauses(site), auto_id=False),
        "appeal": AppealForm(bound("appeal"), sellers=people, deciders=_deciders(site), prefix="a", auto_id=False),
    }


def _page(
    request: DeskRequest, site: SiteAccess, forms: dict[str, LabelledForm], error: str = "", status: int = 200
) -> HttpResponse:
    project = site.project
    mine_only = site.role in ("consultant", "supervisor")
    context = {
        "project": project,
        "site": site,
        "forms": forms,
        "error": error,
        "may": {a: site.can(a) for a in ("complain", "dispute", "decide", "appeal")},
        "disputes": selectors.disputes(project, filer=site.staff if mine_only else None),
        "rulings": selectors.rulings(project) if site.can("decide") or site.can("appeal") else [],
        "appeals": selectors.appeals(project) if not mine_only else [],
    }
    return render(request, "disputes/page.html", context, status=status)


@site_view("disputes", methods=("GET",))
def page(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _page(request, site, _forms(site))


def _post(request: DeskRequest, site: SiteAccess, name: str, write: Callable[[dict[str, Any]], object]) -> HttpResponse:
    forms = _forms(site, request.POST, posted=name)
    form = forms[name]
    status = form.submit(write)
    if status is None:
        return redirect("disputes", site.project.code)
    return _page(request, site, forms, form.error_text(), status)


@site_view("complain", methods=("POST",))
def complaint(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _post(
        request,
        site,
        "complaint",
        lambda d: actions.file_complaint(access=site, phone=d["phone"], against=d["against"], type=d["type"]),
    )


@site_view("dispute", methods=("POST",))
def dispute(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _post(
        request, site, "dispute", lambda d: actions.raise_dispute(access=site, phone=d["phone"], note=d["note"])
    )


@site_view("decide", methods=("POST",))
def decision(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _post(
        request,
        site,
        "decision",
        lambda d: actions.decide_dispute(
            access=site, dispute=d["dispute"], owner=d["owner"], rule=d["rule"], reason=d["reason"]
        ),
    )


@site_view("appeal", methods=("POST",))
def appeal(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _post(
        request,
        site,
        "appeal",
        lambda d: actions.record_appeal(
            access=site,
            ruling=d["ruling"],
            appellant=d["appellant"],
            outcome=d["outcome"],
            responsible=list(d["responsible"]),
            owner=d["owner"],
        ),
    )
