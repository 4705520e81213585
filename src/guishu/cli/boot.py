"""Django for the CLI's service commands, set up on first use (the pure commands never load it)."""

from __future__ import annotations

import os


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guishu.web.settings")
    import django

    django.setup()
