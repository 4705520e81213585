"""Drop the single-column indexes Django adds to foreign keys the record never filters by alone.

Each unique constraint already leads with ``project``, and every index costs a page write
in each append's commit. Dropped by name (the names are the same on SQLite and
PostgreSQL): altering the fields would make SQLite rebuild ``record_entry`` and lose its
append-only triggers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import migrations, models
from django.db.models.deletion import CASCADE, PROTECT

# (model, field, target, related_name, on_delete, null, the index Django named for it)
FIELDS = (
    ("entry", "actor", settings.AUTH_USER_MODEL, "+", PROTECT, True, "record_entry_actor_id_7d560c4c"),
    ("entry", "project", "record.project", "entries", PROTECT, False, "record_entry_project_id_31efcf82"),
    (
        "groupverdict",
        "project",
        "record.project",
        "verdicts",
        CASCADE,
        False,
        "record_groupverdict_project_id_6edca1b5",
    ),
    ("nameindex", "project", "record.project", "+", CASCADE, False, "record_nameindex_project_id_46ce5b78"),
    ("phoneindex", "project", "record.project", "+", CASCADE, False, "record_phoneindex_project_id_03a66f91"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0002_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{index}"' for *_, index in FIELDS],
                    reverse_sql=[
                        f'CREATE INDEX "{index}" ON "record_{model}" ("{name}_id")' for model, name, *_, index in FIELDS
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name=name,
                    field=models.ForeignKey(
                        to=to, related_name=related, on_delete=on_delete, null=null, db_index=False
                    ),
                )
                for model, name, to, related, on_delete, null, _ in FIELDS
            ],
        )
    ]
