from django.urls import path

from guishu.disputes import views

urlpatterns = [
    path("", views.page, name="disputes"),
    path("complaint/", views.complaint, name="disputes_complaint"),
    path("dispute/", views.dispute, name="disputes_dispute"),
    path("decide/", views.decision, name="disputes_decide"),
    path("appeal/", views.appeal, name="disputes_appeal"),
]
