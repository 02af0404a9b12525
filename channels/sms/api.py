"""The partner API of contracts/sms-partner-feed.md (version 1), with django-ninja."""

import datetime
import logging
import re
from typing import Annotated, Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import field_validator

from channels.sms import feed
from channels.sms.keys import AuthFailure, Identity, check_request, touch_key

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


# --- Schemas (they are also the OpenAPI description) -----------------------------------


class ErrorDetail(Schema):
    code: str
    message: str
    parameter: str | None = None


class ErrorBody(Schema):
    error: ErrorDetail


class MessageOut(Schema):
    id: str
    type: Literal["message"]
    text: str
    text_ascii: str
    encoding: Literal["GSM-7", "UCS-2"]
    segments: int
    encoding_ascii: Literal["GSM-7", "UCS-2"]
    segments_ascii: int
    priority: Literal["urgent", "normal"]
    regions: list[str]
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    url: str
    language: str = Field(
        "vi",
        description="Content language of the text (vi, blt, hmn, en); added to v1, absent before.",
    )


class RetractionOut(Schema):
    id: str
    type: Literal["retraction"]
    retracts: str
    reason: str


class FeedPageOut(Schema):
    messages: list[Annotated[MessageOut | RetractionOut, Field(discriminator="type")]]
    next_cursor: str
    has_more: bool


AT_PATTERN = "^2[0-9]{3}-"


class AckIn(Schema):
    id: str = Field(..., min_length=1, max_length=64)
    status: Literal["sent", "failed", "rejected"]
    recipients: int = Field(..., ge=0, le=2_000_000_000)
    at: datetime.datetime = Field(..., json_schema_extra={"pattern": AT_PATTERN})
    reason: str = Field("", max_length=2000)

    @field_validator("reason")
    @classmethod
    def without_nul(cls, value: str) -> str:
        """Databases cannot store NUL characters; they carry no meaning in a reason."""
        return value.replace("\x00", "")

    @field_validator("recipients", mode="before")
    @classmethod
    def recipients_is_a_json_integer(cls, value):
        """A JSON integer (59 or 59.0), never a string, a fraction or a boolean."""
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        return value

    @field_validator("at", mode="before")
    @classmethod
    def at_is_iso_text(cls, value):
        """ISO 8601 text in the years 2000–2999: other years cannot be stored or shown in every zone."""
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 date and time")
        if not re.match(AT_PATTERN, value):
            raise ValueError("must be a date between the years 2000 and 2999")
        return value

    @field_validator("at")
    @classmethod
    def at_in_utc(cls, value: datetime.datetime) -> datetime.datetime:
        """Aware and in UTC (PostgreSQL refuses offsets beyond ±15:59)."""
        return (value if timezone.is_aware(value) else timezone.make_aware(value)).astimezone(datetime.UTC)


class AcksIn(Schema):
    acks: list[AckIn] = Field(..., max_length=feed.MAX_ACKS)


class AcksOut(Schema):
    accepted: int
    unknown: list[str]


# --- Authentication, rate limit and errors -------------------------------------------


class PartnerBearer(HttpBearer):
    """`Authorization: Bearer <key>`; every failure is audited and answered with 401."""

    def __call__(self, request: HttpRequest) -> Identity:
        identity, wait = check_request(
            authorization=request.headers.get("Authorization"), client_ip=request.META.get("REMOTE_ADDR", "")
        )
        if wait is not None:
            raise RateLimited(wait)
        return identity

    def authenticate(self, request: HttpRequest, token: str) -> Identity:  # pragma: no cover - see __call__
        raise NotImplementedError


api = NinjaAPI(
    title="SMS partner feed",
    version="1",
    description="Messages for telecom partners to send, and their reports back. See docs/sms.md.",
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="sms_api",
    auth=PartnerBearer(),
)


def error_response(status: int, code: str, message: str, parameter: str | None = None) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": str(message), "parameter": parameter}}, status=status
    )


@api.exception_handler(AuthFailure)
def on_auth_failure(request, exc):
    if exc.wait is not None:
        return on_rate_limited(request, RateLimited(exc.wait))
    response = error_response(
        401, "unauthorized", _("A valid API key is required (Authorization: Bearer <key>).")
    )
    response["WWW-Authenticate"] = 'Bearer realm="sms"'
    return response


@api.exception_handler(RateLimited)
def on_rate_limited(request, exc):
    response = error_response(
        429, "rate_limited", _("Too many requests; try again after Retry-After seconds.")
    )
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(BadParameter)
def on_bad_parameter(request, exc):
    return error_response(400, "invalid_parameter", exc.message, exc.parameter)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ())]
    if location[:1] == ["query"]:
        parameter = ".".join(location[1:])
    else:  # ["body", "payload", "acks", 3, "status"] → "acks[3].status"
        parameter = ""
        for part in location[2:]:
            parameter += f"[{part}]" if part.isdigit() else (f".{part}" if parameter else part)
    message = _("Invalid value for %(parameter)s: %(detail)s") % {
        "parameter": parameter or _("the request body"),
        "detail": first.get("msg", ""),
    }
    return error_response(
        400, "invalid_parameter" if location[:1] == ["query"] else "invalid_body", message, parameter or None
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    code = "invalid_body" if exc.status_code == 400 else "error"
    return error_response(exc.status_code, code, exc.message)


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request, exc):
    return error_response(413, "payload_too_large", _("The request body is too large."))


@api.exception_handler(Exception)
def on_server_error(request, exc):
    """Never a traceback or an HTML page: logged here, answered in the contract's shape."""
    logger.exception("SMS API error on %s", request.path)
    return error_response(500, "server_error", _("Something went wrong on the server; try again later."))


ERRORS = {400: ErrorBody, 401: ErrorBody, 429: ErrorBody, 500: ErrorBody}
_RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}
}
_ETAG = {"ETag": {"description": "Send it back in If-None-Match.", "schema": {"type": "string"}}}
FEED_EXTRA = {
    "responses": {
        200: {"headers": _ETAG},
        304: {"headers": _ETAG},
        429: {"headers": _RETRY_AFTER},
    },
}
ACKS_EXTRA = {"responses": {429: {"headers": _RETRY_AFTER}}}


# --- Endpoints -------------------------------------------------------------------------


@api.get(
    "/messages",
    response={200: FeedPageOut, 304: None, **ERRORS},
    summary="Read the feed",
    operation_id="list_messages",
    openapi_extra=FEED_EXTRA,
)
def list_messages(
    request,
    after: str | None = Query(
        None, pattern=feed.CURSOR_PATTERN, description="The next_cursor of the previous page (opaque)."
    ),
    limit: int = Query(feed.DEFAULT_LIMIT, ge=1, le=feed.MAX_LIMIT),
):
    """The entries this partner may see, in publication order, from `after` on."""
    identity: Identity = request.auth
    try:
        position = feed.decode_cursor(after) if after else None  # also checked by the pattern
    except feed.InvalidCursor:
        raise BadParameter(
            "after", _("This cursor was not issued by this feed; use a next_cursor value.")
        ) from None
    return feed_response(request, identity=identity, after=position, limit=limit)


def feed_response(request, *, identity: Identity, after: int | None, limit: int) -> HttpResponse:
    """A page of the feed as spliced JSON text, with its ETag (304 when the client has it)."""
    touch_key(identity=identity)
    page = feed.read_page(
        partner_id=identity.partner_id,
        coverage_paths=list(identity.coverage_paths),
        after=after,
        limit=limit,
        with_exercises=identity.with_exercises,
    )
    if (
        page.etag in parse_etags(request.headers.get("If-None-Match", ""))
        or request.headers.get("If-None-Match") == "*"
    ):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(page.body, content_type="application/json")
    response["ETag"] = page.etag
    response["Cache-Control"] = "private, no-cache"
    return response


@api.post(
    "/acks",
    response={200: AcksOut, 413: ErrorBody, **ERRORS},
    summary="Report what was sent",
    operation_id="post_acks",
    openapi_extra=ACKS_EXTRA,
)
def post_acks(request, payload: AcksIn):
    """Stores the partner's reports; all or nothing, idempotent, the latest report per message wins."""
    identity: Identity = request.auth
    result = feed.record_acks(
        partner_id=identity.partner_id,
        coverage_paths=list(identity.coverage_paths),
        acks=[ack.model_dump() for ack in payload.acks],
        with_exercises=identity.with_exercises,
    )
    return {"accepted": result.accepted, "unknown": result.unknown}
