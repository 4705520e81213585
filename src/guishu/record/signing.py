"""The site's signing key: an Ed25519 key in a file outside the database.

Its path comes from ``GUISHU_SIGNING_KEY`` (settings.SIGNING_KEY_PATH; by default
``<data>/keys/signing-ed25519.pem``); it is generated on first use, written once with mode
0600, and never logged or shown. Whoever holds the database but not this file cannot sign a
tree head, so cannot hide a rewrite from ``guishu verify`` (docs/security.md).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from django.conf import settings

_lock = threading.Lock()
_cached: dict[Path, Ed25519PrivateKey] = {}


class SigningKeyError(RuntimeError):
    """The key file exists but is not an Ed25519 private key, or cannot be read."""


def key_path() -> Path:
    return Path(settings.SIGNING_KEY_PATH)


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use his
        return
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())


_last: tuple[object, Ed25519PrivateKey] | None = None  # (the setting's value, its key): the writer asks per commit


def private_key() -> Ed25519PrivateKey:
    """The signing key, made on first use."""
    global _last
    setting = settings.SIGNING_KEY_PATH
    last = _last
    if last is not None and last[0] is setting:
        return last[1]
    path = Path(setting)
    with _lock:
        key = _cached.get(path)
        if key is not None:
            _last = (setting, key)
            return key
        if not path.exists():
            _create(path)
        try:
            loaded = load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise SigningKeyError(f"签名密钥无法读取 / the signing key at {path} cannot be read") from exc
        if not isinstance(loaded, Ed25519PrivateKey):
            raise SigningKeyError(f"签名密钥不是 Ed25519 / the signing key at {path} is not Ed25519")
        _cached[path] = loaded
        _last = (setting, loaded)
        return loaded


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def forget() -> None:
    """Drop the cached key (tests, a restored key file)."""
    global _last
    with _lock:
        _cached.clear()
        _last = None
