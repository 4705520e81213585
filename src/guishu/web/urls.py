"""URL map: the desk screens, language switching."""

from django.urls import include, path

from guishu.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("guishu.desk.urls")),
]
