"""The hub's URLs plus /bench/minimal.json, the smallest Django JSON view (the benchmarks' baseline)."""

from django.http import JsonResponse
from django.urls import include, path


def minimal(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/minimal.json", minimal), path("", include("hub.urls"))]
