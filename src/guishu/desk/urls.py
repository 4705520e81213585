"""The desk's screens at one site (included under /s/<site>/)."""

from django.urls import path

from guishu.desk import office_views, views

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("register/", views.register, name="register"),
    path("register/check/", views.register_check, name="register_check"),
    path("mine/", views.mine, name="mine"),
    path("mine/export/", views.mine_export, name="mine_export"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("pending/", views.file_pending, name="file_pending"),
    path("claim/", views.claim, name="claim"),
    path("customer/<str:group>/", views.trail, name="trail"),
    path("customer/<str:group>/correct/", views.correct_trail, name="correct_trail"),
    path("clerk/", office_views.clerk, name="clerk"),
    path("clerk/export/", office_views.clerk_export, name="clerk_export"),
    path("clerk/verify/", office_views.verify_claim, name="verify_claim"),
    path("clerk/correct/", office_views.correct_register, name="correct_register"),
    path("manage/", office_views.manage, name="manage"),
    path("manage/approve/", office_views.approve, name="approve"),
    path("manage/ruling/", office_views.ruling, name="ruling"),
    path("manage/policy/", office_views.policy, name="policy"),
    path("manage/views/", office_views.full_views, name="full_views"),
]
