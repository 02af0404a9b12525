"""The screen API of contracts/led-feed.md (version 1), with django-ninja.

Well-formed reads are also answered by the fast path (middleware.py) with the same views.
Every error is JSON in the contract's shape: {"error": <code>, "detail": <message>}.
"""

import datetime
import logging
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from channels.devices.api import device_api
from channels.led import views
from channels.led.views import ApiError, error_response

logger = logging.getLogger(__name__)

# --- Schemas (they are also the OpenAPI description) -----------------------------------


class ErrorBody(Schema):
    error: str = Field(..., description="A code: unauthorized, not_found, rate_limited, …")
    detail: str = Field(..., description="What went wrong, in Vietnamese.")


class ItemOut(Schema):
    id: str = Field(..., description="Stable while the item is unchanged.")
    text: str
    priority: Literal["urgent", "normal"]
    duration_s: int = Field(..., description="Seconds on screen (shortened in the outbreak phase).")
    frame: str = Field(..., description="The item's PNG, at exactly the screen's resolution.")
    valid_from: datetime.datetime
    valid_until: datetime.datetime


class PlaylistOut(Schema):
    screen: str
    phase: Literal["new_normal", "outbreak"]
    generated_at: datetime.datetime
    items: list[ItemOut] = Field(
        ..., description="Valid now, urgent first; in an outbreak urgent items also come between the others."
    )


# --- Authentication and errors -------------------------------------------------------


class ScreenToken(HttpBearer):
    """`Authorization: Bearer <token>` or `?token=<token>`, checked against the screen in the path."""

    openapi_description = "The screen's token; controllers that cannot set headers send ?token=<token>."

    def __call__(self, request: HttpRequest):
        code = (request.resolver_match.kwargs if request.resolver_match else {}).get("code", "")
        return views.authenticate(request, code)

    def authenticate(self, request, token):  # pragma: no cover - see __call__
        raise NotImplementedError


api = device_api(
    title="LED screen feed",
    description=(
        "Playlists (JSON or plain text) and PNG frames of approved messages for public LED screens. "
        "Authenticate with the screen's token (Authorization: Bearer, or ?token=). See docs/led.md."
    ),
    namespace="led_api",
    auth=ScreenToken(),
    error=ApiError,
    logger=logger,
    log_name="LED API",
)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error_response(401, "unauthorized", _("The token is not valid for this screen."))


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return error_response(400, "bad_request", _("The request is not valid."))


_ETAG = {"ETag": {"description": "Send it back in If-None-Match.", "schema": {"type": "string"}}}
_RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}
}
_TOKEN_PARAMETER = {
    "in": "query",
    "name": "token",
    "required": False,
    "schema": {"type": "string"},
    "description": "The screen's token, for controllers that cannot set the Authorization header.",
}
_IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of the copy the controller holds: 304 while it is current.",
}
ERRORS = {401: ErrorBody, 429: ErrorBody, 500: ErrorBody}


def _extra(ok: dict) -> dict:
    return {
        "parameters": [_TOKEN_PARAMETER, _IF_NONE_MATCH],
        "responses": {
            200: {**ok, "headers": _ETAG},
            304: {"description": "Unchanged", "headers": _ETAG},
            429: {"headers": _RETRY_AFTER},
        },
    }


# --- Endpoints -------------------------------------------------------------------------


def read(path: str, **options):
    """GET, described in the OpenAPI document, and HEAD on the same view (left out of it)."""

    def register(view):
        api.api_operation(["HEAD"], path, response=options["response"], include_in_schema=False)(view)
        return api.get(path, **options)(view)

    return register


@read(
    "/screens/{code}/playlist.json",
    response={200: PlaylistOut, 304: None, **ERRORS},
    summary="The screen's playlist",
    operation_id="get_playlist",
    openapi_extra=_extra({}),
)
def get_playlist(request, code: str):
    """Items valid now, urgent first; every successful poll marks the screen as seen."""
    return views.playlist_json(request, code)


@read(
    "/screens/{code}/playlist.txt",
    response={200: None, 304: None, **ERRORS},
    summary="The screen's playlist as plain text",
    operation_id="get_playlist_text",
    openapi_extra=_extra({"description": "One item a line, UTF-8", "content": {"text/plain": {}}}),
)
def get_playlist_text(request, code: str):
    """The same items as UTF-8 text, one item a line, for controllers that only scroll text."""
    return views.playlist_txt(request, code)


@read(
    "/screens/{code}/frames/{item_id}.png",
    response={200: None, 304: None, 404: ErrorBody, **ERRORS},
    summary="An item's frame (PNG)",
    operation_id="get_frame",
    openapi_extra=_extra({"description": "A PNG of the screen's resolution", "content": {"image/png": {}}}),
)
def get_frame(request, code: str, item_id: str):
    """The item's text fitted to exactly the screen's resolution, Vietnamese diacritics drawn."""
    return views.frame_png(request, code, item_id)


@api.api_operation(
    ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def not_found(request, rest: str):
    raise ApiError(404, "not_found", _("There is no such address in the LED feed."))
