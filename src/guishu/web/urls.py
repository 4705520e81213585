"""URL map: the front desk and the record."""

from django.urls import include, path

urlpatterns = [
    path("", include("guishu.record.urls")),
]
