"""``python -m django db_roles``: migrate as the database owner, grant the app's role its
privileges, and refuse (exit 2) an app role that could rewrite the record in production mode
(``guishu.record.db_roles``). ``guishu serve`` runs it before serving."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from guishu.record import db_roles


class Command(BaseCommand):
    help = "migrate as the database owner, then grant the app's role exactly its privileges (PostgreSQL)"

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        try:
            grants = db_roles.migrate(verbosity=max(0, verbosity - 1))
        except db_roles.RoleRefused as refused:
            # a clear refusal, never a traceback, however the command was called (guishu serve)
            self.stderr.write(str(refused))
            raise SystemExit(2) from None
        if verbosity:
            if grants is None:
                self.stdout.write("已迁移;单一数据库角色,无需授权 / migrated; one database role, nothing to grant")
            else:
                self.stdout.write(f"已迁移并授权 / migrated and granted: {grants}")
