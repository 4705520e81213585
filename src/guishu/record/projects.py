"""Projects by code, kept in each process's memory.

A project row never changes once created (a policy change is a fact in its record) and is
never deleted (its entries protect it), so a process may keep what it has read: every desk
request names its project, and reading the row each time cost a query or two per request.
An unknown code is not remembered, so a project created by another process is found.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from guishu.record.models import Project

_known: dict[tuple[str, str], Project] = {}  # ("code", code) or ("first", "")
_lock = threading.Lock()


def _remembered(key: tuple[str, str], find: Callable[[], Project | None]) -> Project | None:
    with _lock:
        project = _known.get(key)
    if project is None:
        project = find()
        if project is not None:
            with _lock:
                _known[key] = project
    return project


def by_code(code: str) -> Project | None:
    return _remembered(("code", code), lambda: Project.objects.filter(code=code).first())


def first() -> Project | None:
    """The oldest project: the fallback when a code is unknown."""
    return _remembered(("first", ""), lambda: Project.objects.order_by("pk").first())


def forget_all() -> None:
    """Tests only: a rolled-back test database may give a code to another row."""
    with _lock:
        _known.clear()
