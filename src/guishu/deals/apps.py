from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "guishu.deals"
    label = "deals"
    verbose_name = "成交 / Deals"
    default_auto_field = "django.db.models.BigAutoField"
