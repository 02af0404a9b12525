"""The hub's URLs plus /_bench/json, the minimal Django view the portal benchmark compares against."""

from django.http import JsonResponse
from django.urls import path

from hub.urls import urlpatterns as hub_urlpatterns


def bench_json(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("_bench/json", bench_json, name="bench_json"), *hub_urlpatterns]
