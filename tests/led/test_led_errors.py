"""Every status the LED feed answers with an error is JSON in the LED contract's shape
({"error": <code>, "detail": <message>}), whether the fast path, the API or the fallback answers."""

import pytest

from channels.led import views
from channels.led.models import Screen
from channels.throttle import FailureThrottle

PLAYLIST = "/api/led/v1/screens/{code}/playlist.json"
FAST_PATH = "channels.led.middleware.LedFeedMiddleware"


def led_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "detail"} and isinstance(body["detail"], str) and body["detail"]
    assert body["error"] == code
    return body


@pytest.fixture(params=["fast path", "api"])
def route(request, settings):
    """Each case twice: served by the fast path, and by the django-ninja API alone."""
    if request.param == "api":
        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_PATH]
    return request.param


def test_401_missing_and_wrong_tokens(client, screen, route):
    missing = client.get(PLAYLIST.format(code=screen.code))
    wrong = client.get(PLAYLIST.format(code=screen.code), HTTP_AUTHORIZATION="Bearer sai")
    unknown = client.get(PLAYLIST.format(code="khong-co"), HTTP_AUTHORIZATION=f"Bearer {screen.secret}")

    led_error(missing, 401, "unauthorized")
    assert ("X-Frame-Options" in missing) is (route == "api")  # only the full stack adds it
    assert led_error(wrong, 401, "unauthorized") == led_error(unknown, 401, "unauthorized")
    assert wrong["WWW-Authenticate"] == 'Bearer realm="led"'


def test_404_unknown_frame_and_unknown_address(client, screen, route):
    frame = client.get(
        f"/api/led/v1/screens/{screen.code}/frames/9-0123456789.png",
        HTTP_AUTHORIZATION=f"Bearer {screen.secret}",
    )
    nowhere = client.get("/api/led/v1/screens/cho-him-lam/khong-co.json")
    outside = client.get("/api/led/v2/")

    led_error(frame, 404, "not_found")
    led_error(nowhere, 404, "not_found")
    led_error(outside, 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_405_other_methods_with_allow(client, screen, route, method):
    response = getattr(client, method)(PLAYLIST.format(code=screen.code))

    led_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"


def test_413_an_announced_body_over_the_limit(client, screen, settings, route):
    response = client.generic(
        "POST",
        PLAYLIST.format(code=screen.code),
        b"x",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )

    led_error(response, 413, "payload_too_large")


def test_429_a_locked_out_address(client, screen, settings, route):
    settings.API_AUTH_FAILURE_LIMIT = 3
    for _ in range(3):
        client.get(
            PLAYLIST.format(code=screen.code), HTTP_AUTHORIZATION="Bearer sai", REMOTE_ADDR="203.0.113.9"
        )

    response = client.get(
        PLAYLIST.format(code=screen.code),
        HTTP_AUTHORIZATION=f"Bearer {screen.secret}",
        REMOTE_ADDR="203.0.113.9",
    )

    led_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0
    FailureThrottle("led", views.ACTION_AUTH_FAILED, Screen).clear("203.0.113.9")


def test_500_a_crash_is_json_without_the_traceback(client, screen, monkeypatch, route):
    def boom(*args, **kwargs):
        raise RuntimeError("boom in the feed")

    monkeypatch.setattr(views.feed, "playlist_state", boom)
    client.raise_request_exception = False

    response = client.get(PLAYLIST.format(code=screen.code), HTTP_AUTHORIZATION=f"Bearer {screen.secret}")

    led_error(response, 500, "server_error")
    assert "boom" not in response.content.decode()
