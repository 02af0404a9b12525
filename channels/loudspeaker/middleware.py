"""Serves the station feed's reads straight after WhiteNoise, before sessions, CSRF and the page cache.

Controllers authenticate with a token and never use cookies, so the rest of the stack is pure
cost for a request polled by every station. Anything else goes on to the django-ninja API;
whatever it or Django answer under the feed's prefix that is not JSON becomes a JSON error.
"""

import re

from django.utils.translation import gettext as _

from channels.loudspeaker import views

STATION = r"^/api/loudspeaker/v1/stations/(?P<code>[-a-zA-Z0-9_]+)/"
ROUTES = (
    (re.compile(STATION + r"schedule\.json$"), views.schedule),
    (re.compile(STATION + r"audio/(?P<item_id>[^/]+)\.mp3$"), views.audio),
    (re.compile(STATION + r"scripts/(?P<item_id>[^/]+)\.txt$"), views.script),
)
PREFIX = "/api/loudspeaker/"


class LoudspeakerFeedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(PREFIX):
            return self.get_response(request)
        if request.method in ("GET", "HEAD"):
            for pattern, view in ROUTES:
                match = pattern.match(path)
                if match:
                    return view(request, **match.groupdict())
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            status = response.status_code
            if status == 405:
                return views.error_response(405, "method_not_allowed", _("This method is not allowed here."))
            if status == 404:
                return views.error_response(
                    404, "not_found", _("There is no such address in the loudspeaker feed.")
                )
            return views.error_response(status, "error", _("The request could not be answered."))
        return response
