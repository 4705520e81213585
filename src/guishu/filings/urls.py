from django.urls import path

from guishu.filings import views

urlpatterns = [
    path("", views.page, name="filings"),
    path("pre-file/", views.pre_file, name="filings_pre_file"),
    path("developer-notice/", views.developer_notice, name="filings_developer_notice"),
    path("relate/", views.relate, name="filings_relate"),
    path("milestone/", views.milestone, name="filings_milestone"),
]
