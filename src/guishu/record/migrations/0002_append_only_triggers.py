"""Refuse UPDATE and DELETE of record entries in the database itself (defence in depth)."""

from django.db import migrations

from guishu.record.migrations._triggers import statements


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in statements(schema_editor.connection.vendor, drop=False):
        schema_editor.execute(sql)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in statements(schema_editor.connection.vendor, drop=True):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
