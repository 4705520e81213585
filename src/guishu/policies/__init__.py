"""The policy presets: one TOML file per distinct seed policy (s1, s4, s6 ... s18).

This package reads files; the pure core only parses text (guishu.core.policy).
"""

from __future__ import annotations

import codecs
from functools import cache
from importlib import resources
from pathlib import Path

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
        text = path.read_bytes().removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except OSError as exc:
        raise PolicyError("policy", f"无法读取文件 {name_or_path!r} / cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise PolicyError(
            "policy", f"文件不是 UTF-8 编码,第 {exc.start + 1} 个字节有误 / not UTF-8 text at byte {exc.start + 1}"
        ) from None
    return parse_policy(text)
