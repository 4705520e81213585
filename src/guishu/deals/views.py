"""成交: the site's deals with their splits now, a form for a new one; each deal's card with
what followed it and the forms of who may add to it. A refusal shows the screen again with
the error naming its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from guishu.deals import actions, selectors
from guishu.deals.forms import CheckForm, CustomerCheckForm, DealForm, PaymentForm, RefundForm, UnitForm
from guishu.desk.selectors import sellers
from guishu.desk.views import DeskRequest
from guishu.sites.access import SiteAccess, site_view
from guishu.sites.forms import LabelledForm
from guishu.sites.roles import SELLERS
from guishu.sites.templatetags import words


def _own(site: SiteAccess) -> str | None:
    """A consultant sees the deals he closed or assisted; the others every deal of the site."""
    return site.staff if site.role in SELLERS else None


def _deal_form(site: SiteAccess, data: Any = None) -> DealForm:
    policy = actions.policy_now(site)
    ask_override = policy.modules.qualification and site.can("override_checks")
    return DealForm(data, sellers=sellers(site.project), policy=policy, ask_override=ask_override)


def _check_items(site: SiteAccess, *, posted: bool = False) -> list[tuple[str, str]]:
    """The items of the site's checklist (S2, S15.4) in words, none where it checks nobody; a
    posted check may name any item (the action says why the site's policy does not ask it)."""
    if posted:
        return [(item, str(name)) for item, name in words.CHECK_ITEMS.items()]
    modules = actions.policy_now(site).modules
    if not (modules.qualification and site.can("check_qualification")):
        return []
    return [(item, str(words.word(words.CHECK_ITEMS, item))) for item in modules.checks]


def _page(
    request: DeskRequest,
    site: SiteAccess,
    form: DealForm | None = None,
    status: int = 200,
    check_form: CustomerCheckForm | None = None,
) -> HttpResponse:
    page, lines = selectors.deals_page(site.project, request.GET.get("page"), staff=_own(site))
    may_record = site.can("record_deal")
    items = _check_items(site)
    shown = form or check_form
    context = {
        "project": site.project,
        "site": site,
        "form": (form or _deal_form(site)) if may_record else None,
        "check_form": (check_form or CustomerCheckForm(items=items, prefix="c")) if items else None,
        "error": shown.error_text() if shown is not None else "",
        "page": page,
        "lines": lines,
    }
    return render(request, "deals/page.html", context, status=status)


@site_view("deals", methods=("GET",))
def page(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    return _page(request, site)


@site_view("record_deal", methods=("POST",))
def new(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    form = _deal_form(site, request.POST)

    def write(d: dict[str, Any]) -> object:
        return actions.record_deal(
            access=site,
            phone=d["phone"],
            type=d["type"],
            closer=d["closer"],
            closer_knew=bool(d.get("closer_knew")),
            assistants=form.assistants(),
            buyer_name=d["buyer_name"],
            company=d["company"],
            unit=d["unit"],
            unit_type=d.get("unit_type") or "",
            amount=d["amount"],
            id_number=d.get("id_number", ""),
            group_purchase=bool(d.get("group_purchase")),
            checks_overridden=d.get("checks_overridden", ""),
        )

    status = form.submit(write)
    if status is None:
        return redirect("deals", site.project.code)
    return _page(request, site, form, status)


@site_view("check_qualification", methods=("POST",))
def check(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    """资格审核 of a customer by his phone (S2, S15.4), before or without a deal of his."""
    form = CustomerCheckForm(request.POST, items=_check_items(site, posted=True), prefix="c")
    status = form.submit(
        lambda d: actions.record_check(
            access=site, phone=d["phone"], item=d["item"], passed=CheckForm.passed(d), note=d["note"]
        )
    )
    if status is None:
        return redirect("deals", site.project.code)
    return _page(request, site, status=status, check_form=form)


def _card_forms(site: SiteAccess, data: Any = None, posted: str = "") -> dict[str, LabelledForm]:
    def bound(name: str) -> Any:
        return data if posted == name else None

    return {
        "unit": UnitForm(bound("unit"), prefix="u"),
        "payment": PaymentForm(bound("payment"), prefix="p"),
        "refund": RefundForm(bound("refund"), prefix="r"),
        "check": CheckForm(bound("check"), items=_check_items(site, posted=posted == "check"), prefix="k"),
    }


def _card(
    request: DeskRequest,
    site: SiteAccess,
    fact: str,
    forms: dict[str, LabelledForm],
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    card = selectors.card(site.project, fact, staff=_own(site))
    if card is None:
        raise Http404(_("没有这笔成交"))
    open_ = not card.refunded and not card.invalid
    context = {
        "project": site.project,
        "site": site,
        "card": card,
        "forms": forms,
        "error": error,
        "may": {
            "unit": open_ and site.can("record_deal"),
            "payment": open_ and site.can("record_payment"),
            "refund": open_ and site.can("refund"),
            "check": open_ and bool(card.checks) and site.can("check_qualification"),
        },
    }
    return render(request, "deals/card.html", context, status=status)


@site_view("deals", methods=("GET",))
def card(request: DeskRequest, site: SiteAccess, fact: str) -> HttpResponse:
    return _card(request, site, fact, _card_forms(site))


def _post(
    request: DeskRequest, site: SiteAccess, fact: str, name: str, write: Callable[[dict[str, Any]], object]
) -> HttpResponse:
    forms = _card_forms(site, request.POST, name)
    form = forms[name]
    status = form.submit(write)
    if status is None:
        return redirect("deal", site.project.code, fact)
    if selectors.card(site.project, fact, staff=_own(site)) is None:
        raise Http404(_("没有这笔成交"))
    return _card(request, site, fact, forms, form.error_text(), status)


@site_view("record_deal", methods=("POST",))
def change_unit(request: DeskRequest, site: SiteAccess, fact: str) -> HttpResponse:
    return _post(
        request,
        site,
        fact,
        "unit",
        lambda d: actions.change_unit(access=site, deal=fact, unit=d["unit"], amount=d["amount"]),
    )


@site_view("record_payment", methods=("POST",))
def payment(request: DeskRequest, site: SiteAccess, fact: str) -> HttpResponse:
    return _post(
        request,
        site,
        fact,
        "payment",
        lambda d: actions.record_payment(access=site, deal=fact, stage=d["stage"], amount=d["amount"]),
    )


@site_view("refund", methods=("POST",))
def refund(request: DeskRequest, site: SiteAccess, fact: str) -> HttpResponse:
    return _post(request, site, fact, "refund", lambda d: actions.refund(access=site, deal=fact, reason=d["reason"]))


@site_view("check_qualification", methods=("POST",))
def check_deal(request: DeskRequest, site: SiteAccess, fact: str) -> HttpResponse:
    return _post(
        request,
        site,
        fact,
        "check",
        lambda d: actions.check_deal(
            access=site, deal=fact, item=d["item"], passed=CheckForm.passed(d), note=d["note"]
        ),
    )
