"""The signing key lives in a file outside the database, made once, readable by its owner only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guishu.record import signing


@pytest.fixture
def key_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    settings.SIGNING_KEY_PATH = tmp_path / "keys" / "signing.pem"
    signing.forget()
    yield settings.SIGNING_KEY_PATH
    signing.forget()


def test_the_key_is_made_on_first_use_and_kept(key_file: Path) -> None:
    assert not key_file.exists()
    first = signing.public_key()
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0
    signing.forget()
    assert signing.public_key() == first  # read back, not made again


def test_a_damaged_key_file_is_named(key_file: Path) -> None:
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(b"not a key")
    with pytest.raises(signing.SigningKeyError, match="cannot be read"):
        signing.private_key()
