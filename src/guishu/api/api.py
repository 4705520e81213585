"""REST under /api/v1 for channel agents: report customers, see their own reports (S6).

Every refusal has one JSON shape (``ErrorOut``): a stable ``code``, the field's key in
``field`` and the reason in Chinese and English, the Chinese naming the field in words
(``字段不合法: 客户电话: 不是中国大陆的号码``). No input gets a 5xx.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AuthRateThrottle

from guishu.api.auth import AgentKey, key_of
from guishu.api.docs import LocalSwagger
from guishu.api.errors import describe, field_key, label
from guishu.api.reports import ReportReceipt, reports_of, submit_report
from guishu.api.schemas import (
    ErrorOut,
    FollowUpIn,
    FollowUpOut,
    GroupListIn,
    GroupListOut,
    ListQuery,
    Receipt,
    ReportIn,
    ReportOut,
)
from guishu.record.actions import Receipt as RecordReceipt
from guishu.record.actions import RecordInputError, append_fact
from guishu.record.models import Entry, Project

api = NinjaAPI(
    title="guishu channel API",
    version="1",
    urls_namespace="api-v1",
    auth=AgentKey(),
    throttle=[AuthRateThrottle("600/m")],
    docs=LocalSwagger(),
)

ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def error(
    api_: NinjaAPI, request: HttpRequest, status: int, code: str, zh: str, en: str, field: str | None = None
) -> HttpResponse:
    return api_.create_response(
        request, {"code": code, "message_zh": zh, "message_en": en, "field": field}, status=status
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    field, zh, en = describe(exc.errors)
    return error(api, request, 422, "invalid", zh, en, field)


@api.exception_handler(HttpError)
def malformed(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Bodies that are not JSON, or not UTF-8 (ninja's parse failure is an HttpError 400)."""
    if exc.status_code == 429:
        return error(api, request, 429, "throttled", "请求过于频繁,请稍后再试", "too many requests: slow down")
    return error(
        api,
        request,
        exc.status_code,
        "malformed",
        "请求格式不对: 请求正文不是 UTF-8 编码的 JSON",
        f"malformed request: the body is not JSON in UTF-8 ({exc})",
        "body",
    )


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (ninja reads it outside its parse guard)."""
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000:g} MB"
    return error(api, request, 413, "too_large", f"请求正文过大 (至多 {limit})", f"the body is over {limit}", "body")


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(
        api, request, 401, "unauthorised", "缺少或无效的接口密钥", "missing, wrong or revoked API key", "Authorization"
    )


@api.exception_handler(RecordInputError)
def refused(request: HttpRequest, exc: RecordInputError) -> HttpResponse:
    """The record refused the fact (the API's own checks come first, so this is rare)."""
    path = [int(p) if p.isdigit() else p for p in exc.field.split(".")]
    return error(api, request, 422, "refused", f"{label(path)}: {exc.zh}", f"{exc.field}: {exc.en}", field_key(path))


def _zone(project: Project) -> ZoneInfo:
    return ZoneInfo(project.timezone)


def _receipt(entry: RecordReceipt, tz: ZoneInfo) -> Receipt:
    return Receipt(seq=entry.seq, hash=entry.hash, at=entry.at.astimezone(tz))


def _out(r: ReportReceipt, tz: ZoneInfo) -> dict[str, object]:
    zh, en = r.message(tz)
    return {
        "report": r.answer.report,
        "status": r.status,
        "valid_until": r.valid_until(tz),
        "message_zh": zh,
        "message_en": en,
        "earlier": r.earlier,
        "receipt": _receipt(r.entry, tz),
    }


@api.post("/reports", response={201: ReportOut, **ERRORS})
def report(request: HttpRequest, body: ReportIn) -> Status[dict[str, object]]:
    """报备: report a customer before his visit; the answer comes at once, with a receipt."""
    key = key_of(request)
    receipt = submit_report(
        project=key.project, channel=key.channel, agent=key.agent, name=body.name, gender=body.gender, phone=body.phone
    )
    return Status(201, _out(receipt, _zone(key.project)))


@api.get("/reports", response={200: list[ReportOut], **ERRORS})
def my_reports(request: HttpRequest, query: Query[ListQuery]) -> list[dict[str, object]]:
    """My reports, newest first, with their state now (at most ``limit``)."""
    unknown = sorted(set(request.GET) - set(ListQuery.model_fields))
    if unknown:
        raise ValidationError([{"loc": ("query", unknown[0]), "type": "extra_forbidden", "msg": "unknown"}])
    key = key_of(request)
    tz = _zone(key.project)
    return [
        _out(r, tz) for r in reports_of(project=key.project, channel=key.channel, agent=key.agent, limit=query.limit)
    ]


@api.post("/group-lists", response={201: GroupListOut, **ERRORS})
def group_list(request: HttpRequest, body: GroupListIn) -> Status[dict[str, object]]:
    """S6.4: a same-day list of a group's names and phones; it counts as reports for that day only."""
    key = key_of(request)
    entries = [{"name": e.name, "phone": e.phone} for e in body.entries]
    appended = append_fact(
        project=key.project,
        data={"kind": "group_list", "channel": key.channel, "agent": key.agent, "entries": entries},
    )
    return Status(201, {"accepted": len(entries), "receipt": _receipt(appended.entry, _zone(key.project))})


@api.post("/follow-ups", response={201: FollowUpOut, 404: ErrorOut, **ERRORS})
def follow_up(request: HttpRequest, body: FollowUpIn) -> Status[dict[str, Any]]:
    """S6.3: log a follow-up of one of your own reports; a re-report after 7 days keeps its place
    when the follow-ups were never more than 5 days apart."""
    key = key_of(request)
    mine = Entry.objects.filter(
        project=key.project, kind="report", fact_id=body.report, payload__channel=key.channel
    ).exists()
    if not mine:  # another channel's report is as good as unknown (isolation)
        return Status(
            404,
            {
                "code": "not_found",
                "message_zh": "报备编号: 没有这条报备",
                "message_en": "report: no such report of yours",
                "field": "report",
            },
        )
    appended = append_fact(
        project=key.project,
        data={
            "kind": "follow_up",
            "channel": key.channel,
            "report": body.report,
            "method": body.method,
            "note": body.note,
        },
    )
    return Status(201, {"receipt": _receipt(appended.entry, _zone(key.project))})
