from django.urls import path

from channels.sms import inbound
from channels.sms.api import api

urlpatterns = [
    path("api/sms/v1/inbound/", inbound.api.urls),
    path("api/sms/v1/", api.urls),
]
