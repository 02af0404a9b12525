"""What every device feed's django-ninja API shares: an error raised anywhere in a request and
answered in that feed's contract's shape, and the handlers that keep a traceback or an HTML page
from ever reaching a controller. Each feed keeps its own error body (`error_response`) and its
own answers to bad input (validation, bad JSON).
"""

import logging
from collections.abc import Callable

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import HttpError

ErrorResponse = Callable[[int, str, str], HttpResponse]


class FeedError(Exception):
    """An error a feed answers in its contract's shape; a feed subclasses it with its own
    `error_response(status, code, message)`."""

    error_response: ErrorResponse

    def __init__(self, status: int, code: str, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.retry_after = retry_after

    def response(self) -> HttpResponse:
        response = type(self).error_response(self.status, self.code, self.message)
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        return response


def device_api(
    *,
    title: str,
    description: str,
    namespace: str,
    auth,
    error: type[FeedError],
    http_error_code: Callable[[int], str] = lambda status: "error",
    logger: logging.Logger,
    log_name: str,
) -> NinjaAPI:
    """A feed's API (version 1, its OpenAPI document at `openapi.json`, no interactive docs), with
    `error` answered as it says, django-ninja's HttpError in the feed's shape and anything else
    logged and answered 500 in that shape."""
    api = NinjaAPI(
        title=title,
        version="1",
        description=description,
        openapi_url="/openapi.json",
        docs_url=None,
        urls_namespace=namespace,
        auth=auth,
    )

    def on_feed_error(request, exc: FeedError):
        return exc.response()

    def on_http_error(request, exc: HttpError):
        return error.error_response(exc.status_code, http_error_code(exc.status_code), exc.message)

    def on_server_error(request, exc: Exception):
        logger.exception("%s error on %s", log_name, request.path)  # e.g. "LED API error on /api/…"
        message = _("Something went wrong on the server; try again later.")
        return error.error_response(500, "server_error", message)

    api.add_exception_handler(error, on_feed_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_server_error)
    return api
