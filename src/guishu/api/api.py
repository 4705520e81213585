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
from ninja import NinjaAPI, P, PathEx, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AuthRateThrottle

from guishu.api import receipts
from guishu.api.auth import AgentKey, key_of
from guishu.api.docs import LocalSwagger
from guishu.api.errors import describe, field_key, label
from guishu.api.receipts import SEQ_MAX
from guishu.api.reports import ReportReceipt, reports_of, submit_report
from guishu.api.schemas import (
    ConsistencyOut,
    ConsistencyQuery,
    ErrorOut,
    FollowUpIn,
    FollowUpOut,
    GroupListIn,
    GroupListOut,
    ListQuery,
    Receipt,
    ReportIn,
    ReportOut,
    SigningKeyOut,
)
from guishu.core import tree_heads
from guishu.record import receipts as record_receipts
from guishu.record import signing
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


def _not_found(field: str, zh: str, en: str) -> Status[dict[str, Any]]:
    return Status(404, {"code": "not_found", "message_zh": zh, "message_en": en, "field": field})


def _refuse_unknown_query(request: HttpRequest, known: set[str]) -> None:
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ValidationError([{"loc": ("query", unknown[0]), "type": "extra_forbidden", "msg": "unknown"}])


def _receipt(entry: RecordReceipt, project: Project, doc: dict[str, Any] | None = None) -> dict[str, object]:
    """The receipt of an entry: where it is, its hash, when (in the site's zone), and the receipt
    document with its inclusion proof under the latest signed head (``doc``: already made)."""
    return {
        "seq": entry.seq,
        "hash": entry.hash,
        "at": entry.at.astimezone(_zone(project)),
        "proof": doc if doc is not None else receipts.document(project, entry.seq),
    }


def _out(r: ReportReceipt, project: Project, doc: dict[str, Any] | None = None) -> dict[str, object]:
    tz = _zone(project)
    zh, en = r.message(tz)
    return {
        "report": r.answer.report,
        "status": r.status,
        "valid_until": r.valid_until(tz),
        "message_zh": zh,
        "message_en": en,
        "earlier": r.earlier,
        "receipt": _receipt(r.entry, project, doc),
    }


@api.post("/reports", response={201: ReportOut, **ERRORS})
def report(request: HttpRequest, body: ReportIn) -> Status[dict[str, object]]:
    """报备: report a customer before his visit; the answer comes at once, with a receipt."""
    key = key_of(request)
    receipt = submit_report(
        project=key.project, channel=key.channel, agent=key.agent, name=body.name, gender=body.gender, phone=body.phone
    )
    return Status(201, _out(receipt, key.project))


@api.get("/reports", response={200: list[ReportOut], **ERRORS})
def my_reports(request: HttpRequest, query: Query[ListQuery]) -> list[dict[str, object]]:
    """My reports, newest first, with their state now (at most ``limit``)."""
    _refuse_unknown_query(request, set(ListQuery.model_fields))
    key = key_of(request)
    rows = reports_of(project=key.project, channel=key.channel, agent=key.agent, limit=query.limit)
    docs = receipts.documents(key.project, [r.entry.seq for r in rows])  # one signed head for all
    return [_out(r, key.project, docs[r.entry.seq]) for r in rows]


@api.post("/group-lists", response={201: GroupListOut, **ERRORS})
def group_list(request: HttpRequest, body: GroupListIn) -> Status[dict[str, object]]:
    """S6.4: a same-day list of a group's names and phones; it counts as reports for that day only."""
    key = key_of(request)
    entries = [{"name": e.name, "phone": e.phone} for e in body.entries]
    appended = append_fact(
        project=key.project,
        data={"kind": "group_list", "channel": key.channel, "agent": key.agent, "entries": entries},
    )
    return Status(201, {"accepted": len(entries), "receipt": _receipt(appended.entry, key.project)})


@api.post("/follow-ups", response={201: FollowUpOut, 404: ErrorOut, **ERRORS})
def follow_up(request: HttpRequest, body: FollowUpIn) -> Status[dict[str, Any]]:
    """S6.3: log a follow-up of one of your own reports; a re-report after 7 days keeps its place
    when the follow-ups were never more than 5 days apart."""
    key = key_of(request)
    mine = Entry.objects.filter(
        project=key.project, kind="report", fact_id=body.report, payload__channel=key.channel
    ).exists()
    if not mine:  # another channel's report is as good as unknown (isolation)
        return _not_found("report", "报备编号: 没有这条报备", "report: no such report of yours")
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
    return Status(201, {"receipt": _receipt(appended.entry, key.project)})


@api.get("/receipts/{seq}", response={200: Receipt, 404: ErrorOut, **ERRORS})
def my_receipt(
    request: HttpRequest,
    seq: PathEx[int, P(ge=1, le=SEQ_MAX, description="回执的序号 (receipt.seq) / the receipt's seq")],
) -> Status[dict[str, Any]]:
    """回执: the receipt of one of your own entries again (a report, a group list, a follow-up of
    your firm), under today's signed tree head. Another firm's entry is answered 404, as an
    entry that does not exist."""
    _refuse_unknown_query(request, set())
    key = key_of(request)
    entry = receipts.own_entry(project=key.project, seq=seq, channel=key.channel, agent=key.agent)
    if entry is None:  # another firm's entry is as good as unknown (isolation)
        return _not_found("seq", "回执序号: 没有您的这条记录", "seq: no such entry of yours")
    return Status(200, _receipt(RecordReceipt.of(entry), key.project))


@api.get("/tree-heads/consistency", response={200: ConsistencyOut, 404: ErrorOut, **ERRORS})
def tree_head_consistency(request: HttpRequest, query: Query[ConsistencyQuery]) -> Status[dict[str, Any]]:
    """一致性证明: the site's latest signed tree head and the proof that the tree of
    ``from_size`` entries (a receipt's ``tree_head.size``) is its prefix, so the record still
    holds every entry of the receipt's tree (check it with ``guishu verify-receipt --offline
    --against``). A size larger than the latest head's is answered 404."""
    _refuse_unknown_query(request, set(ConsistencyQuery.model_fields))
    key = key_of(request)
    try:
        head, proof = record_receipts.consistency(key.project, query.from_size)
    except record_receipts.NoReceipt:
        return _not_found(
            "from_size",
            "回执树头的条数: 大于本案场最新签名树头的条数",
            "from_size: larger than the size of the site's latest signed tree head",
        )
    return Status(200, record_receipts.consistency_json(head, proof))


@api.get("/signing-key", response={200: SigningKeyOut, **ERRORS})
def signing_key(request: HttpRequest) -> dict[str, str]:
    """签名公钥: the public key that signs the site's tree heads, to check receipts offline
    (``guishu verify-receipt --offline --public-key``); compare its id with a receipt's
    ``tree_head.key``."""
    _refuse_unknown_query(request, set())
    public = signing.public_key()
    return {
        "site": key_of(request).project.code,
        "algorithm": "Ed25519",
        "public_key": tree_heads.public_b64(public),
        "key_id": tree_heads.key_id(public),
    }
