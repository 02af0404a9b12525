"""Portal URLs outside the page tree: health check, feeds, search."""

from django.urls import path

from hub import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
