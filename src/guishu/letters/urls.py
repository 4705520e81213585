from django.urls import path

from guishu.letters import views

urlpatterns = [
    path("customer/<str:group>/", views.confirmation, name="letter_confirmation"),
    path("visit/<int:pk>/", views.visit_sheet, name="letter_visit_sheet"),
]
