"""Every answer under /api/ that is an error is JSON in its API's shape, whatever raised it.

The APIs answer their own errors; this middleware (outermost but for SecurityMiddleware) turns
what escapes them — Django's 404 for an unknown route, a 405 without a body, the 400 of a body
over DATA_UPLOAD_MAX_MEMORY_SIZE, a 500 page — into the same shape, keeping headers such as
Allow and Retry-After. A body announced larger than the limit is refused with 413 before it is read.
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

PREFIX = "/api/"
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    429: "rate_limited",
    500: "server_error",
}


def _messages() -> dict[int, str]:
    return {
        400: _("The request is not valid."),
        401: _("Authentication is required."),
        403: _("This request is not allowed."),
        404: _("There is nothing at this address."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        429: _("Too many requests; try again after Retry-After seconds."),
        500: _("Something went wrong on the server; try again later."),
    }


def nested_shape(code: str, message: str) -> dict:
    """SMS partner feed (and anything else under /api/): {"error": {"code", "message", "parameter"}}."""
    return {"error": {"code": code, "message": message, "parameter": None}}


def device_shape(code: str, message: str) -> dict:
    """Loudspeaker feed (contracts/loudspeaker-feed.md): {"error": {"code", "message"}}."""
    return {"error": {"code": code, "message": message}}


def flat_shape(code: str, message: str) -> dict:
    """LED feed: {"error": code, "detail": message}."""
    return {"error": code, "detail": message}


# The shape of each API by path prefix; anything else under /api/ gets the nested shape.
SHAPES = {"/api/led/": flat_shape, "/api/loudspeaker/": device_shape}


def error_response(path: str, status: int, *, code: str = "", message: str = "") -> HttpResponse:
    shape = next((shape for prefix, shape in SHAPES.items() if path.startswith(prefix)), nested_shape)
    messages = _messages()
    message = message or messages.get(status) or messages[500 if status >= 500 else 400]
    body = shape(code or CODES.get(status, "error"), str(message))
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def _in_shape(response: HttpResponse) -> bool:
    if response.streaming or not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return False
    return isinstance(body, dict) and "error" in body


METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _in_order(allow: str) -> str:
    """The same Allow header whatever order a set gave the methods in: GET, HEAD, POST, …"""
    methods = {method.strip().upper() for method in allow.split(",") if method.strip()}
    known = [method for method in METHOD_ORDER if method in methods]
    return ", ".join(known + sorted(methods - set(known)))


def _announced_too_big(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is not None and length > limit


def _appended_slash(request: HttpRequest, response: HttpResponse) -> bool:
    """CommonMiddleware's APPEND_SLASH redirect (the portal's catch-all route takes any path with a slash)."""
    if response.status_code not in (301, 308) or request.path_info.endswith("/"):
        return False
    return response.get("Location", "").split("?")[0].endswith(request.path_info + "/")


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(PREFIX):
            return self.get_response(request)
        if _announced_too_big(request):
            return error_response(path, 413)
        response = self.get_response(request)
        if _appended_slash(request, response):
            return error_response(path, 404)  # no API route ends in a slash the caller left out
        if response.status_code < 400 or _in_shape(response):
            return response
        shaped = error_response(path, response.status_code)
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                shaped[header] = value
        if "Allow" in shaped:
            shaped["Allow"] = _in_order(shaped["Allow"])
        return shaped
