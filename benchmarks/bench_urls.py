"""The hub's URLs plus /bench/minimal.json, the smallest Django JSON view (the benchmarks' baseline)."""

from django.http import JsonResponse
from django.urls import path

from hub import urls as hub_urls


def minimal(request):
    return JsonResponse({"ok": True})


# Spliced in, not include()d: the hub's language-prefixed patterns (i18n_patterns) must be top level.
urlpatterns = [path("bench/minimal.json", minimal), *hub_urls.urlpatterns]
