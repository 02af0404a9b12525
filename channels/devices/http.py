"""HTTP pieces every device feed uses: the presented token, ETags and byte ranges."""

import re
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


def presented_token(request: HttpRequest) -> str:
    """`Authorization: Bearer <token>`, else `?token=<token>` (controllers that cannot set headers)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.GET.get("token", "").strip()


def etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def not_modified(etag: str, cache_control: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response


RANGE = re.compile(r"^bytes=(?P<start>[0-9]{0,18})-(?P<end>[0-9]{0,18})$")


class UnsatisfiableRange(Exception):
    """The range lies outside the file (answer 416)."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def byte_range(header: str | None, size: int) -> ByteRange | None:
    """The one range of a `Range` header (RFC 9110), None for the whole file.

    Several ranges or a malformed header are ignored (the whole file is sent), as servers may.
    """
    if not header:
        return None
    match = RANGE.match(header.strip())
    if match is None or (not match["start"] and not match["end"]):
        return None
    if not match["start"]:  # the last N bytes
        suffix = int(match["end"])
        if suffix == 0 or size == 0:
            raise UnsatisfiableRange
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(match["start"])
    end = int(match["end"]) if match["end"] else size - 1
    if match["end"] and end < start:
        return None
    if start >= size:
        raise UnsatisfiableRange
    return ByteRange(start, min(end, size - 1))
