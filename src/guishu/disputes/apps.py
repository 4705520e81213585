from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "guishu.disputes"
    label = "disputes"
    verbose_name = "投诉、争议与申诉 / Complaints, disputes and appeals"
    default_auto_field = "django.db.models.BigAutoField"
