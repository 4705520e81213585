"""A migration operation that creates a model's table WITHOUT ROWID on SQLite (one B-tree for a
table keyed by its composite primary key) and as Django would elsewhere."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def create_compact(model: str, sqlite_sql: str) -> migrations.RunPython:
    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(sqlite_sql)
        else:
            schema_editor.create_model(apps.get_model("record", model))

    def backwards(apps: Any, schema_editor: Any) -> None:
        schema_editor.delete_model(apps.get_model("record", model))

    return migrations.RunPython(forwards, backwards)
