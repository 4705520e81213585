from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "guishu.filings"
    label = "filings"
    verbose_name = "备案、关系与节点 / Pre-filings, relations and milestones"
    default_auto_field = "django.db.models.BigAutoField"
