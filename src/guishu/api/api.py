"""REST under /api/v1 for channel agents: report customers, see their own reports (S6)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AuthRateThrottle

from guishu.api.auth import AgentKey, key_of
from guishu.api.reports import ReportReceipt, reports_of, submit_report
from guishu.api.schemas import (
    ErrorOut,
    FollowUpIn,
    FollowUpOut,
    GroupListIn,
    GroupListOut,
    Receipt,
    ReportIn,
    ReportOut,
)
from guishu.record.actions import RecordInputError, append_fact
from guishu.record.models import Entry

api = NinjaAPI(
    title="guishu channel API",
    version="1",
    urls_namespace="api-v1",
    auth=AgentKey(),
    throttle=[AuthRateThrottle("600/m")],
)


def error(
    api_: NinjaAPI, request: HttpRequest, status: int, code: str, zh: str, en: str, field: str | None = None
) -> HttpResponse:
    return api_.create_response(
        request, {"code": code, "message_zh": zh, "message_en": en, "field": field}, status=status
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "payload")]
    field = ".".join(loc) or None
    return error(
        api, request, 422, "invalid", f"字段不合法: {field}", f"invalid field: {field}: {first.get('msg', '')}", field
    )


@api.exception_handler(HttpError)
def malformed(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Bodies that are not JSON at all (ninja's ParseError is an HttpError 400)."""
    if exc.status_code == 429:
        return error(api, request, 429, "throttled", "请求过于频繁,请稍后再试", "too many requests: slow down")
    return error(api, request, exc.status_code, "malformed", "请求格式不对(应为 JSON)", f"malformed request: {exc}")


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(api, request, 401, "unauthorised", "缺少或无效的接口密钥", "missing, wrong or revoked API key")


@api.exception_handler(RecordInputError)
def refused(request: HttpRequest, exc: RecordInputError) -> HttpResponse:
    zh, _, en = exc.message.partition(" / ")
    return error(api, request, 422, "refused", zh, en or zh, exc.field)


def _out(r: ReportReceipt) -> dict[str, object]:
    a = r.answer
    return {
        "report": a.report,
        "status": a.status,
        "valid_until": a.valid_until,
        "message_zh": a.zh,
        "message_en": a.en,
        "earlier": a.earlier if r.earlier_visible else None,
        "receipt": Receipt(seq=r.entry.seq, hash=r.entry.hash, at=r.entry.at),
    }


@api.post("/reports", response={201: ReportOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def report(request: HttpRequest, body: ReportIn) -> Status[dict[str, object]]:
    """报备: report a customer before his visit; the answer comes at once, with a receipt."""
    key = key_of(request)
    receipt = submit_report(
        project=key.project, channel=key.channel, agent=key.agent, name=body.name, gender=body.gender, phone=body.phone
    )
    return Status(201, _out(receipt))


@api.get("/reports", response={200: list[ReportOut], 401: ErrorOut, 429: ErrorOut})
def my_reports(request: HttpRequest) -> list[dict[str, object]]:
    """My reports, newest first, with their state now."""
    key = key_of(request)
    return [_out(r) for r in reports_of(project=key.project, channel=key.channel, agent=key.agent)]


@api.post("/group-lists", response={201: GroupListOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def group_list(request: HttpRequest, body: GroupListIn) -> Status[dict[str, object]]:
    """S6.4: a same-day list of a group's names and phones; it counts as reports for that day only."""
    key = key_of(request)
    entries = [{"name": e.name, "phone": e.phone} for e in body.entries]
    appended = append_fact(
        project=key.project,
        data={"kind": "group_list", "channel": key.channel, "agent": key.agent, "entries": entries},
    )
    receipt = Receipt(seq=appended.entry.seq, hash=appended.entry.hash, at=appended.entry.at)
    return Status(201, {"accepted": len(entries), "receipt": receipt})


@api.post(
    "/follow-ups",
    response={201: FollowUpOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def follow_up(request: HttpRequest, body: FollowUpIn) -> Status[dict[str, object]]:
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
                "message_zh": "没有这条报备",
                "message_en": "no such report of yours",
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
    return Status(201, {"receipt": Receipt(seq=appended.entry.seq, hash=appended.entry.hash, at=appended.entry.at)})
