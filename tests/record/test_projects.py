"""core: projects by code are read once per process; a project made elsewhere is still found."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guishu.record import projects
from guishu.record.actions import create_project

pytestmark = pytest.mark.django_db


def test_a_project_is_read_once_then_served_from_memory() -> None:
    made = create_project(code="xinyuan", name="新苑", policy="s8")
    assert projects.by_code("xinyuan") == made
    with CaptureQueriesContext(connection) as queries:
        again = projects.by_code("xinyuan")
    assert again == made and len(queries) == 0


def test_an_unknown_code_is_not_remembered() -> None:
    assert projects.by_code("later") is None
    made = create_project(code="later", name="后建", policy="s16")  # e.g. by another process
    assert projects.by_code("later") == made


def test_the_oldest_project_is_the_fallback() -> None:
    assert projects.first() is None
    oldest = create_project(code="a1", name="一期", policy="s8")
    create_project(code="a2", name="二期", policy="s8")
    assert projects.first() == oldest
