from django.urls import path

from guishu.penalties import views

urlpatterns = [
    path("", views.page, name="penalties"),
    path("export/", views.export, name="penalties_export"),
]
