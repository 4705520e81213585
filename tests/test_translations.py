"""The English catalogue is complete: every msgid of the code (templates and Python) has an
English msgstr that is not fuzzy, keeps the msgid's placeholders, and is in the compiled .mo.

The msgids are extracted as ``makemessages`` finds them, from a copy of ``src/guishu`` in a
temporary folder with a copy of the committed catalogue, so the repository's .po is never
touched; a msgid added anywhere without its translation in the committed .po fails here.
Regenerate with ``cd src/guishu && DJANGO_SETTINGS_MODULE=guishu.web.settings
../../.venv/bin/python -m django makemessages -l en --no-obsolete``, fill the empty msgstrs,
then ``compilemessages``.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "guishu"
CATALOGUE = Path("locale") / "en" / "LC_MESSAGES"
PO = SRC / CATALOGUE / "django.po"
MO = SRC / CATALOGUE / "django.mo"
EXTENSIONS = (".py", ".html", ".txt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")


@dataclass
class Message:
    msgid: str
    msgstr: list[str]
    context: str | None = None
    plural: str | None = None
    flags: set[str] = field(default_factory=set)
    where: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.context}\x04{self.msgid}" if self.context is not None else self.msgid

    def __str__(self) -> str:
        return f"{self.msgid!r} ({' '.join(self.where) or 'no reference'})"


def _unquote(line: str) -> str:
    text = line.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted PO string: {line!r}")
    out, i, body = [], 0, text[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def parse_po(text: str) -> list[Message]:
    """The live (not obsolete) messages of a PO file, the header excluded."""
    messages: list[Message] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fields: dict[str, str] = {}
        flags: set[str] = set()
        where: list[str] = []
        current = ""
        for line in lines:
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#:"):
                where += line[2:].split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current] += _unquote(line)
            else:
                current, _sep, rest = line.partition(" ")
                fields[current] = _unquote(rest)
        strs = [v for k, v in sorted(fields.items()) if k == "msgstr" or k.startswith("msgstr[")]
        m = Message(fields["msgid"], strs, fields.get("msgctxt"), fields.get("msgid_plural"), flags, where)
        if m.msgid or m.context is not None:
            messages.append(m)
    return messages


def test_parse_po_reads_what_makemessages_writes() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "已%(n)s"\nmsgstr ""\n"Done %(n)s"\n\n'
        'msgctxt "fact"\nmsgid "登记"\nmsgstr ""\n\n'
        '#~ msgid "旧"\n#~ msgstr "old"\n'
    )
    done, registration = parse_po(text)
    assert (done.msgid, done.msgstr, done.flags, done.where) == (
        "已%(n)s",
        ["Done %(n)s"],
        {"fuzzy", "python-format"},
        ["a.py:1"],
    )
    assert (registration.context, registration.msgstr, registration.key) == ("fact", [""], "fact\x04登记")


def _untranslated(messages: list[Message]) -> list[str]:
    return [str(m) for m in messages if "fuzzy" in m.flags or not all(s.strip() for s in m.msgstr)]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> list[Message]:
    """Every msgid of src/guishu today, merged with the committed catalogue by makemessages."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        message = "makemessages needs GNU gettext (xgettext, msgmerge): apt-get install gettext"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("messages") / "guishu"
    for path in SRC.rglob("*"):
        if path.is_file() and path.suffix in EXTENSIONS and "__pycache__" not in path.parts:
            target = root / path.relative_to(SRC)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (root / CATALOGUE).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PO, root / CATALOGUE / "django.po")
    # without settings, makemessages writes to ./locale only (with them, to LOCALE_PATHS: the repo)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return parse_po((root / CATALOGUE / "django.po").read_text(encoding="utf-8"))


def test_extraction_finds_the_codes_msgids(extracted: list[Message]) -> None:
    """The extraction reads templates and Python: a known msgid of each is found."""
    where = {w.split(":")[0] for m in extracted for w in m.where}
    assert "desk/templates/desk/_card.html" in where and "sites/templatetags/words.py" in where
    assert len(extracted) > 100


def test_every_msgid_has_an_english_translation(extracted: list[Message]) -> None:
    """Every msgid found in the code (templates and Python) has a non-empty, non-fuzzy English
    msgstr in the committed catalogue."""
    missing = _untranslated(extracted)
    assert missing == [], "untranslated or fuzzy in the en catalogue:\n" + "\n".join(missing)


def test_the_committed_catalogue_is_complete() -> None:
    """The committed .po itself has no empty or fuzzy entry."""
    messages = parse_po(PO.read_text(encoding="utf-8"))
    assert messages
    assert _untranslated(messages) == []


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_translations_keep_the_placeholders() -> None:
    """A msgstr names the same %(name)s placeholders as its msgid (else formatting breaks)."""
    wrong = []
    for m in parse_po(PO.read_text(encoding="utf-8")):
        for i, s in enumerate(m.msgstr):
            source = m.plural if m.plural is not None and i > 0 else m.msgid
            if _placeholders(s) != _placeholders(source):
                wrong.append(str(m))
    assert wrong == []


# a Chinese text and its English in one literal: "已登记 / registered"
INLINE = re.compile(r"[\u4e00-\u9fff][^\"'{}<>]* / [A-Za-z]")


def test_no_template_says_two_languages_at_once() -> None:
    """Words: a template's words are gettext msgids in one language, never "中文 / English"."""
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert found == []


def test_the_compiled_catalogue_is_the_committed_one() -> None:
    """The .mo Django reads says what the .po says (compilemessages was run after the last edit)."""
    with MO.open("rb") as f:
        compiled: dict[object, str] = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    stale = []
    for m in parse_po(PO.read_text(encoding="utf-8")):
        if m.plural is None:
            if compiled.get(m.key) != m.msgstr[0]:
                stale.append(str(m))
        elif [compiled.get((m.key, i)) for i in range(len(m.msgstr))] != m.msgstr:
            stale.append(str(m))
    assert stale == [], "run compilemessages:\n" + "\n".join(stale)
