"""URL map: the desk screens, language switching."""

from django.urls import include, path

from guishu.api.api import api
from guishu.api.pages import agent_page

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("visits/", include("guishu.visits.urls")),
    path("agent/", agent_page, name="agent"),
    path("", include("guishu.desk.urls")),
]
