"""Chain format v2 from the next entry of every existing project; signed tree heads; the
Merkle tree of every existing record filled in, and its head signed (``record.signed_heads``)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from guishu.record.migrations._compact import create_compact

SQLITE = (
    'CREATE TABLE "record_signedhead" ('
    '"project_id" bigint NOT NULL REFERENCES "record_project" ("id") DEFERRABLE INITIALLY DEFERRED, '
    '"size" bigint unsigned NOT NULL CHECK ("size" >= 0), '
    '"root" BLOB NOT NULL, '
    '"at" datetime NOT NULL, '
    '"key" varchar(16) NOT NULL, '
    '"signature" BLOB NOT NULL, '
    'PRIMARY KEY ("project_id", "size")) WITHOUT ROWID'
)


def v2_from_next_entry(apps: Any, schema_editor: Any) -> None:
    """Entries already written keep v1; nothing is ever re-hashed."""
    ChainHead = apps.get_model("record", "ChainHead")
    for head in ChainHead.objects.all():
        head.format_from = head.seq + 1
        head.save(update_fields=["format_from"])


def fill_trees(apps: Any, schema_editor: Any) -> None:
    from guishu.record import signed_heads

    Project = apps.get_model("record", "Project")
    for project in Project.objects.all():
        signed_heads.catch_up(project.pk, project.code, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0006_merkle_nodes"),
    ]

    operations = [
        migrations.AddField(
            model_name="chainhead",
            name="format_from",
            field=models.PositiveBigIntegerField(default=1),
        ),
        migrations.RunPython(v2_from_next_entry, migrations.RunPython.noop),
        migrations.AddField(model_name="chainhead", name="root", field=models.BinaryField(max_length=32, null=True)),
        migrations.AddField(model_name="chainhead", name="signed_at", field=models.DateTimeField(null=True)),
        migrations.AddField(
            model_name="chainhead", name="key", field=models.CharField(blank=True, default="", max_length=16)
        ),
        migrations.AddField(model_name="chainhead", name="signature", field=models.BinaryField(max_length=64, null=True)),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SignedHead",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "project", "size", blank=True, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("size", models.PositiveBigIntegerField()),
                        ("root", models.BinaryField(max_length=32)),
                        ("at", models.DateTimeField()),
                        ("key", models.CharField(max_length=16)),
                        ("signature", models.BinaryField(max_length=64)),
                        (
                            "project",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="record.project",
                            ),
                        ),
                    ],
                ),
            ],
        ),
        create_compact("SignedHead", SQLITE),
        migrations.RunPython(fill_trees, migrations.RunPython.noop),
    ]
