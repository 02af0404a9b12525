from django.urls import path

from channels.led.api import api

urlpatterns = [path("api/led/v1/", api.urls)]
