"""Data: the name index's key gains the initials before the pinyin ('wjg|wang jian guo'), so that
the front desk finds 王建国 by wjg as well as by his name's sound (issue 15). A projection:
recomputed from each stored name, nothing in the record changes."""

from typing import Any

from django.db import migrations

from guishu.core.identity import name_key

BATCH = 2000


def forwards(apps: Any, schema_editor: Any) -> None:
    NameIndex = apps.get_model("record", "NameIndex")
    batch = []
    for row in NameIndex.objects.only("pk", "name", "pinyin").iterator(chunk_size=BATCH):
        key = name_key(row.name)
        if row.pinyin != key:
            row.pinyin = key
            batch.append(row)
        if len(batch) >= BATCH:
            NameIndex.objects.bulk_update(batch, ["pinyin"])
            batch = []
    if batch:
        NameIndex.objects.bulk_update(batch, ["pinyin"])


class Migration(migrations.Migration):
    dependencies = [("record", "0007_signed_heads")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
