"""core: WAL checkpoints run beside the writer, not inside its commits (SQLite)."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from guishu.record import checkpoints
from guishu.record.actions import append_fact
from tests.record.builders import make_project, visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite write-ahead log"),
]


def test_commits_are_followed_by_a_checkpoint_off_the_writer_path() -> None:
    project = make_project()
    checker = checkpoints.for_database()
    assert checker is not None
    before = checker.runs
    for k in range(20):
        append_fact(project=project, data=visit("zhangsan", f"1380000{k:04d}"))
    deadline = time.monotonic() + 10
    while checker.runs == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert checker.runs > before
    assert checker.last is not None and checker.last[1] > 0  # pages copied back into the database


def test_the_commit_itself_rarely_checkpoints() -> None:
    """The connection's automatic checkpoint is only the safety net, at 10,000 pages."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 10_000
