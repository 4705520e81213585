"""The rotation's screens at one site (included under /s/<site>/rotation/)."""

from django.urls import path

from guishu.rotation import views

urlpatterns = [
    path("", views.desk, name="rotation"),
    path("queue/", views.queue, name="rotation_queue"),
    path("next/", views.next_customer, name="rotation_next"),
    path("registration/", views.registration, name="rotation_registration"),
    path("change/", views.change, name="rotation_change"),
    path("me/", views.me, name="rotation_me"),
    path("me/line/", views.me_line, name="rotation_me_line"),
    path("me/sign-in/", views.sign_in, name="rotation_sign_in"),
    path("boards/", views.board_links, name="rotation_boards"),
    path("fairness/", views.fairness, name="rotation_fairness"),
]
