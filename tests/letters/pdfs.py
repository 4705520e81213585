"""Reading a PDF as a person would see it: its text (pdftotext, poppler-utils), its fonts
(pdffonts), its first page as an image kept in test-artifacts/letters/, and the QR on it
decoded from that image (zbarimg, zbar-tools). ``scripts/setup`` installs the three tools."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.browser.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "letters"


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: run ./scripts/setup as root (poppler-utils, zbar-tools)"
    return found


def _run(tool: str, *args: str, data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        command = [_tool(tool), *args, f.name, *(["-"] if tool == "pdftotext" else [])]
        done = subprocess.run(  # noqa: S603
            command,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout


def text(data: bytes) -> str:
    return _run("pdftotext", "-layout", data=data)


def words(data: bytes) -> str:
    """The text without the layout's spacing, for phrases that wrap or align in columns."""
    return "".join(text(data).split())


def fonts(data: bytes) -> str:
    return _run("pdffonts", data=data)


def page_image(data: bytes, name: str) -> Path:
    """The first page at 150 dpi, kept as an artifact."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        args = ["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", f.name, str(SHOTS / name)]
        subprocess.run([_tool("pdftoppm"), *args], check=True, timeout=60)  # noqa: S603
    return SHOTS / f"{name}.png"


def qr_text(image: Path) -> str:
    """What a phone scanning the page's QR reads."""
    done = subprocess.run(  # noqa: S603
        [_tool("zbarimg"), "--quiet", "--raw", str(image)], check=True, capture_output=True, text=True, timeout=60
    )
    return done.stdout.strip()
