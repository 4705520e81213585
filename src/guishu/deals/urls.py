from django.urls import path

from guishu.deals import views

urlpatterns = [
    path("", views.page, name="deals"),
    path("new/", views.new, name="deals_new"),
    path("check/", views.check, name="deals_check"),
    path("<str:fact>/", views.card, name="deal"),
    path("<str:fact>/unit/", views.change_unit, name="deal_unit"),
    path("<str:fact>/payment/", views.payment, name="deal_payment"),
    path("<str:fact>/refund/", views.refund, name="deal_refund"),
    path("<str:fact>/check/", views.check_deal, name="deal_check"),
]
