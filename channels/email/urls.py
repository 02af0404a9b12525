from django.urls import path

from channels.email import views

urlpatterns = [
    path("nhan-tin-email/dang-ky/", views.subscribe, name="email_subscribe"),
    path("nhan-tin-email/da-gui/", views.subscribe_sent, name="email_subscribe_sent"),
    path("nhan-tin-email/xac-nhan/<str:token>/", views.confirm, name="email_confirm"),
    path("nhan-tin-email/huy/<str:token>/", views.unsubscribe, name="email_unsubscribe"),
]
