"""The station API of contracts/loudspeaker-feed.md (version 1), with django-ninja.

Well-formed reads are also answered by the fast path (middleware.py) with the same views.
Every error is JSON in the contract's shape: {"error": {"code": …, "message": …}}.
"""

import datetime
import json
import logging
from typing import Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.security import HttpBearer
from pydantic import field_validator

from channels.devices.api import device_api
from channels.loudspeaker import feed, services, views
from channels.loudspeaker.views import ApiError, error_response

logger = logging.getLogger(__name__)

# --- Schemas (they are also the OpenAPI description) -----------------------------------


class ErrorDetail(Schema):
    code: str
    message: str


class ErrorBody(Schema):
    error: ErrorDetail


class AudioOut(Schema):
    url: str
    mime: Literal["audio/mpeg"]
    duration_s: int
    bytes: int
    sha256: str = Field(..., description="Hex SHA-256 of exactly the bytes the audio URL serves.")


class ItemOut(Schema):
    id: str = Field(..., description="Stable while the bulletin is unchanged; a corrected one gets a new id.")
    title: str
    language: str
    priority: Literal["urgent", "normal"]
    play_at: list[datetime.datetime]
    audio: AudioOut | None = Field(
        ...,
        description="null for a script-only item: a language without a recording or a synthesis voice "
        "(Thái, H'Mông); read the script aloud.",
    )
    script: str
    valid_from: datetime.datetime
    valid_until: datetime.datetime


class ScheduleOut(Schema):
    station: str
    phase: Literal["new_normal", "outbreak"]
    generated_at: datetime.datetime
    items: list[ItemOut]


class PlayIn(Schema):
    item: str = Field(..., min_length=1, max_length=64)
    played_at: datetime.datetime
    status: Literal["played", "skipped", "failed"]

    @field_validator("played_at", mode="before")
    @classmethod
    def played_at_is_iso_text(cls, value):
        if not isinstance(value, str) or not value[:1] == "2" or len(value) < 10:
            raise ValueError("must be an ISO 8601 date and time between the years 2000 and 2999")
        return value

    @field_validator("played_at")
    @classmethod
    def played_at_in_utc(cls, value: datetime.datetime) -> datetime.datetime:
        aware = value if timezone.is_aware(value) else timezone.make_aware(value)
        return aware.astimezone(datetime.UTC)


class PlaysIn(Schema):
    plays: list[PlayIn] = Field(..., max_length=services.MAX_PLAYS)


class PlaysOut(Schema):
    accepted: int
    duplicates: int
    unknown: int


# --- Authentication and errors -------------------------------------------------------


class StationToken(HttpBearer):
    """`Authorization: Bearer <token>` or `?token=<token>`, checked against the station in the path."""

    openapi_description = "The station's token; controllers that cannot set headers send ?token=<token>."

    def __call__(self, request: HttpRequest):
        code = (request.resolver_match.kwargs if request.resolver_match else {}).get("code", "")
        ref, generation = views.authenticate(request, code)
        if request.method == "POST":
            views.check_write_rate(ref)  # counted before the body is read: malformed floods too
        return ref, generation

    def authenticate(self, request, token):  # pragma: no cover - see __call__
        raise NotImplementedError


api = device_api(
    title="Commune loudspeaker feed",
    description=(
        "Schedules, audio and scripts of approved bulletins for loudspeaker stations, and their "
        "proof of play. Authenticate with the station's token (Authorization: Bearer, or ?token=). "
        "See docs/loudspeaker.md."
    ),
    namespace="loudspeaker_api",
    auth=StationToken(),
    error=ApiError,
    http_error_code=lambda status: "invalid_body" if status == 400 else "error",
    logger=logger,
    log_name="Loudspeaker API",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    first = exc.errors[0] if exc.errors else {}
    parameter = ""
    for part in [str(p) for p in first.get("loc", ())][2:]:
        parameter += f"[{part}]" if part.isdigit() else (f".{part}" if parameter else part)
    message = _("Invalid value for %(parameter)s: %(detail)s") % {
        "parameter": parameter or _("the request body"),
        "detail": first.get("msg", ""),
    }
    return error_response(400, "invalid_body", message)


@api.exception_handler(json.JSONDecodeError)
def on_bad_json(request, exc):
    return error_response(400, "invalid_body", _("The request body is not valid JSON."))


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request, exc):
    return error_response(413, "payload_too_large", _("The request body is too large."))


ERRORS = {401: ErrorBody, 404: ErrorBody, 429: ErrorBody, 500: ErrorBody}
_ETAG = {"ETag": {"description": "Send it back in If-None-Match.", "schema": {"type": "string"}}}
_TOKEN_PARAMETER = {
    "in": "query",
    "name": "token",
    "required": False,
    "schema": {"type": "string"},
    "description": "The station's token, for controllers that cannot set the Authorization header.",
}
_RANGE = {
    "in": "header",
    "name": "Range",
    "required": False,
    "schema": {"type": "string", "example": "bytes=65536-"},
    "description": "One byte range, to resume a download.",
}

# --- Endpoints -------------------------------------------------------------------------


@api.get(
    "/stations/{code}/schedule.json",
    response={200: ScheduleOut, 304: None, 401: ErrorBody, 429: ErrorBody, 500: ErrorBody},
    summary="The station's schedule",
    operation_id="get_schedule",
    openapi_extra={"parameters": [_TOKEN_PARAMETER], "responses": {200: {"headers": _ETAG}}},
)
def get_schedule(request, code: str):
    """Bulletins valid now and in the next 24 hours, urgent first, with the times to play them."""
    return views.schedule(request, code)


@api.get(
    "/stations/{code}/audio/{item_id}.mp3",
    response={200: None, 206: None, 304: None, 416: ErrorBody, **ERRORS},
    summary="An item's audio (MP3)",
    operation_id="get_audio",
    openapi_extra={
        "parameters": [_TOKEN_PARAMETER, _RANGE],
        "responses": {
            200: {"description": "The MP3", "content": {"audio/mpeg": {}}},
            206: {"description": "The requested range of the MP3", "content": {"audio/mpeg": {}}},
        },
    },
)
def get_audio(request, code: str, item_id: str):
    """Mono MP3, constant bit rate; its SHA-256 and size are in the schedule. Supports Range."""
    return views.audio(request, code, item_id)


@api.get(
    "/stations/{code}/scripts/{item_id}.txt",
    response={200: None, 304: None, **ERRORS},
    summary="An item's script (plain text)",
    operation_id="get_script",
    openapi_extra={
        "parameters": [_TOKEN_PARAMETER],
        "responses": {200: {"description": "UTF-8 text", "content": {"text/plain": {}}}},
    },
)
def get_script(request, code: str, item_id: str):
    """The approved script as UTF-8 text, for announcers who read it aloud."""
    return views.script(request, code, item_id)


@api.post(
    "/stations/{code}/plays",
    response={200: PlaysOut, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 429: ErrorBody, 500: ErrorBody},
    summary="Report what was played",
    operation_id="post_plays",
    openapi_extra={"parameters": [_TOKEN_PARAMETER]},
)
def post_plays(request, code: str, payload: PlaysIn):
    """Proof of play, at most 500 a request; the same (item, played_at) twice is stored once."""
    ref, _generation = request.auth
    result = services.plays_record(ref=ref, plays=[play.model_dump() for play in payload.plays])
    feed.record_seen(station_id=ref.id, now=timezone.now())
    return {"accepted": result.accepted, "duplicates": result.duplicates, "unknown": result.unknown}


@api.api_operation(
    ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def not_found(request, rest: str):
    raise ApiError(404, "not_found", _("There is no such address in the loudspeaker feed."))
