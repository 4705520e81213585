from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "guishu.record"
    label = "record"
    verbose_name = "归属记录 / The record"
    default_auto_field = "django.db.models.BigAutoField"
