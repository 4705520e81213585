"""The agents' API keys and their audit record (issue 12): issued and revoked keys are facts in
the record, and `guishu verify` catches a key table that disagrees — a revoked key let in again,
a key slipped in — even though the table itself is not chained."""

from __future__ import annotations

import pytest

from guishu.api import keys
from guishu.api.models import ApiKey, digest
from guishu.cli.main import main
from guishu.record.models import Entry
from tests.record.builders import make_project

pytestmark = pytest.mark.django_db(transaction=True)


def test_issue_and_revoke_are_in_the_record() -> None:
    project = make_project()
    key, plain = keys.issue(project=project, agent="wangwu", channel="hx")
    issued = Entry.objects.get(project=project, kind="api_key_issued")
    assert issued.payload["key"] == digest(plain) == key.hashed and plain not in str(issued.payload)
    assert keys.revoke([key]) == 1 and keys.revoke([key]) == 0  # a revoked key is not revoked twice
    assert Entry.objects.filter(project=project, kind="api_key_revoked", payload__key=key.hashed).count() == 1
    assert keys.key_problems(project) == []


def test_verify_catches_an_unrevoked_key_and_a_slipped_in_one(capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(code="keys")
    key, _plain = keys.issue(project=project, agent="wangwu", channel="hx")
    keys.revoke([key])
    assert main(["verify", "--project", "keys"]) == 0
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=None)  # someone with the database lets it in again
    capsys.readouterr()
    assert main(["verify", "--project", "keys"]) == 1
    assert "was revoked in the record but the key table lets it in" in capsys.readouterr().out
    ApiKey.objects.filter(pk=key.pk).delete()
    ApiKey.objects.create(project=project, agent="wangwu", channel="hx", prefix="gs_xxxxx", hashed="f" * 64)
    assert main(["verify", "--project", "keys"]) == 1
    assert "was not issued in the record" in capsys.readouterr().out
