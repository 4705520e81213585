from django.apps import AppConfig


class PenaltiesConfig(AppConfig):
    name = "guishu.penalties"
    label = "penalties"
    verbose_name = "罚款台账 / The penalties ledger"
    default_auto_field = "django.db.models.BigAutoField"
