from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "guishu.sites"
    label = "sites"
    verbose_name = "案场与权限 / sites and access"
