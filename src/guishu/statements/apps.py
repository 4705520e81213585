from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "guishu.statements"
    label = "statements"
    verbose_name = "结佣单 / Commission statements"
    default_auto_field = "django.db.models.BigAutoField"
