from django.urls import path

from guishu.duty import views

urlpatterns = [
    path("", views.sheet, name="duty"),
    path("correct/", views.correct, name="duty_correct"),
    path("pool/", views.pool, name="duty_pool"),
    path("pool/assign/", views.assign, name="duty_assign"),
]
