"""备案与关系: one page, each form for whoever may use it; a refusal shows the page again with
the error naming its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render

from guishu.desk.views import DeskRequest
from guishu.filings import actions, selectors
from guishu.filings.forms import CustomerForm, MilestoneForm, RelationForm
from guishu.sites.access import SiteAccess, site_view
from guishu.sites.forms import LabelledForm


def _forms(data: Any = None, posted: str = "") -> dict[str, LabelledForm]:
    def bound(name: str) -> Any:
        return data if posted == name else None

    return {
        "pre_file": CustomerForm(bound("pre_file"), prefix="p"),
        "developer_notice": CustomerForm(bound("developer_notice"), prefix="n"),
        "relate": RelationForm(bound("relate"), prefix="r"),
        "milestone": MilestoneForm(bound("milestone"), prefix="m"),
    }


def _page(
    request: DeskRequest, site: SiteAccess, forms: dict[str, LabelledForm], error: str = "", status: int = 200
) -> HttpResponse:
    own = site.role in ("consultant", "supervisor")
    context = {
        "project": site.project,
        "site": site,
        "forms": forms,
        "error": error,
        "may": {a: actions.offered(site, a) for a in forms},
        "lines": selectors.latest(site.project, consultant=site.staff if own else None),
    }
    return render(request, "filings/page.html", context, status=status)


@site_view("filings", methods=("GET",))
def page(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _page(request, site, _forms())


def _post(request: DeskRequest, site: SiteAccess, name: str, write: Callable[[dict[str, Any]], object]) -> HttpResponse:
    forms = _forms(request.POST, name)
    form = forms[name]
    status = form.submit(write)
    if status is None:
        return redirect("filings", site.project.code)
    return _page(request, site, forms, form.error_text(), status)


@site_view("pre_file", methods=("POST",))
def pre_file(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _post(request, site, "pre_file", lambda d: actions.pre_file(access=site, phone=d["phone"], name=d["name"]))


@site_view("developer_notice", methods=("POST",))
def developer_notice(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _post(
        request,
        site,
        "developer_notice",
        lambda d: actions.developer_notice(access=site, phone=d["phone"], name=d["name"]),
    )


@site_view("relate", methods=("POST",))
def relate(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _post(
        request,
        site,
        "relate",
        lambda d: actions.relate(access=site, phone_a=d["phone_a"], phone_b=d["phone_b"], relation=d["relation"]),
    )


@site_view("milestone", methods=("POST",))
def milestone(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _post(request, site, "milestone", lambda d: actions.milestone(access=site, name=d["milestone"]))
