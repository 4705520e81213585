from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "guishu.letters"
    label = "letters"
    verbose_name = "打印件 / Printed documents"
    default_auto_field = "django.db.models.BigAutoField"
