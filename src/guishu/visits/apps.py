from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "guishu.visits"
    label = "visits"
    verbose_name = "来访确认 / Visit confirmation"
    default_auto_field = "django.db.models.BigAutoField"
