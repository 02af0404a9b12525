"""The hub's URLs plus the smallest possible Django JSON view (the benchmark's baseline)."""

from django.http import JsonResponse
from django.urls import include, path


def minimal(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/minimal.json", minimal), path("", include("hub.urls"))]
