"""Serves well-formed feed reads straight after WhiteNoise, before sessions, CSRF and the page cache.

Partners authenticate with a bearer key, never cookies, so the rest of the stack is pure cost.
Anything else (errors in the query, other endpoints) goes on to the django-ninja API, which
answers it exactly as before; both paths share authentication, rate limit and page building.
"""

import re

from channels.sms import api, feed
from channels.sms.keys import AuthFailure, check_request

PATH = "/api/sms/v1/messages"
LIMIT_PATTERN = re.compile(r"[1-9][0-9]{0,2}")


def _page_request(request) -> tuple[int | None, int] | None:
    """(after, limit) when the query is one the API accepts as it stands, else None."""
    query = request.GET
    limits, afters = query.getlist("limit"), query.getlist("after")
    if len(limits) > 1 or len(afters) > 1:
        return None
    limit = feed.DEFAULT_LIMIT
    if limits:
        if not LIMIT_PATTERN.fullmatch(limits[0]) or int(limits[0]) > feed.MAX_LIMIT:
            return None
        limit = int(limits[0])
    if not afters:
        return None, limit
    try:
        return feed.decode_cursor(afters[0]), limit
    except feed.InvalidCursor:
        return None


class SmsFeedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH or request.method != "GET":
            return self.get_response(request)
        parsed = _page_request(request)
        if parsed is None:
            return self.get_response(request)
        try:
            identity, wait = check_request(
                authorization=request.headers.get("Authorization"),
                client_ip=request.META.get("REMOTE_ADDR", ""),
            )
        except AuthFailure as failure:
            return api.on_auth_failure(request, failure)
        if wait is not None:
            return api.on_rate_limited(request, api.RateLimited(wait))
        after, limit = parsed
        return api.feed_response(request, identity=identity, after=after, limit=limit)
