from django.apps import AppConfig


class RotationConfig(AppConfig):
    name = "guishu.rotation"
    label = "rotation"
    verbose_name = "接待轮序 / Reception rotation"
    default_auto_field = "django.db.models.BigAutoField"
