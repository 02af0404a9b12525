"""The LED feed API (contracts/led-feed.md): playlists as JSON or text, and PNG frames."""

import hashlib
import json
import re

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from channels.exercise import split_mark
from channels.led import feed
from channels.led.models import PlaylistItem, Screen
from channels.throttle import FailureThrottle
from media import led as renderer

FRAME_CACHE_SECONDS = 7 * 24 * 3600
ITEM_ID = re.compile(r"(?P<pk>[0-9]{1,18})-(?P<digest>[0-9a-f]{10})")  # PlaylistItem.feed_id
JSON_TYPE = "application/json; charset=utf-8"


ACTION_AUTH_FAILED = "led.auth_failed"
THROTTLE = FailureThrottle("led", ACTION_AUTH_FAILED, Screen)


class ApiError(Exception):
    def __init__(self, status: int, error: str, detail: str, *, retry_after: int | None = None):
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail
        self.retry_after = retry_after

    def response(self) -> HttpResponse:
        body = json.dumps({"error": self.error, "detail": self.detail}, ensure_ascii=False)
        response = HttpResponse(body, status=self.status, content_type=JSON_TYPE)
        if self.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="led"'
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        return response


def _locked_out(wait: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        _("Too many failed attempts from this address; try again later."),
        retry_after=wait,
    )


def presented_token(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.GET.get("token", "").strip()


def authenticate(request: HttpRequest, code: str) -> tuple[feed.ScreenRef, str]:
    """The polling screen and the current generation: from the caches, else from the database.

    An unknown screen code fails exactly like a wrong token (codes are not disclosed), and every
    failure counts against the client address (see channels.throttle).
    """
    generation = feed.current_generation()
    token = presented_token(request)
    if token:
        ref = feed.cached_screen_for_token(code=code, token=token, generation=generation)
        if ref is not None:
            return ref, generation
    client_ip = request.META.get("REMOTE_ADDR", "")
    wait = THROTTLE.wait(client_ip)
    if wait is not None:
        raise _locked_out(wait)
    if not token:
        _fail(client_ip, "missing", None, code)
        raise ApiError(
            401, "unauthorized", _("A token is required: Authorization: Bearer <token> or ?token=<token>.")
        )
    screen = Screen.objects.select_related("region").filter(code=code, active=True).first()
    if screen is None or not screen.check_token(token):
        _fail(client_ip, "unknown screen" if screen is None else "wrong token", screen, code)
        raise ApiError(401, "unauthorized", _("The token is not valid for this screen."))
    ref = feed.ScreenRef.of(screen, generation)
    feed.remember_token(ref=ref, token=token)
    return ref, generation


def _fail(client_ip: str, reason: str, screen: Screen | None, code: str) -> None:
    """Counts and audits a failed authentication; 429 at once when it locks the address out."""
    wait = THROTTLE.failure(client_ip, reason=reason, obj=screen, data={"code": code[:64]})
    if wait is not None:
        raise _locked_out(wait)


def etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def _not_modified(etag: str, cache_control: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response


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
        return _not_modified(etag, cache_control)
    if as_text:
        response = HttpResponse(feed.playlist_text(state=state), content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(
            feed.playlist_json(code=ref.code, state=state, now=now), content_type=JSON_TYPE
        )
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response


@require_safe
def playlist_json(request: HttpRequest, code: str) -> HttpResponse:
    return _playlist(request, code, as_text=False)


@require_safe
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


@require_safe
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
        return _not_modified(etag, cache_control)
    png = cache.get(key)
    if png is None:
        band, text = split_mark(text)
        png = renderer.render_frame(text, width=ref.width, height=ref.height, urgent=urgent, band=band)
        cache.set(key, png, FRAME_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response
