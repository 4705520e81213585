"""Two consultants registering one customer at the same instant: exactly one is first."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection

from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.models import Entry, GroupVerdict, PhoneIndex
from guishu.record.verify import verify_chain
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 16
PHONES = 2000


def test_concurrent_registrations_never_make_two_owners() -> None:
    """S8.1, S1.5: 16 writers over 2,000 contested phones: one first registrant each, no lock errors."""
    # given: each phone is registered by two consultants, each writer in its own shuffled order
    engines.forget_all()
    project = make_project(code="rush")
    phones = [f"+86137{k:08d}" for k in range(PHONES)]
    plans: list[list[str]] = [[] for _ in range(WRITERS)]
    for k, phone in enumerate(phones):
        first_writer = k % WRITERS
        second_writer = (k + 1 + k // WRITERS) % WRITERS
        if second_writer == first_writer:
            second_writer = (first_writer + 1) % WRITERS
        plans[first_writer].append(phone)
        plans[second_writer].append(phone)
    for w, plan in enumerate(plans):
        random.Random(w).shuffle(plan)
    errors: list[BaseException] = []
    told: dict[tuple[str, str], str | None] = {}
    start = threading.Barrier(WRITERS)

    def writer(w: int) -> None:
        try:
            start.wait()
            for phone in plans[w]:
                result = append_fact(project=project, data=visit(f"c{w:02d}", phone))
                # the writer is told at once who owns the customer
                told[(f"c{w:02d}", phone)] = result.verdicts[0].owner.id
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    # when
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then: nothing failed (no "database is locked"), the chain holds
    assert errors == []
    assert verify_chain(project).ok
    # and every phone has exactly one owner: the consultant of its first entry in the record
    first: dict[str, str] = {}
    for payload in (
        Entry.objects.filter(project=project, kind="registration").order_by("seq").values_list("payload", flat=True)
    ):
        first.setdefault(payload["customer"]["phone"], payload["consultant"])
    groups = dict(PhoneIndex.objects.filter(project=project).values_list("phone", "group"))
    owners = dict(GroupVerdict.objects.filter(project=project).values_list("group", "owner_id"))
    assert len(groups) == PHONES
    assert GroupVerdict.objects.filter(project=project).count() == PHONES
    assert all(owners[groups[phone]] == first[phone] for phone in phones)
    # and each writer, the second one too, was told who was first
    assert len(told) == 2 * PHONES
    assert all(owner == first[phone] for (_who, phone), owner in told.items())
