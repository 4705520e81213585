"""Two agents reporting the same phone in the same millisecond: exactly one is accepted first."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from guishu.api import keys as api_keys
from guishu.record import engines
from guishu.record.verify import verify_chain
from tests.record.builders import join_agent, make_project

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = 16


def test_sixteen_agents_report_one_phone_at_once() -> None:
    """S6.5: sixteen agents of sixteen channels report one customer at the same instant: one wins."""
    # given
    engines.forget_all()
    project = make_project(code="race")
    for i in range(CLIENTS):
        join_agent(project, f"agent{i}", f"ch{i}")
    keys = [api_keys.issue(project=project, agent=f"agent{i}", channel=f"ch{i}")[1] for i in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)
    answers: list[dict[str, object]] = []
    errors: list[BaseException] = []

    def agent(key: str) -> None:
        try:
            client = Client()
            start.wait()
            response = client.post(
                "/api/v1/reports",
                {"name": "李梅", "gender": "F", "phone": "1381**00002"},
                content_type="application/json",
                headers={"Authorization": f"Bearer {key}"},
            )
            answers.append({"code": response.status_code, **response.json()})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=agent, args=(k,)) for k in keys]
    # when
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    assert errors == []
    assert [a["code"] for a in answers] == [201] * CLIENTS
    statuses = sorted(str(a["status"]) for a in answers)
    assert statuses == ["accepted"] + ["duplicate"] * (CLIENTS - 1)
    first = min(answers, key=lambda a: a["receipt"]["seq"])  # type: ignore[index]
    assert first["status"] == "accepted"  # the accepted one is the first in the record
    assert verify_chain(project).ok
