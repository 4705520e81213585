from django.apps import AppConfig


class LoginsConfig(AppConfig):
    name = "guishu.logins"
    verbose_name = "登录 / Logins"
    default_auto_field = "django.db.models.BigAutoField"
