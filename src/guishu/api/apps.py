from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "guishu.api"
    label = "api"
    verbose_name = "渠道接口 / Channel API"
    default_auto_field = "django.db.models.BigAutoField"
