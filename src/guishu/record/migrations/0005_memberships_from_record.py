"""Data: fill the membership projection from the staff facts already in every site's record."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    Entry = apps.get_model("record", "Entry")
    Membership = apps.get_model("record", "Membership")
    rows = Entry.objects.filter(kind__in=("staff_joined", "staff_left")).order_by("project_id", "seq")
    for e in rows.iterator():
        p = e.payload
        if e.kind == "staff_joined":
            Membership.objects.update_or_create(
                project_id=e.project_id,
                staff=p["staff"],
                defaults={
                    "name": p["name"],
                    "role": p["role"],
                    "team": p.get("team") or "",
                    "channel": p.get("channel") or "",
                    "joined_at": p["at"],
                    "left_at": None,
                    "fact": e.fact_id,
                },
            )
        else:
            Membership.objects.filter(project_id=e.project_id, staff=p["staff"], left_at__isnull=True).update(
                left_at=p["at"], fact=e.fact_id
            )


class Migration(migrations.Migration):
    dependencies = [("record", "0004_memberships")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
