"""The agents' phone page: report a customer, see my reports with their state and deadlines,
download each report's receipt (回执) as a file.

The form is checked by ``guishu.core.inputs``, as the API is; an error names the field in
words (客户电话: 不是中国大陆的号码). People are shown by name, statuses in words, times in the
site's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guishu.api import receipts
from guishu.api.reports import ReportReceipt, reports_of, submit_report
from guishu.core import inputs
from guishu.desk.views import DeskRequest
from guishu.record.actions import RecordInputError
from guishu.sites import selectors
from guishu.sites.access import SiteAccess, site_view
from guishu.sites.templatetags.words import report_status

LABELS: dict[str, Promise] = {
    "name": gettext_lazy("客户姓名"),
    "gender": gettext_lazy("性别"),
    "phone": gettext_lazy("客户电话"),
}


def _gender(raw: str | None) -> str:
    if raw in ("M", "F"):
        return raw
    raise inputs.InputError("只能是男或女", "must be male or female")


CHECKS = (("name", inputs.clean_name), ("gender", _gender), ("phone", inputs.clean_report_phone))


def _in_chinese() -> bool:
    return (translation.get_language() or "zh-hans").startswith("zh")


def _say(zh: str, en: str) -> str:
    return zh if _in_chinese() else en


def read_report(post: QueryDict) -> tuple[dict[str, str], list[str]]:
    """The form's values, cleaned, and an error per field refused (its label, then why)."""
    values: dict[str, str] = {}
    errors: list[str] = []
    for key, check in CHECKS:
        try:
            values[key] = check(post.get(key, ""))
        except inputs.InputError as exc:
            errors.append(f"{LABELS[key]}: {_say(exc.zh, exc.en)}")
    return values, errors


@dataclass(frozen=True)
class Row:
    """A report as the page shows it."""

    seq: int
    hash: str
    at: datetime  # in the site's zone
    agent: str  # the agent's name
    name: str
    phone: str
    status: str  # the code, for the page's colour
    status_word: str
    valid_until: datetime | None
    message: str

    @property
    def owned(self) -> bool:
        return self.status == "accepted"


def _row(r: ReportReceipt, tz: ZoneInfo, names: dict[str, str]) -> Row:
    agent = str(r.payload.get("agent", ""))
    return Row(
        seq=r.entry.seq,
        hash=r.entry.hash,
        at=r.at(tz),
        agent=names.get(agent, agent),
        name=str(r.payload.get("name", "")),
        phone=str(r.payload.get("phone", "")),
        status=r.status,
        status_word=report_status(r.status),  # the one vocabulary of every screen
        valid_until=r.valid_until(tz),
        message=_say(*r.message(tz)),
    )


@site_view("agent_page")
def agent_page(request: DeskRequest, site: SiteAccess) -> HttpResponse:
    firm_manager = site.role == "channel_manager"  # sees his firm's agents' reports
    if not site.channel:
        return HttpResponse(_("您的账号未关联分销单位"), status=403)
    tz = ZoneInfo(site.project.timezone)
    names = selectors.names_of(site.project)
    answer: Row | None = None
    errors: list[str] = []
    status = 200
    typed: dict[str, str] = {}
    if request.method == "POST":
        values, errors = read_report(request.POST)
        if not errors:
            try:
                receipt = submit_report(project=site.project, channel=site.channel, agent=site.staff, **values)
                answer = _row(receipt, tz, names)
            except RecordInputError as exc:
                errors = [f"{LABELS.get(exc.field, exc.field)}: {_say(exc.zh, exc.en)}"]
        if errors:
            status = 422
            typed = {k: request.POST.get(k, "")[: inputs.TEXT_MAX] for k in LABELS}
    firm = selectors.channels(site.project).get(site.channel, site.channel)
    rows = reports_of(project=site.project, channel=site.channel, agent=None if firm_manager else site.staff)
    context = {
        "project": site.project,
        "site": site,
        "firm": firm,
        "timezone": site.project.timezone,
        "answer": answer,
        "errors": errors,
        "typed": typed,
        "firm_manager": firm_manager,
        "name_max": inputs.NAME_MAX,
        "phone_max": inputs.PHONE_MAX,
        "reports": [_row(r, tz, names) for r in rows],
        "key_id": receipts.key_id(),  # to compare with a receipt's tree_head.key
    }
    return render(request, "api/agent.html", context, status=status)


@site_view("agent_page", methods=("GET",))
def agent_receipt(request: DeskRequest, site: SiteAccess, seq: int) -> HttpResponse:
    """下载回执: the receipt of one of his own entries (his firm's, for its manager) as a JSON
    file, under today's signed head. The URL names the entry by its seq only, never a phone;
    another firm's entry does not exist here (404)."""
    if not site.channel:
        return HttpResponse(_("您的账号未关联分销单位"), status=403)
    agent = None if site.role == "channel_manager" else site.staff
    if receipts.own_entry(project=site.project, seq=seq, channel=site.channel, agent=agent) is None:
        raise Http404(_("没有这条回执"))
    name, body = receipts.as_file(receipts.document(site.project, seq))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
