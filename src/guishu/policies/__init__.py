"""The policy presets: one TOML file per distinct seed policy (s1, s4, s6 ... s18).

This package reads files; the pure core only parses text (guishu.core.policy).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from guishu import text_files
from guishu.core.policy import Policy, PolicyError, parse_policy

PRESET_IDS: tuple[str, ...] = ("s1", "s4", "s6", "s7", "s8", "s10", "s11", "s14", "s16", "s18")


def preset_text(preset: str) -> str:
    if preset not in PRESET_IDS:
        known = ", ".join(PRESET_IDS)
        raise PolicyError("policy", f"未知的预设制度 {preset!r} / unknown preset (known: {known})")
    return resources.files(__package__).joinpath(f"{preset}.toml").read_text(encoding="utf-8")


@cache
def load_preset(preset: str) -> Policy:
    return parse_policy(preset_text(preset))


def presets() -> dict[str, Policy]:
    return {p: load_preset(p) for p in PRESET_IDS}


def load_policy(name_or_path: str) -> Policy:
    """A preset id (``s8``) or the path of a site's own TOML file."""
    if name_or_path in PRESET_IDS:
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
