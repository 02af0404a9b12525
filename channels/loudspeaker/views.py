"""The station feed's reads (contracts/loudspeaker-feed.md): schedule, audio and scripts.

Plain functions that return responses, shared by the fast path (middleware.py) and the
django-ninja API (api.py), so both answer the same bytes and the same errors.
"""

import json

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from channels.devices import http
from channels.devices.api import FeedError
from channels.devices.auth import DeviceDoor, RateLimited, Unauthorized
from channels.devices.state import DeviceRef
from channels.loudspeaker import feed
from channels.loudspeaker.models import Station

JSON_TYPE = "application/json; charset=utf-8"
SCHEDULE_CACHE = "private, no-cache"
FILE_CACHE = "private, max-age=86400"


def error_response(status: int, code: str, message) -> HttpResponse:
    body = json.dumps({"error": {"code": code, "message": str(message)}}, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=JSON_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="loudspeaker"'
    return response


class ApiError(FeedError):
    """An error in the contract's shape: {"error": {"code": …, "message": …}}."""

    error_response = staticmethod(error_response)


def unauthorized() -> ApiError:
    # The same answer for a missing token, a wrong one and an unknown station: codes stay private.
    return ApiError(
        401,
        "unauthorized",
        _("A valid station token is required: Authorization: Bearer <token> or ?token=<token>."),
    )


def rate_limited(retry_after: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        _("Too many requests from this station or address; try again after Retry-After seconds."),
        retry_after=retry_after,
    )


DOOR = DeviceDoor("loudspeaker", Station, feed.devices, feed.station_ref, noun="station")
ACTION_AUTH_FAILED = DOOR.action


def authenticate(request: HttpRequest, code: str) -> tuple[DeviceRef, str]:
    """The polling station and the current generation (see channels.devices.auth)."""
    try:
        return DOOR.authenticate(request, code)
    except Unauthorized:
        raise unauthorized() from None
    except RateLimited as limited:
        raise rate_limited(limited.retry_after) from None


def check_write_rate(ref: DeviceRef) -> None:
    """Proof of play and other writes: a flood from one station is refused with 429."""
    try:
        DOOR.check_write_rate(ref.id)
    except RateLimited as limited:
        raise rate_limited(limited.retry_after) from None


def schedule(request: HttpRequest, code: str) -> HttpResponse:
    try:
        ref, generation = authenticate(request, code)
    except ApiError as error:
        return error.response()
    now = timezone.now()
    state = feed.schedule_state(ref=ref, generation=generation, now=now)
    feed.record_seen(station_id=ref.id, now=now)
    if http.etag_matches(request, state.etag):
        return http.not_modified(state.etag, SCHEDULE_CACHE)
    response = HttpResponse(feed.schedule_json(code=ref.code, state=state, now=now), content_type=JSON_TYPE)
    response["ETag"] = state.etag
    response["Cache-Control"] = SCHEDULE_CACHE
    return response


def _file_of(ref: DeviceRef, generation: str, item_id: str) -> tuple[str, int, str]:
    """(storage name, size, sha256) of an item the station may fetch: on its schedule, or live but
    just past the schedule's horizon (a download that started before the schedule changed)."""
    state = feed.schedule_state(ref=ref, generation=generation, now=timezone.now())
    found = state.files.get(item_id)
    if found is not None:
        return found
    bulletin = feed.known_bulletin(ref, item_id, live_only=True)
    if bulletin is None:
        raise ApiError(404, "not_found", _("This station has no such item."))
    if not bulletin.audio_sha256:  # a script-only item (a language without a voice)
        raise ApiError(404, "not_found", _("This item has no audio: read its script."))
    return bulletin.audio.name, bulletin.audio_bytes, bulletin.audio_sha256


def audio(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    """The item's MP3: exactly the bytes the schedule describes, whole or one `Range`."""
    try:
        ref, generation = authenticate(request, code)
        name, size, sha256 = _file_of(ref, generation, item_id)
    except ApiError as error:
        return error.response()
    etag = f'"{sha256[:32]}"'
    if http.etag_matches(request, etag):
        return http.not_modified(etag, FILE_CACHE)
    try:
        wanted = http.byte_range(request.META.get("HTTP_RANGE"), size)
    except http.UnsatisfiableRange:
        response = error_response(416, "range_not_satisfiable", _("The range lies outside the file."))
        response["Content-Range"] = f"bytes */{size}"
        return response
    if_range = request.META.get("HTTP_IF_RANGE")
    if wanted is not None and if_range and if_range.strip() != etag:
        wanted = None  # the client holds another version: send it all
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, ValueError):
        return error_response(404, "not_found", _("The audio of this item is not available."))
    if wanted is None:
        response = FileResponse(handle, content_type="audio/mpeg")
        response["Content-Length"] = str(size)
    else:
        with handle:
            handle.seek(wanted.start)
            body = handle.read(wanted.length)
        response = HttpResponse(body, status=206, content_type="audio/mpeg")
        response["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
        response["Content-Length"] = str(wanted.length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = FILE_CACHE
    return response


def script(request: HttpRequest, code: str, item_id: str) -> HttpResponse:
    """The approved script as plain UTF-8 text, for announcers."""
    try:
        ref, _generation = authenticate(request, code)
        bulletin = feed.known_bulletin(ref, item_id, live_only=True)
        if bulletin is None:
            raise ApiError(404, "not_found", _("This station has no such item."))
    except ApiError as error:
        return error.response()
    text = bulletin.script.strip() + "\n"
    etag = '"' + item_id + '-txt"'
    if http.etag_matches(request, etag):
        return http.not_modified(etag, FILE_CACHE)
    response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = FILE_CACHE
    return response
