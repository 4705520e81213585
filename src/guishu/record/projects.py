"""Projects by code, kept in each process's memory.

A project row never changes once created (a policy change is a fact in its record) and is
never deleted (its entries protect it), so a process may keep what it has read: every desk
request names its project, and reading the row each time cost a query or two per request.
An unknown code is not remembered, so a project created by another process is found.
"""

from __future__ import annotations

import threading

from guishu.record.models import Project

_by_code: dict[str, Project] = {}
_lock = threading.Lock()
FIRST = ""  # the key of the oldest project, the fallback when a code is unknown


def by_code(code: str) -> Project | None:
    with _lock:
        project = _by_code.get(code)
    if project is None:
        project = Project.objects.filter(code=code).first()
        if project is not None:
            with _lock:
                _by_code[code] = project
    return project


def first() -> Project | None:
    with _lock:
        project = _by_code.get(FIRST)
    if project is None:
        project = Project.objects.order_by("pk").first()
        if project is not None:
            with _lock:
                _by_code[FIRST] = project
    return project


def forget_all() -> None:
    """Tests only: a rolled-back test database may give a code to another row."""
    with _lock:
        _by_code.clear()
