"""Validation errors said in words: which field (its key and its Chinese label) and why.

pydantic reports an error as a type (``string_type``, ``extra_forbidden``, ...) at a location
(``("body", "body", "entries", 0, "phone")``); the checks of ``guishu.core.inputs`` report
theirs as type ``input`` with the reason in both languages (``schemas.checked``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# the request's fields by key, as an agent calls them
LABELS = {
    "name": "客户姓名",
    "gender": "性别",
    "phone": "客户电话",
    "entries": "名单",
    "report": "报备编号",
    "method": "跟进方式",
    "note": "备注",
    "limit": "条数",
    "seq": "回执序号",
    "from_size": "回执树头的条数",
    "body": "请求正文",
    "Authorization": "接口密钥",
}
_SOURCES = ("body", "query", "header", "path", "cookie", "form", "file")
KEY_MAX = 40  # an unknown key is echoed at most this long


def _safe(key: str) -> str:
    """An unknown key as it may be echoed: printable, not too long."""
    text = "".join(c if c.isprintable() else "?" for c in key)
    return text if len(text) <= KEY_MAX else text[:KEY_MAX] + "…"


def field_path(loc: Sequence[Any]) -> list[str | int]:
    """The location without ninja's parameter source and parameter name: ``["entries", 0, "phone"]``."""
    path = [p if isinstance(p, int) else str(p) for p in loc]
    if path and path[0] in _SOURCES:
        path = path[1:]
    if path and path[0] in ("body", "query", "payload") and len(path) > 1:
        path = path[1:]
    return path


def field_key(path: Sequence[str | int]) -> str:
    return _safe(".".join(str(p) for p in path)) if path else "body"


def label(path: Sequence[str | int], *, unknown: bool = False) -> str:
    """The field in words: 客户电话, 名单第2位的客户姓名, 未知字段 foo."""
    words: list[str] = []
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(part, int):
            words.append(f"第{part + 1}位")
        elif last and unknown:
            words.append(f"的未知字段 {_safe(part)}" if words else f"未知字段 {_safe(part)}")
        else:
            words.append(("的" if words and isinstance(path[i - 1], int) else "") + LABELS.get(part, _safe(part)))
    return "".join(words) or LABELS["body"]


def reason(error: dict[str, Any]) -> tuple[str, str]:
    """Why, in Chinese and English."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    msg = str(error.get("msg", ""))
    if kind == "input":
        return str(ctx.get("zh", "不合法")), str(ctx.get("en", msg))
    fixed = {
        "missing": ("必填", "required"),
        "extra_forbidden": ("不认识的字段,请删去", "unknown field: remove it"),
        "string_type": ("应为文字", "must be a string"),
        "string_unicode": ("应为 UTF-8 文字", "must be UTF-8 text"),
        "literal_error": (f"只能是 {ctx.get('expected', '')}", msg),
        "enum": (f"只能是 {ctx.get('expected', '')}", msg),
        "list_type": ("应为列表", "must be a list"),
        "model_type": ("应为对象", "must be an object"),
        "model_attributes_type": ("应为对象", "must be an object"),
        "dict_type": ("应为对象", "must be an object"),
        "int_type": ("应为整数", "must be an integer"),
        "int_parsing": ("应为整数", "must be an integer"),
        "int_parsing_size": ("数字过大", "the number is too large"),
        "int_from_float": ("应为整数", "must be an integer"),
        "greater_than_equal": (f"不能小于 {ctx.get('ge', '')}", msg),
        "less_than_equal": (f"不能大于 {ctx.get('le', '')}", msg),
        "string_too_short": ("必填", "required"),
        "string_too_long": (f"最多{ctx.get('max_length', '')}个字", msg),
        "string_pattern_mismatch": ("格式不对", "wrong format"),
        "too_short": (f"至少{ctx.get('min_length', '')}项", msg),
        "too_long": (f"最多{ctx.get('max_length', '')}项", msg),
    }
    return fixed.get(kind, ("不合法", msg or "invalid"))


def describe(errors: Sequence[dict[str, Any]]) -> tuple[str, str, str]:
    """The first error as the API answers it: the field's key, the Chinese naming the field in
    words, the English naming it by key."""
    first = errors[0] if errors else {}
    path = field_path(first.get("loc", ()))
    zh, en = reason(first)
    key = field_key(path)
    words = label(path, unknown=first.get("type") == "extra_forbidden")
    return key, f"字段不合法: {words}: {zh}", f"invalid field: {key}: {en}"
