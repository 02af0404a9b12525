from django.urls import path, re_path

from channels.cap import views

urlpatterns = [
    path("cap/", views.cap_index, name="cap_index"),
    re_path(r"^cap/(?P<identifier>[A-Za-z0-9._-]{1,200})\.xml$", views.cap_alert, name="cap_alert"),
]
