from django.apps import AppConfig
from django.core import checks


class RecordConfig(AppConfig):
    name = "guishu.record"
    label = "record"
    verbose_name = "归属记录 / The record"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from guishu.record.db_roles import check_app_role

        # PostgreSQL: in production the app's database role must not be able to rewrite the record
        checks.register(check_app_role, checks.Tags.database)
