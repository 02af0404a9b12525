from django.urls import path

from channels.sms.api import api

urlpatterns = [path("api/sms/v1/", api.urls)]
