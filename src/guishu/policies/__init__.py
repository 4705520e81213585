"""The policy presets: one TOML file per distinct seed policy (s1, s4, s6 ... s18), and its
later versions.

``s8.toml`` is version 1; a later version is a file ``s8@v2.toml`` that names the version and
only the keys it changes (read over version 1's). The bare id ``s8`` always means version 1,
the meaning every record written before a version existed was decided by; a site stays on the
version it chose until a ``policy_changed`` fact moves it (the standing rule on versions).

This package reads files; the pure core only parses text (guishu.core.policy).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from guishu import text_files
from guishu.core.policy import Policy, PolicyError, parse_policy, policy_from_dict

PRESET_IDS: tuple[str, ...] = ("s1", "s4", "s6", "s7", "s8", "s10", "s11", "s14", "s16", "s18")


def _file(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _exists(name: str) -> bool:
    return resources.files(__package__).joinpath(name).is_file()


def split_id(preset: str) -> tuple[str, int]:
    """``s8`` -> ("s8", 1); ``s8@v2`` -> ("s8", 2). Refuses an unknown preset or version."""
    base, sep, version = preset.partition("@v")
    known = ", ".join(PRESET_IDS)
    if base not in PRESET_IDS:
        raise PolicyError("policy", f"未知的预设制度 {preset!r} / unknown preset (known: {known})")
    if not sep:
        return base, 1
    if not version.isdigit() or (version != "1" and not _exists(f"{base}@v{version}.toml")):
        raise PolicyError("policy", f"{base} 没有版本 {version!r} / no such version of {base}")
    return base, int(version)


def versions(preset: str) -> tuple[str, ...]:
    """Every version of one preset, oldest first: ("s8@v1", "s8@v2")."""
    base, _ = split_id(preset)
    found = [f"{base}@v1"]
    n = 2
    while _exists(f"{base}@v{n}.toml"):
        found.append(f"{base}@v{n}")
        n += 1
    return tuple(found)


def latest(preset: str) -> str:
    """The newest version of a preset: what a new site is given."""
    return versions(preset)[-1]


def catalogue_ids() -> tuple[str, ...]:
    """Every preset version a site may choose, newest of each last."""
    return tuple(v for p in PRESET_IDS for v in versions(p))


def preset_text(preset: str) -> str:
    """Version 1's text of a preset (the file a later version is read over)."""
    base, _ = split_id(preset)
    return _file(f"{base}.toml")


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@cache
def load_preset(preset: str) -> Policy:
    base, version = split_id(preset)
    if version == 1:
        return parse_policy(_file(f"{base}.toml"))
    data = tomllib.loads(_file(f"{base}.toml"))
    over = tomllib.loads(_file(f"{base}@v{version}.toml"))
    if over.get("version") != version:
        raise PolicyError("version", f"{base}@v{version}.toml 须写明 version = {version} / must state its version")
    return policy_from_dict(_merged(data, over))


def presets() -> dict[str, Policy]:
    """The catalogue a record's ``policy_changed`` facts name: bare ids (version 1) and every
    ``id@vN``."""
    out = {p: load_preset(p) for p in PRESET_IDS}
    out.update({v: load_preset(v) for v in catalogue_ids()})
    return out


def is_preset(name: str) -> bool:
    try:
        split_id(name)
    except PolicyError:
        return False
    return True


def load_policy(name_or_path: str) -> Policy:
    """A preset id (``s8``, ``s8@v2``) or the path of a site's own TOML file."""
    if is_preset(name_or_path):
        return load_preset(name_or_path)
    path = Path(name_or_path)
    if not path.exists():
        raise PolicyError("policy", f"找不到制度 {name_or_path!r} / no such preset or file")
    try:
        text = text_files.text(path)
    except text_files.TextFileError as exc:
        where = f"{name_or_path} 第 {exc.line} 行 / line {exc.line}" if exc.line else name_or_path
        raise PolicyError("policy", f"{where}: {exc.message}") from None
    return parse_policy(text)
