"""``guishu verify --projections``: the projections (verdicts, lookups, memberships) compared
with what a fresh replay of the record writes, and the API keys with their record.

The replay runs the same code as ``guishu rebuild`` (``record.rebuild``), inside a transaction that is always rolled
back: nothing is changed, whatever it finds.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guishu.record import engines
from guishu.record.models import GroupVerdict, Membership, NameIndex, PhoneIndex, Project
from guishu.record.rebuild import rebuild_all

TABLES: list[tuple[str, Any, tuple[str, ...]]] = [
    (
        "客户组判定 / verdicts",
        GroupVerdict,
        ("group", "owner_kind", "owner_id", "state", "since", "protected_until", "data", "last_fact"),
    ),
    ("号码索引 / phone index", PhoneIndex, ("phone", "head3", "tail4", "group")),
    ("姓名索引 / name index", NameIndex, ("name", "pinyin", "group")),
    ("任职 / memberships", Membership, ("staff", "name", "role", "team", "channel", "joined_at", "left_at", "fact")),
]


class _RollBack(Exception):
    pass


def _rows(project: Project) -> list[set[tuple[Any, ...]]]:
    out = []
    for _label, model, fields in TABLES:
        rows = model.objects.filter(project=project).values_list(*fields)
        out.append({tuple(repr(v) if isinstance(v, dict | list) else v for v in row) for row in rows})
    return out


def projection_differences(project: Project) -> list[str]:
    """What the stored projections hold that a replay does not write, and the reverse: one line
    per table that differs, naming a first differing row."""
    problems: list[str] = []
    try:
        with transaction.atomic():
            stored = _rows(project)
            rebuild_all(project)
            replayed = _rows(project)
            for (label, _model, fields), before, after in zip(TABLES, stored, replayed, strict=True):
                if before != after:
                    extra, missing = sorted(before - after, key=repr), sorted(after - before, key=repr)
                    sample = extra[0] if extra else missing[0]
                    problems.append(
                        f"{label}: {len(extra)} 行多出或被改, {len(missing)} 行缺少 / rows altered or added, "
                        f"rows missing; e.g. {dict(zip(fields, sample, strict=True))}"
                    )
            raise _RollBack
    except _RollBack:
        pass
    finally:
        engines.forget(project.pk)
    return problems
