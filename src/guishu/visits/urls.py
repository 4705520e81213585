from django.urls import path

from guishu.visits import views

urlpatterns = [
    path("", views.forms, name="visit_forms"),
    path("<int:pk>/sign/", views.sign, name="visit_sign"),
]
