"""guishu backup and guishu restore (issue 12): a site's record and the key out, into a fresh
deployment, verified there; a backup altered in between fails the verify after its restore."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from guishu.cli.main import main
from guishu.record.actions import append_fact
from tests.record.builders import make_project, visit

pytestmark = pytest.mark.django_db(transaction=True)


def _fresh_deployment(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A guishu command in a deployment of its own: a new SQLite database and data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUISHU_") and k != "DATABASE_URL"}
    env |= {"GUISHU_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "guishu.web.settings"}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True, timeout=300)
    guishu = Path(sys.executable).with_name("guishu")
    return subprocess.run([str(guishu), *args], env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603


@pytest.fixture
def backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    project = make_project(code="ops")
    clerk = User.objects.create_user(username="sunba", first_name="孙八")
    append_fact(project=project, data=visit("zhangsan", "13800000001"), actor=clerk)
    append_fact(project=project, data=visit("lisi", "13800000002"))
    folder = tmp_path / "backup"
    assert main(["backup", "--project", "ops", "--out", str(folder)]) == 0
    assert "12 条" in capsys.readouterr().out
    assert (folder / "signing-ed25519.pem").stat().st_mode & 0o077 == 0  # the key: its owner only
    assert main(["backup", "--project", "ops", "--out", str(folder)]) == 2  # never over a backup
    assert main(["restore", str(folder)]) == 2  # the site is here already
    assert "已存在" in capsys.readouterr().out
    return folder


def test_a_backup_restores_into_a_fresh_deployment_and_verifies(backup: Path, tmp_path: Path) -> None:
    run = _fresh_deployment(tmp_path / "new", "restore", str(backup))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "OK ops: 已恢复 12 条" in run.stdout
    run = _fresh_deployment(tmp_path / "new", "verify", "--projections")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "projections match a replay" in run.stdout


def test_a_backup_altered_in_between_fails_after_its_restore(backup: Path, tmp_path: Path) -> None:
    path = backup / "record.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        item = json.loads(line)
        if item.get("entry", {}).get("seq") == 11:
            item["entry"]["payload"] = item["entry"]["payload"].replace("zhangsan", "zhouqi")
            lines[i] = json.dumps(item, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = _fresh_deployment(tmp_path / "new", "restore", str(backup))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "BAD ops" in run.stdout and "第 11 条" in run.stdout
