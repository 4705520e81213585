"""/verify/: anyone, without signing in, pastes a receipt (回执) or picks its file, and is told
only whether it is valid (有效) or invalid (无效), with a generic reason (``verification``).

The page never shows what the record holds: no customer, no entry, not even the pasted text
back. A printed letter's QR code (核验码) opens it as ``/verify/?code=GSR1…``, or is pasted.
A body is refused unread above a bound (the form's encoding around a 64 KB receipt), before
the CSRF check would parse it; the receipt itself is bounded at 64 KB.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from guishu.api import receipts
from guishu.api.verification import LIMIT, Verdict, judge, judge_code, read_upload

BODY_LIMIT = 3 * LIMIT  # a receipt sent form-encoded: each of its bytes at most 3 ("%7B")
REASONS = {
    Verdict.NOT_A_RECEIPT: gettext_lazy("不是回执"),
    Verdict.NOT_SIGNED: gettext_lazy("签名或包含证明不成立"),
    Verdict.NOT_IN_RECORD: gettext_lazy("与现在的记录不符"),
}


def _page(request: HttpRequest, *, verdict: Verdict | None = None, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "verdict": verdict,
        "reason": REASONS.get(verdict) if verdict is not None else None,
        "error": error,
        "limit_kb": LIMIT // 1024,
        "limit": LIMIT,
        "key_id": receipts.key_id(),
    }
    response = render(request, "api/verify.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _too_large(request: HttpRequest) -> HttpResponse:
    return _page(request, error=_("回执过大: 至多 %(kb)s KB") % {"kb": LIMIT // 1024}, status=413)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body then


@csrf_exempt  # only so that an oversized body is refused unread; _verify checks the token
def verify_receipt(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _declared_length(request) > BODY_LIMIT:
        return _too_large(request)
    return _verify(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _verify(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        code = request.GET.get("code")  # a printed letter's QR opens this page with its code
        return _page(request, verdict=judge_code(code)) if code else _page(request)
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size is None or upload.size > LIMIT:
            return _too_large(request)
        text = read_upload(upload.read())
        if text is None:
            return _page(request, verdict=Verdict.NOT_A_RECEIPT)
    else:
        text = request.POST.get("receipt", "")
        if len(text.encode("utf-8", "surrogatepass")) > LIMIT:
            return _too_large(request)
    if not text.strip():
        return _page(request, error=_("请粘贴回执,或选择回执文件"), status=422)
    return _page(request, verdict=judge(text))
