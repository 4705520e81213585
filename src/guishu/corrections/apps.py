from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "guishu.corrections"
    label = "corrections"
    verbose_name = "更正 / Corrections"
    default_auto_field = "django.db.models.BigAutoField"
