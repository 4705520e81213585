from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "guishu.desk"
    label = "desk"
    verbose_name = "案场 / The sales office"
    default_auto_field = "django.db.models.BigAutoField"
