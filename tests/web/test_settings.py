"""Security settings from the environment (issue 13): production mode refuses a missing or
public secret key and missing host names, and `manage.py check --deploy` is clean in it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

STRONG = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEF"


def _django(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for live_server in this process;
    # a deployment never has it (check --deploy refuses it, async.E001).
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUISHU_") and k not in dropped}
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "django", *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "guishu.web.settings", "GUISHU_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {"GUISHU_MODE": "production", "GUISHU_SECRET_KEY": STRONG, "GUISHU_ALLOWED_HOSTS": "sales.example.cn"}


def test_check_deploy_is_clean_in_production_mode(tmp_path: Path) -> None:
    run = _django(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_demo_mode_fails_check_deploy(tmp_path: Path) -> None:
    """The same check is not clean in demo mode: it can tell the two apart."""
    run = _django(["check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert run.returncode != 0
    assert "security.W004" in run.stderr + run.stdout  # no HSTS


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({"GUISHU_SECRET_KEY": ""}, "needs GUISHU_SECRET_KEY"),
        ({"GUISHU_SECRET_KEY": "dev-only-insecure-key-change-me-for-any-real-site"}, "public default"),
        ({"GUISHU_SECRET_KEY": "short"}, "too weak"),
        ({"GUISHU_ALLOWED_HOSTS": ""}, "needs GUISHU_ALLOWED_HOSTS"),
        ({"GUISHU_DEBUG": "1"}, "refused in production"),
        ({"GUISHU_MODE": "prod"}, "must be demo or production"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path: Path, env: dict[str, str], refusal: str) -> None:
    run = _django(["check"], tmp_path, **{**PRODUCTION, **env})
    assert run.returncode != 0 and refusal in run.stderr


def test_each_setting_comes_from_the_environment(tmp_path: Path) -> None:
    probe = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS, s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {**PRODUCTION, "GUISHU_SSL_REDIRECT": "0", "GUISHU_HSTS_SECONDS": "60", "GUISHU_PROXY_SSL_HEADER": "1"}
    run = _django(["shell", "--no-imports", "-c", probe], tmp_path, **env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[0] == ("False 60 True True ['sales.example.cn'] ('HTTP_X_FORWARDED_PROTO', 'https')")


def test_demo_mode_makes_its_own_key_once(tmp_path: Path) -> None:
    probe = "from django.conf import settings as s; print(s.SECRET_KEY)"
    first = _django(["shell", "--no-imports", "-c", probe], tmp_path).stdout.strip()
    again = _django(["shell", "--no-imports", "-c", probe], tmp_path).stdout.strip()
    assert first == again and len(first) >= 50 and "dev-only" not in first
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0  # readable by its owner only
