"""URL map: the desk screens, language switching."""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("guishu.desk.urls")),
]
