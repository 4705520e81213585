"""``guishu db-roles``: migrate as the database owner and (re)apply the app role's grants
(PostgreSQL with GUISHU_OWNER_DATABASE_URL; ``guishu.record.db_roles``)."""

from __future__ import annotations

import argparse

from guishu.cli.boot import django_setup


def cmd_db_roles(args: argparse.Namespace) -> int:
    django_setup()
    from django.core.management import call_command

    call_command("db_roles", verbosity=1)  # a refusal exits 2 with its reasons, in Chinese and English
    return 0


def add_db_roles_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    roles = sub.add_parser("db-roles", help="migrate as the database owner and grant the app role (PostgreSQL)")
    roles.set_defaults(func=cmd_db_roles)
