"""The record: append-only, hash-chained, projections rebuilt to identical state."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from guishu.record import engines
from guishu.record.actions import RecordInputError, append_fact
from guishu.record.migrations._triggers import statements
from guishu.record.models import ChainHead, Entry, GroupVerdict, NameIndex, PhoneIndex
from guishu.record.projections import rebuild
from guishu.record.verify import verify_chain
from tests.db_owner import as_owner
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_engines() -> None:
    engines.forget_all()


def test_appends_are_chained_and_verify() -> None:
    """S8.12: every entry is chained to the one before; the whole chain verifies."""
    # given
    project = make_project()
    # when
    first = append_fact(project=project, data=visit("zhangsan", "13800000001"))
    second = append_fact(project=project, data=visit("lisi", "138-0000-0001"))
    # then
    assert second.entry.seq == first.entry.seq + 1
    assert second.entry.prev_hash == first.entry.hash
    assert verify_chain(project).ok
    head = ChainHead.objects.get(project=project)
    assert (head.seq, head.hash) == (second.entry.seq, second.entry.hash)
    # and the verdict came back with the append: the first registrant wins
    assert second.verdicts[0].owner.id == "zhangsan"


def test_server_time_is_stamped_and_never_runs_backwards() -> None:
    """core: the record's times are the server's, in sequence order."""
    project = make_project()
    appended = [append_fact(project=project, data=visit("zhangsan", f"1380000000{i}")) for i in range(5)]
    times = [a.entry.at for a in appended]
    assert times == sorted(times)
    assert all(a.fact.at == a.entry.at for a in appended)
    stored = dict(Entry.objects.filter(project=project, kind="registration").values_list("fact_id", "at"))
    assert all(stored[a.fact.id] == a.fact.at for a in appended)  # what was written reads back the same


@pytest.mark.parametrize("sql", ["UPDATE record_entry SET kind = 'x'", "DELETE FROM record_entry"])
def test_update_and_delete_are_refused_by_the_database(sql: str) -> None:
    """S1.4, S8.12: nobody edits history: the database refuses UPDATE and DELETE of entries."""
    # given
    project = make_project()
    append_fact(project=project, data=visit("zhangsan", "13800000001"))
    count = Entry.objects.count()
    # when / then
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert Entry.objects.count() == count
    assert verify_chain(project).ok


def test_verify_names_the_first_altered_entry() -> None:
    """S1.4: an entry altered behind the application's back is found and named by verify."""
    # given: someone with database access drops the trigger and rewrites the 7th entry
    project = make_project()
    for i in range(4):
        append_fact(project=project, data=visit("zhangsan", f"1380000000{i}"))
    victim = Entry.objects.get(project=project, seq=7)
    with as_owner(), connection.cursor() as cursor:  # the owner: the app's role may do neither
        for drop in statements(connection.vendor, drop=True):
            cursor.execute(drop)
        payload = dict(victim.payload)
        payload["consultant"] = "lisi"
        Entry.objects.filter(pk=victim.pk).update(payload=payload)
        for create in statements(connection.vendor, drop=False):
            cursor.execute(create)
    # when
    report = verify_chain(project)
    # then
    assert not report.ok
    assert report.first_bad_seq == 7
    assert report.first_bad_fact == victim.fact_id


def test_bad_input_names_the_field_and_writes_nothing() -> None:
    """S8.5: a registration with a malformed phone is refused, the field named, nothing half-written."""
    # given
    project = make_project()
    before = (Entry.objects.count(), ChainHead.objects.get(project=project).hash, GroupVerdict.objects.count())
    # when
    with pytest.raises(RecordInputError) as info:
        append_fact(project=project, data=visit("zhangsan", "12345"))
    # then
    assert info.value.field == "customer.phone"
    after = (Entry.objects.count(), ChainHead.objects.get(project=project).hash, GroupVerdict.objects.count())
    assert after == before
    # and the engine was not left with a half-applied fact
    ok = append_fact(project=project, data=visit("lisi", "13800000009"))
    assert ok.verdicts[0].owner.id == "lisi"
    assert verify_chain(project).ok


def test_a_chosen_id_may_not_take_the_records_own_numbering() -> None:
    """core: "demo-40" is the record's own number for its 40th entry; a client may not take it."""
    project = make_project()
    with pytest.raises(RecordInputError) as info:
        append_fact(project=project, data={**visit("zhangsan", "13800000001"), "id": "demo-40"})
    assert info.value.field == "id"


def test_duplicate_fact_id_is_refused() -> None:
    """core: a client-chosen fact id already in the record is refused by name."""
    project = make_project()
    append_fact(project=project, data={**visit("zhangsan", "13800000001"), "id": "r-1"})
    with pytest.raises(RecordInputError) as info:
        append_fact(project=project, data={**visit("lisi", "13800000002"), "id": "r-1"})
    assert info.value.field == "id"
    assert verify_chain(project).ok


def projection_state(project_id: int) -> tuple[list[tuple[object, ...]], ...]:
    verdicts = sorted(
        GroupVerdict.objects.filter(project_id=project_id).values_list(
            "group", "owner_kind", "owner_id", "state", "since", "protected_until", "data", "last_fact"
        )
    )
    phones = sorted(PhoneIndex.objects.filter(project_id=project_id).values_list("phone", "head3", "tail4", "group"))
    names = sorted(NameIndex.objects.filter(project_id=project_id).values_list("name", "pinyin", "group"))
    return verdicts, phones, names


def test_rebuild_gives_identical_projections() -> None:
    """S8.3: projections rebuilt from the record equal the live ones, family merges included."""
    # given: registrations, a collision, a follow-up, a family merge, a deal
    project = make_project()
    append_fact(project=project, data=visit("zhangsan", "13800000001"))
    append_fact(project=project, data=visit("lisi", "13800000001"))
    append_fact(project=project, data=visit("zhouqi", "13800000002", "王大海"))
    append_fact(project=project, data={"kind": "follow_up", "phone": "13800000001", "consultant": "zhangsan"})
    append_fact(
        project=project,
        data={"kind": "relationship", "phone_a": "13800000001", "phone_b": "13800000002", "relation": "parent"},
    )
    append_fact(project=project, data={"kind": "deal", "type": "deposit", "phone": "13800000002", "closer": "zhouqi"})
    live = projection_state(project.pk)
    # when
    engines.forget_all()
    engine = engines.live_engine(project).engine
    rebuild(project, engine)
    # then
    assert projection_state(project.pk) == live
    assert len(live[0]) == 1  # the parent and child are one group, 张三's
    assert live[0][0][2] == "zhangsan"


def test_nul_characters_are_refused_by_name() -> None:
    """core: a NUL character anywhere in a fact is refused (PostgreSQL cannot store it), field named."""
    project = make_project()
    with pytest.raises(RecordInputError) as info:
        append_fact(project=project, data=visit("zhangsan", "13800000001", "王\x00建国"))
    assert info.value.field == "customer.name"
    assert verify_chain(project).ok
