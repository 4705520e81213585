from django.apps import AppConfig


class HandInsConfig(AppConfig):
    name = "guishu.handins"
    label = "handins"
    verbose_name = "确认台 / The confirmation desk"
    default_auto_field = "django.db.models.BigAutoField"
