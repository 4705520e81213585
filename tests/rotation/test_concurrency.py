"""16 desks pressing "next customer" at once on one queue (both databases): each reception is
assigned exactly once, no turn consumed twice, nobody skipped without a recorded reason."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.db import connection

from guishu.core.desk_routing import Answers
from guishu.record import engines
from guishu.record.actions import RecordInputError, append_fact
from guishu.record.models import Entry
from guishu.record.verify import verify_chain
from guishu.rotation import actions
from guishu.sites.access import access_for
from tests.rotation.builders import rotation_site, sign_in
from tests.sites.builders import user

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 16
PRESSES = 3  # each client presses three times, the last one twice (a retry)
SELLERS = 12


def test_sixteen_desks_pressing_next_at_once() -> None:
    """S7.3, S16.7: concurrent presses: one reception per key, each turn consumed once."""
    # given twelve consultants signed in, each back from his customer as soon as he receives one
    project = rotation_site("s16", code="rush")
    staff = [f"c{k:02d}" for k in range(SELLERS)]
    for s in staff:
        user(s, "consultant", f"顾问{s}", project=project)
    sign_in(project, *staff)
    desk = access_for(User.objects.get(username="qiantai"), "rush")
    assert desk is not None
    errors: list[BaseException] = []
    told: dict[str, str] = {}
    refused: dict[str, str] = {}  # key -> the refusal's field
    start = threading.Barrier(CLIENTS)

    def client(c: int) -> None:
        try:
            start.wait()
            keys = [f"desk{c:02d}-press{p}" for p in range(PRESSES)]
            for key in [*keys, keys[-1]]:
                try:
                    got = actions.next_customer(access=desk, key=key, answers=Answers())
                except RecordInputError as exc:  # everyone is with a customer: a clear refusal
                    refused[key] = exc.field
                    continue
                if key in told:
                    assert told[key] == got.reception.consultant  # the retry is the same reception
                    assert not got.new
                told[key] = got.reception.consultant
                append_fact(
                    project=project, data={"kind": "queue", "action": "back", "staff": got.reception.consultant}
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
    # when
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then nothing failed and the chain holds
    assert errors == []
    assert verify_chain(project).ok
    receptions = [e.payload for e in Entry.objects.filter(project=project, kind="reception").order_by("seq")]
    # each key made at most one reception, and every answer is the record's
    ids = Counter(r["id"] for r in receptions)
    assert max(ids.values()) == 1
    assert {r["id"].removeprefix("rcp-"): r["consultant"] for r in receptions} == told
    assert set(told) | set(refused) == {f"desk{c:02d}-press{p}" for c in range(CLIENTS) for p in range(PRESSES)}
    assert set(refused.values()) <= {"queue"}
    # and replaying the record gives each consultant exactly the receptions he was told of
    engines.forget_all()
    live = engines.live_engine(project)
    day = next(iter(live.engine.queue.tallies.values()))
    assert {s: t.taken for s, t in day.items() if t.taken} == dict(Counter(told.values()))
    # and whoever the queue passed over is on the reception with a reason
    assert all(s["reason"] for r in receptions for s in r.get("skipped", ()))
