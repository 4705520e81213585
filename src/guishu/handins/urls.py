from django.urls import path

from guishu.handins import views

urlpatterns = [
    path("", views.page, name="handins"),
    path("new/", views.hand_in, name="handins_new"),
    path("reconfirm/", views.reconfirm, name="handins_reconfirm"),
]
