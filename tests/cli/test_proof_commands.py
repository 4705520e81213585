"""guishu verify, verify-receipt, checkpoints and signing-key, as an operator and an agent run
them (issue 12). The attacks themselves are in tests/record/test_tamper.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from guishu.cli.main import main
from guishu.core import tree_heads
from guishu.core.tree_heads import key_id, public_b64
from guishu.record import receipts, signing
from guishu.record.actions import append_fact
from guishu.record.models import Project
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site() -> Project:
    project = make_project(code="ops")
    append_fact(project=project, data=visit("zhangsan", "13800000001"))
    return project


def _receipt_file(tmp_path: Path, project: Project, seq: int, **change: object) -> Path:
    doc = receipts.issue(project, seq).to_dict() | change
    path = tmp_path / f"receipt-{seq}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_verify_says_ok_and_what_it_checked(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--project", "ops", "--projections"]) == 0
    out = capsys.readouterr().out
    assert "OK ops: 11 条" in out and "signed head" in out
    assert "projections match a replay" in out


def test_an_exported_checkpoint_log_holds_the_record_to_its_heads(
    site: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "ops.jsonl"
    assert main(["checkpoints", "--project", "ops", "--out", str(export)]) == 0
    lines = export.read_text().splitlines()
    assert len(lines) == 11  # one signed head per commit, each append here its own commit
    append_fact(project=site, data=visit("lisi", "13800000002"))  # the record goes on: still consistent
    assert main(["verify", "--project", "ops", "--checkpoints", str(export)]) == 0
    # a head signed by someone else's key is not the site's
    last = tree_heads.TreeHead.from_dict(json.loads(lines[-1]))
    forged = tree_heads.sign(Ed25519PrivateKey.generate(), site="ops", size=last.size, root=last.root, at=last.at)
    export.write_text(json.dumps(forged.to_dict()) + "\n")
    capsys.readouterr()
    assert main(["verify", "--project", "ops", "--checkpoints", str(export)]) == 1
    assert "signature does not hold" in capsys.readouterr().out
    export.write_text("not json\n")
    assert main(["verify", "--project", "ops", "--checkpoints", str(export)]) == 2
    assert "ops.jsonl:1" in capsys.readouterr().out


def test_verify_receipt_on_the_server_and_offline(
    site: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    early = _receipt_file(tmp_path, site, 11)  # the receipt its agent was given
    for i in range(5):
        append_fact(project=site, data=visit("lisi", f"1380000002{i}"))
    assert main(["verify-receipt", str(early)]) == 0
    assert "VALID ops #11" in capsys.readouterr().out
    # offline: the file alone, with the site's public key; then against a later head
    assert main(["signing-key"]) == 0
    printed = capsys.readouterr().out
    public = public_b64(signing.public_key())
    assert public in printed and key_id(signing.public_key()) in printed
    assert main(["verify-receipt", str(early), "--offline", "--public-key", public]) == 0
    early_size = json.loads(early.read_text())["tree_head"]["size"]
    assert early_size == 11  # signed in entry 11's own commit
    head, proof = receipts.consistency(site, early_size)  # what the API answers today
    against = tmp_path / "later.json"
    against.write_text(json.dumps(receipts.consistency_json(head, proof)))
    assert main(["verify-receipt", str(early), "--offline", "--public-key", public, "--against", str(against)]) == 0
    # someone else's key, a changed hash, not a receipt at all
    other = public_b64(Ed25519PrivateKey.generate().public_key())
    capsys.readouterr()
    assert main(["verify-receipt", str(early), "--offline", "--public-key", other]) == 1
    assert "not signed by this site" in capsys.readouterr().out
    forged = _receipt_file(tmp_path, site, 12, entry_hash="0" * 64)
    assert main(["verify-receipt", str(forged)]) == 1
    assert "INVALID ops #12" in capsys.readouterr().out
    (tmp_path / "junk.json").write_text("{}")
    assert main(["verify-receipt", str(tmp_path / "junk.json")]) == 2
    assert main(["verify-receipt", str(early), "--offline"]) == 2  # offline needs the key
