"""guishu verify and guishu rebuild, as an operator runs them."""

from __future__ import annotations

import pytest
from django.db import connection

from guishu.cli.main import main
from guishu.record import engines
from guishu.record.actions import append_fact
from guishu.record.migrations._triggers import statements
from guishu.record.models import Entry, GroupVerdict
from tests.db_owner import as_owner
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_verify_reports_an_intact_chain_and_names_a_broken_one(capsys: pytest.CaptureFixture[str]) -> None:
    """S8.12: `guishu verify` says OK, then names the first altered entry and exits 1."""
    engines.forget_all()
    project = make_project(code="ops")
    append_fact(project=project, data=visit("zhangsan", "13800000001"))
    assert main(["verify", "--project", "ops"]) == 0
    assert "OK ops" in capsys.readouterr().out
    victim = Entry.objects.get(project=project, seq=3)
    with as_owner(), connection.cursor() as cursor:  # the owner: the app's role may do neither
        for sql in statements(connection.vendor, drop=True):
            cursor.execute(sql)
        Entry.objects.filter(pk=victim.pk).update(kind="tampered")
        for sql in statements(connection.vendor, drop=False):
            cursor.execute(sql)
    assert main(["verify", "--project", "ops"]) == 1
    out = capsys.readouterr().out
    assert "BAD ops" in out and "第 3 条" in out and victim.fact_id in out


def test_rebuild_restores_the_projections(capsys: pytest.CaptureFixture[str]) -> None:
    """S8.1: `guishu rebuild` writes the projections again from the record alone."""
    engines.forget_all()
    project = make_project(code="ops2")
    append_fact(project=project, data=visit("zhangsan", "13800000001"))
    before = list(GroupVerdict.objects.filter(project=project).values_list("group", "owner_id", "data"))
    GroupVerdict.objects.filter(project=project).delete()
    assert main(["rebuild", "--project", "ops2"]) == 0
    assert "重建 1 个客户组" in capsys.readouterr().out
    assert list(GroupVerdict.objects.filter(project=project).values_list("group", "owner_id", "data")) == before


def test_api_key_is_issued_to_an_agent_only(capsys: pytest.CaptureFixture[str]) -> None:
    """core: `guishu api-key` issues a key to a channel agent of the project, and refuses others."""
    from guishu.api.models import ApiKey, digest

    engines.forget_all()
    project = make_project(code="keys")
    append_fact(
        project=project,
        data={"kind": "staff_joined", "staff": "wangwu", "name": "王五", "role": "agent", "channel": "hx"},
    )
    assert main(["api-key", "wangwu", "--project", "keys"]) == 0
    plain = capsys.readouterr().out.split(": ", 1)[1].split()[0]
    assert ApiKey.objects.get(hashed=digest(plain)).channel == "hx"
    assert main(["api-key", "zhangsan", "--project", "keys"]) == 2


def test_rebuild_restores_the_memberships(capsys: pytest.CaptureFixture[str]) -> None:
    """Sites: the memberships are a projection: rebuilt from the staff facts, leavers included."""
    from guishu.record.models import Membership

    engines.forget_all()
    project = make_project(code="ops3")
    append_fact(project=project, data={"kind": "staff_left", "staff": "lisi"})
    before = sorted(Membership.objects.filter(project=project).values_list("staff", "role", "team", "channel"))
    left = Membership.objects.get(project=project, staff="lisi").left_at
    Membership.objects.filter(project=project).delete()
    assert main(["rebuild", "--project", "ops3"]) == 0
    assert "条任职" in capsys.readouterr().out
    after = sorted(Membership.objects.filter(project=project).values_list("staff", "role", "team", "channel"))
    assert after == before and Membership.objects.get(project=project, staff="lisi").left_at == left


def test_group_admin_is_granted_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Sites: `guishu group-admin` makes a login the group's administrator (first password shown once)."""
    from django.contrib.auth.models import User

    from guishu.record.models import GroupRole

    assert main(["group-admin", "boss", "--name", "集团"]) == 0
    password = capsys.readouterr().out.split("first password: ", 1)[1].split()[0]
    assert User.objects.get(username="boss").check_password(password)
    assert GroupRole.objects.filter(user__username="boss", role="group_admin").exists()
