"""Serves the LED feed API straight after WhiteNoise, before sessions, CSRF and the portal cache.

Controllers authenticate with a token and never use cookies, so the rest of the stack is pure
cost for a request that is polled every few seconds by every screen.
"""

import re

from channels.led import views

ROUTES = (
    (re.compile(r"^/api/led/v1/screens/(?P<code>[-a-zA-Z0-9_]+)/playlist\.json$"), views.playlist_json),
    (re.compile(r"^/api/led/v1/screens/(?P<code>[-a-zA-Z0-9_]+)/playlist\.txt$"), views.playlist_txt),
    (
        re.compile(r"^/api/led/v1/screens/(?P<code>[-a-zA-Z0-9_]+)/frames/(?P<item_id>[^/]+)\.png$"),
        views.frame_png,
    ),
)
PREFIX = "/api/led/"


class LedFeedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(PREFIX):
            for pattern, view in ROUTES:
                match = pattern.match(path)
                if match:
                    return view(request, **match.groupdict())
        return self.get_response(request)
