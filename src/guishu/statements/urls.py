from django.urls import path

from guishu.statements import views

urlpatterns = [
    path("", views.page, name="statements"),
    path("one/", views.payee, name="statement"),
    path("mine/", views.mine, name="statement_mine"),
    path("approve/", views.approve, name="statement_approve"),
    path("export/", views.export, name="statements_export"),
    path("pdf/", views.pdf, name="statement_pdf"),
    path("rates/", views.rates, name="statement_rates"),
    path("rates/new/", views.record_rate, name="statement_rate_new"),
]
