"""Django for the CLI's service commands, set up on first use (the pure commands never load it)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guishu.record.models import Project


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guishu.web.settings")
    import django

    django.setup()


def named_project(code: str) -> Project | None:
    """The project a command names, or None after saying there is none (the caller exits 2)."""
    from guishu.record.models import Project

    project = Project.objects.filter(code=code).first()
    if project is None:
        print(f"没有案场 {code} / no such project")
    return project
