"""The LED feed's reads (contracts/led-feed.md): playlists as JSON or text, and PNG frames.

Plain functions that return responses, shared by the fast path (middleware.py) and the
django-ninja API (api.py), so both answer the same bytes and the same errors.
"""

import hashlib
import json
import re

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from channels.devices.api import FeedError
from channels.devices.auth import DeviceDoor, RateLimited, Unauthorized
from channels.devices.http import etag_matches, not_modified
from channels.exercise import split_mark
from channels.led import feed
from channels.led.models import PlaylistItem, Screen
from media import led as renderer

FRAME_CACHE_SECONDS = 7 * 24 * 3600
ITEM_ID = re.compile(r"(?P<pk>[0-9]{1,18})-(?P<digest>[0-9a-f]{10})")  # PlaylistItem.feed_id
JSON_TYPE = "application/json; charset=utf-8"


DOOR = DeviceDoor("led", Screen, feed.devices, feed.ScreenRef.of, noun="screen")
ACTION_AUTH_FAILED = DOOR.action  # "led.auth_failed"
THROTTLE = DOOR.throttle


def error_response(status: int, error: str, detail) -> HttpResponse:
    body = json.dumps({"error": error, "detail": str(detail)}, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=JSON_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="led"'
    return response


class ApiError(FeedError):
    """An error in the contract's shape: {"error": <code>, "detail": <message>}."""

    error_response = staticmethod(error_response)


def _locked_out(wait: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        _("Too many failed attempts from this address; try again later."),
        retry_after=wait,
    )


def authenticate(request: HttpRequest, code: str) -> tuple[feed.ScreenRef, str]:
    """The polling screen and the current generation (see channels.devices.auth).

    An unknown screen code fails exactly like a wrong token (codes are not disclosed), and every
    failure counts against the client address (see channels.throttle).
    """
    try:
        return DOOR.authenticate(request, code)
    except RateLimited as limited:
        raise _locked_out(limited.retry_after) from None
    except Unauthorized as refused:
        if refused.reason == "missing":
            raise ApiError(
                401,
                "unauthorized",
                _("A token is required: Authorization: Bearer <token> or ?token=<token>."),
            ) from None
        raise ApiError(401, "unauthorized", _("The token is not valid for this screen.")) from None


def _playlist(request: HttpRequest, code: str, *, as_text: bool) -> HttpResponse:
    try:
        ref, generation = authenticate(request, code)
    except ApiError as error:
        return error.response()
    now = timezone.now()
    state = feed.playlist_state(ref=ref, generation=generation, now=now)
    feed.record_seen(screen_id=ref.id, now=now)
    etag = state.etag[:-1] + '-txt"' if as_text else state.etag
    cache_control = "private, no-cache"
    if etag_matches(request, etag):
        return not_modified(etag, cache_control)
    if as_text:
        response = HttpResponse(feed.playlist_text(state=state), content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(
            feed.playlist_json(code=ref.code, state=state, now=now), content_type=JSON_TYPE
        )
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response


def playlist_json(request: HttpRequest, code: str) -> HttpResponse:
    return _playlist(request, code, as_text=False)


def playlist_txt(request: HttpRequest, code: str) -> HttpResponse:
    return _playlist(request, code, as_text=True)


def _frame_item(ref: feed.ScreenRef, state: feed.PlaylistState, item_id: str) -> tuple[str, bool] | None:
    """(text, urgent) of an item this screen may show: in its playlist, or recently expired."""
    for row in state.items:
        if row["id"] == item_id:
            return row["text"], row["priority"] == "urgent"
    match = ITEM_ID.fullmatch(item_id)
    if match is None:
        return None
    item = (
        PlaylistItem.objects.filter(
            pk=int(match["pk"]), retracted_at__isnull=True, digest__startswith=match["digest"]
        )
        .filter(feed.screen_filter(ref))
        .first()
    )
    return (item.text, item.is_urgent) if item else None


def frame_png(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    try:
        ref, generation = authenticate(request, code)
        state = feed.playlist_state(ref=ref, generation=generation, now=timezone.now())
        found = _frame_item(ref, state, item_id)
        if found is None:
            raise ApiError(404, "not_found", _("This screen has no such item."))
    except ApiError as error:
        return error.response()
    text, urgent = found
    # The item id carries a digest of the text and priority: it alone names the picture.
    key = f"led:frame:{item_id}:{ref.width}x{ref.height}"
    etag = '"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'
    cache_control = "private, max-age=3600"
    if etag_matches(request, etag):
        return not_modified(etag, cache_control)
    png = cache.get(key)
    if png is None:
        band, text = split_mark(text)
        png = renderer.render_frame(text, width=ref.width, height=ref.height, urgent=urgent, band=band)
        cache.set(key, png, FRAME_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response
