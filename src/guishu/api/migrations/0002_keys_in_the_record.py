"""Keys issued before their audit record existed get it now (``guishu.api.keys``): one
``api_key_issued`` fact for each, and ``api_key_revoked`` for those already revoked, appended
through the record's own writer (so not inside the migration's transaction)."""

from typing import Any

from django.db import migrations


def record_existing_keys(apps: Any, schema_editor: Any) -> None:
    from guishu.record.actions import append_fact
    from guishu.record.models import Entry, Project

    ApiKey = apps.get_model("api", "ApiKey")
    for key in ApiKey.objects.order_by("pk"):
        project = Project.objects.get(pk=key.project_id)
        known = Entry.objects.filter(project=project, kind="api_key_issued", payload__key=key.hashed).exists()
        if not known:
            append_fact(
                project=project,
                data={"kind": "api_key_issued", "staff": key.agent, "channel": key.channel, "key": key.hashed},
            )
        revoked = Entry.objects.filter(project=project, kind="api_key_revoked", payload__key=key.hashed).exists()
        if key.revoked_at is not None and not revoked:
            append_fact(project=project, data={"kind": "api_key_revoked", "staff": key.agent, "key": key.hashed})


class Migration(migrations.Migration):
    atomic = False  # each append is its own durable transaction

    dependencies = [
        ("api", "0001_agent_api_keys"),
        ("record", "0007_signed_heads"),
    ]

    operations = [migrations.RunPython(record_existing_keys, migrations.RunPython.noop)]
