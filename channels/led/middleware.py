"""Serves the LED feed's reads straight after WhiteNoise, before sessions, CSRF and the portal cache.

Controllers authenticate with a token and never use cookies, so the rest of the stack is pure
cost for a request that is polled every few seconds by every screen. Anything else (other
methods, malformed addresses, the OpenAPI description) goes on to the django-ninja API (api.py).
"""

import re

from channels.led import views

SCREEN = r"^/api/led/v1/screens/(?P<code>[-a-zA-Z0-9_]+)/"
ROUTES = (
    (re.compile(SCREEN + r"playlist\.json$"), views.playlist_json),
    (re.compile(SCREEN + r"playlist\.txt$"), views.playlist_txt),
    (re.compile(SCREEN + r"frames/(?P<item_id>[^/]+)\.png$"), views.frame_png),
)
PREFIX = "/api/led/"


class LedFeedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PREFIX) and request.method in ("GET", "HEAD"):
            for pattern, view in ROUTES:
                match = pattern.match(path)
                if match:
                    return view(request, **match.groupdict())
        return self.get_response(request)
