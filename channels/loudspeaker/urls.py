from django.urls import path

from channels.loudspeaker.api import api

urlpatterns = [path("api/loudspeaker/v1/", api.urls)]
