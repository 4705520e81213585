from django.contrib.auth import views as auth_views
from django.urls import path

from guishu.desk import office_views, views

urlpatterns = [
    path("", views.desk, name="desk"),
    path("register/", views.register, name="register"),
    path("mine/", views.mine, name="mine"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("claim/", views.claim, name="claim"),
    path("customer/<str:group>/", views.trail, name="trail"),
    path("clerk/", office_views.clerk, name="clerk"),
    path("manage/", office_views.manage, name="manage"),
    path("manage/approve/", office_views.approve, name="approve"),
    path("manage/ruling/", office_views.ruling, name="ruling"),
    path("manage/policy/", office_views.policy, name="policy"),
    path("accounts/login/", views.RateLimitedLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
