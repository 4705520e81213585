from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "guishu.duty"
    label = "duty"
    verbose_name = "考勤与离职客户 / Duty and leavers' customers"
    default_auto_field = "django.db.models.BigAutoField"
