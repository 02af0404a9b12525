"""The HTTP pieces every device feed shares: the presented token, ETags, byte ranges, log redaction."""

import logging

import pytest
from django.test import RequestFactory

from channels.devices import http
from channels.devices.logfilter import RedactTokenFilter


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [
        ({"HTTP_AUTHORIZATION": "Bearer abc"}, "", "abc"),
        ({"HTTP_AUTHORIZATION": "bearer  abc "}, "?token=other", "abc"),
        ({}, "?token=xyz", "xyz"),
        ({"HTTP_AUTHORIZATION": "Basic dTpw"}, "?token=xyz", "xyz"),
        ({"HTTP_AUTHORIZATION": "Bearer "}, "", ""),
    ],
)
def test_the_token_comes_from_the_header_else_the_query_string(headers, query, expected):
    request = RequestFactory().get("/api/x" + query, **headers)

    assert http.presented_token(request) == expected


@pytest.mark.parametrize(
    ("header", "matches"),
    [(None, False), ('"a"', True), ('W/"a"', True), ('"b", "a"', True), ("*", True), ('"b"', False)],
)
def test_etag_matching(header, matches):
    headers = {} if header is None else {"HTTP_IF_NONE_MATCH": header}

    assert http.etag_matches(RequestFactory().get("/", **headers), '"a"') is matches


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=5-2", None),  # malformed: the whole file
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),
    ],
)
def test_byte_ranges(header, expected):
    wanted = http.byte_range(header, 1000)

    assert (None if wanted is None else (wanted.start, wanted.end)) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=-0"])
def test_ranges_outside_the_file_are_unsatisfiable(header):
    with pytest.raises(http.UnsatisfiableRange):
        http.byte_range(header, 1000)


def test_tokens_in_request_lines_are_redacted():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        "",
        0,
        '"%s" %s %s',
        ("GET /api/led/v1/x.json?a=1&token=s3cret HTTP/1.1", 200, 5),
        None,
    )

    RedactTokenFilter().filter(record)

    assert "s3cret" not in record.getMessage() and "token=[redacted]" in record.getMessage()


def test_one_log_filter_serves_every_device_feed():
    for name in ("django.server", "django.request", "gunicorn.access"):
        filters = [f for f in logging.getLogger(name).filters if type(f).__name__ == "RedactTokenFilter"]
        assert len(filters) == 1
