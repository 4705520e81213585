"""Drop the single-column indexes Django adds to foreign keys the record never filters by alone.

Each unique constraint already leads with ``project``, and every index costs a page write
in each append's commit. Dropped by name (the names are the same on SQLite and
PostgreSQL): altering the fields would make SQLite rebuild ``record_entry`` and lose its
append-only triggers.
"""

from __future__ import annotations

from collections.abc import Callable

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DROPPED = (  # (index, table, column)
    ("record_entry_actor_id_7d560c4c", "record_entry", "actor_id"),
    ("record_entry_project_id_31efcf82", "record_entry", "project_id"),
    ("record_groupverdict_project_id_6edca1b5", "record_groupverdict", "project_id"),
    ("record_nameindex_project_id_46ce5b78", "record_nameindex", "project_id"),
    ("record_phoneindex_project_id_03a66f91", "record_phoneindex", "project_id"),
)


def _fk(to: str, related_name: str, on_delete: Callable[..., None], *, null: bool = False) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(to=to, related_name=related_name, on_delete=on_delete, null=null, db_index=False)


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0002_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{name}"' for name, _, _ in DROPPED],
                    reverse_sql=[f'CREATE INDEX "{name}" ON "{table}" ("{column}")' for name, table, column in DROPPED],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="actor",
                    field=_fk(settings.AUTH_USER_MODEL, "+", django.db.models.deletion.PROTECT, null=True),
                ),
                migrations.AlterField(
                    model_name="entry",
                    name="project",
                    field=_fk("record.project", "entries", django.db.models.deletion.PROTECT),
                ),
                migrations.AlterField(
                    model_name="groupverdict",
                    name="project",
                    field=_fk("record.project", "verdicts", django.db.models.deletion.CASCADE),
                ),
                migrations.AlterField(
                    model_name="nameindex",
                    name="project",
                    field=_fk("record.project", "+", django.db.models.deletion.CASCADE),
                ),
                migrations.AlterField(
                    model_name="phoneindex",
                    name="project",
                    field=_fk("record.project", "+", django.db.models.deletion.CASCADE),
                ),
            ],
        )
    ]
