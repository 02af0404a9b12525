"""Every error under /api/ is JSON in its API's shape: unknown routes, wrong methods, big bodies, crashes."""

import pytest
from django.core.cache import cache

SMS_SHAPE = {"code", "message", "parameter"}


@pytest.fixture(autouse=True)
def clean_cache():
    cache.delete_many(["sms:auth:generation"])
    yield


def sms_error(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == SMS_SHAPE
    return body["error"]


def loudspeaker_error(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


def led_error(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "detail"} and isinstance(body["error"], str)
    return body


@pytest.mark.parametrize("debug", [True, False])
def test_a_body_over_the_upload_limit_is_413_json_not_a_traceback_nor_an_html_page(
    client, db, settings, debug
):
    settings.DEBUG = debug
    body = b'{"acks": [' + b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b"]}"

    response = client.post("/api/sms/v1/acks", body, content_type="application/json")

    assert response.status_code == 413
    assert sms_error(response)["code"] == "payload_too_large"


def test_a_body_that_turns_out_too_big_while_read_is_413_json(client, db, settings, key_for_sms):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    # No announced length over the limit: the limit bites while the body is read.
    response = client.generic(
        "POST",
        "/api/sms/v1/acks",
        b'{"acks": [' + b" " * 200 + b"]}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key_for_sms}",
        CONTENT_LENGTH="50",
    )
    assert response.status_code in (400, 413)
    sms_error(response)


@pytest.fixture
def key_for_sms(db):
    from tests.factories.sms import PartnerFactory, partner_key

    return partner_key(PartnerFactory())


@pytest.mark.parametrize(
    ("path", "shape", "status", "code"),
    [
        ("/api/sms/v1/nothing-here", sms_error, 404, "not_found"),
        ("/api/nothing/", sms_error, 404, "not_found"),
        ("/api/led/v1/nothing", led_error, 404, "not_found"),
        ("/api/led/v1/screens/a/b/c.png", led_error, 404, "not_found"),
        ("/api/led/v1/openapi.json/x", led_error, 404, "not_found"),
        ("/api/loudspeaker/v1/nothing", loudspeaker_error, 404, "not_found"),
        ("/api/loudspeaker/v9", loudspeaker_error, 404, "not_found"),
    ],
)
@pytest.mark.parametrize("debug", [True, False])
def test_unknown_routes_under_api_are_json_404(client, db, settings, path, shape, status, code, debug):
    settings.DEBUG = debug
    response = client.get(path)

    assert response.status_code == status
    body = shape(response)
    assert (body.get("code") or body.get("error")) == code


def test_wrong_methods_are_json_405_with_allow(client, db):
    sms = client.put("/api/sms/v1/messages")
    led = client.post("/api/led/v1/screens/cho/playlist.json")

    assert sms.status_code == 405 and sms_error(sms)["code"] == "method_not_allowed"
    assert "GET" in sms["Allow"]
    assert led.status_code == 405 and led_error(led)["error"] == "method_not_allowed"
    assert led["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("debug", [True, False])
def test_a_crash_in_an_api_is_json_500(client, db, settings, monkeypatch, key_for_sms, debug):
    settings.DEBUG = debug
    from channels.sms import api

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.feed, "record_acks", boom)
    response = client.post(
        "/api/sms/v1/acks",
        {"acks": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key_for_sms}",
    )

    assert response.status_code == 500
    assert sms_error(response)["code"] == "server_error"
    assert "boom" not in response.content.decode()


def test_a_crash_in_the_led_feed_is_json_500(client, db, settings, monkeypatch):
    from channels.led import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "authenticate", boom)
    client.raise_request_exception = False
    response = client.get("/api/led/v1/screens/cho/playlist.json")

    assert response.status_code == 500
    assert led_error(response)["error"] == "server_error"


def test_pages_outside_api_keep_their_html_errors(client, db):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_errors_stay_json_when_the_client_takes_gzip(client, db):
    import gzip
    import json

    response = client.get("/api/sms/v1/" + "x" * 300, HTTP_ACCEPT_ENCODING="gzip")

    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    assert response.status_code == 404
    assert json.loads(body)["error"]["code"] == "not_found"
