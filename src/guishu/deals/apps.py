from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "guishu.deals"
    label = "deals"
    verbose_name = "成交与更正 / Deals and corrections"
    default_auto_field = "django.db.models.BigAutoField"
