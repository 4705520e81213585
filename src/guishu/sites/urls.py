"""A site's home and administration (included under /s/<site>/)."""

from django.urls import path

from guishu.sites import views

urlpatterns = [
    path("", views.site_home, name="site_home"),
    path("admin/", views.site_admin, name="site_admin"),
    path("admin/join/", views.join, name="site_join"),
    path("admin/leave/", views.leave, name="site_leave"),
    path("admin/channel/", views.channel, name="site_channel"),
    path("admin/key/", views.issue_key, name="site_key"),
    path("admin/key/revoke/", views.revoke_key, name="site_key_revoke"),
    path("admin/password/", views.reset_password, name="site_password"),
]
