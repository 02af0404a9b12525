"""The LED API on django-ninja: a valid OpenAPI description of exactly the contract's paths, and the
same bytes whether the fast path or the API answers."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import negative_data_rejection

from channels.led.api import api
from tests.factories.led import PlaylistItemFactory

OPENAPI = "/api/led/v1/openapi.json"
BASE = "/api/led/v1/screens/{code}"
CONTRACT_PATHS = {
    "/api/led/v1/screens/{code}/playlist.json": ["get"],
    "/api/led/v1/screens/{code}/playlist.txt": ["get"],
    "/api/led/v1/screens/{code}/frames/{item_id}.png": ["get"],
}
FAST_PATH = "channels.led.middleware.LedFeedMiddleware"


def test_openapi_is_served_valid_and_lists_every_contract_path(client, db):
    response = client.get(OPENAPI)

    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    description = response.json()
    validate(description)
    assert description["openapi"].startswith("3.")
    assert description["info"]["title"] == "LED screen feed"
    assert {path: sorted(ops) for path, ops in description["paths"].items()} == CONTRACT_PATHS
    [scheme] = description["components"]["securitySchemes"].values()
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer") and "?token=" in scheme["description"]


def test_openapi_describes_tokens_etags_and_the_error_shape(client, db):
    description = client.get(OPENAPI).json()

    playlist = description["paths"]["/api/led/v1/screens/{code}/playlist.json"]["get"]
    frame = description["paths"]["/api/led/v1/screens/{code}/frames/{item_id}.png"]["get"]
    assert set(playlist["responses"]) == {"200", "304", "401", "429", "500"}
    assert set(frame["responses"]) == {"200", "304", "401", "404", "429", "500"}
    assert "ETag" in playlist["responses"]["200"]["headers"]
    assert "Retry-After" in playlist["responses"]["429"]["headers"]
    assert {(p["in"], p["name"]) for p in playlist["parameters"]} >= {
        ("query", "token"),
        ("header", "If-None-Match"),
    }
    assert "image/png" in frame["responses"]["200"]["content"]
    error = description["components"]["schemas"]["ErrorBody"]
    assert (
        set(error["properties"]) == {"error", "detail"} and error["properties"]["error"]["type"] == "string"
    )
    items = description["components"]["schemas"]["PlaylistOut"]["properties"]
    assert set(items) == {"screen", "phase", "generated_at", "items"}


def both_paths(client, settings, path, **headers):
    """The same request answered by the fast path, then by the django-ninja API alone (a new client
    loads the middleware without the fast path; only the full stack adds X-Frame-Options)."""
    fast = client.get(path, **headers)
    original = settings.MIDDLEWARE
    settings.MIDDLEWARE = [name for name in original if name != FAST_PATH]
    api_answer = Client().get(path, **headers)
    settings.MIDDLEWARE = original
    assert "X-Frame-Options" not in fast and "X-Frame-Options" in api_answer
    return fast, api_answer


def same(fast, api_answer, *, ignore=()) -> None:
    assert api_answer.status_code == fast.status_code
    for header in ("Content-Type", "ETag", "Cache-Control", "WWW-Authenticate", "Retry-After"):
        assert api_answer.get(header) == fast.get(header), header
    if not ignore:
        assert api_answer.content == fast.content


@pytest.mark.parametrize("suffix", ["playlist.txt", "frame"])
def test_the_api_answers_the_same_bytes_as_the_fast_path(client, settings, screen, suffix):
    item = PlaylistItemFactory(text="Tiêm vắc-xin mũi nhắc lại tại trạm y tế phường")
    path = BASE.format(code=screen.code) + (
        "/" + suffix if suffix != "frame" else f"/frames/{item.feed_id}.png"
    )

    fast, api_answer = both_paths(client, settings, path, HTTP_AUTHORIZATION=f"Bearer {screen.secret}")

    assert fast.status_code == 200
    same(fast, api_answer)


def test_the_api_answers_the_same_playlist_json_and_304(client, settings, screen):
    PlaylistItemFactory()
    path = BASE.format(code=screen.code) + "/playlist.json?token=" + screen.secret

    fast, api_answer = both_paths(client, settings, path)
    same(fast, api_answer, ignore=("generated_at",))
    body, again = fast.json(), api_answer.json()
    assert {**body, "generated_at": None} == {**again, "generated_at": None}

    fast, api_answer = both_paths(client, settings, path, HTTP_IF_NONE_MATCH=fast["ETag"])
    assert fast.status_code == 304
    same(fast, api_answer)


@pytest.mark.parametrize(
    ("path", "token", "status", "code"),
    [
        ("/playlist.json", None, 401, "unauthorized"),
        ("/playlist.txt", "sai", 401, "unauthorized"),
        ("/frames/1-abcdef0123.png", "right", 404, "not_found"),
    ],
)
def test_the_api_answers_the_same_errors_as_the_fast_path(
    client, settings, screen, path, token, status, code
):
    headers = (
        {}
        if token is None
        else {"HTTP_AUTHORIZATION": f"Bearer {screen.secret if token == 'right' else token}"}
    )

    fast, api_answer = both_paths(client, settings, BASE.format(code=screen.code) + path, **headers)

    assert fast.status_code == status and fast.json()["error"] == code
    same(fast, api_answer)


def test_head_is_answered_by_the_api_too(settings, screen):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_PATH]

    response = Client().head(
        BASE.format(code=screen.code) + "/playlist.json", HTTP_AUTHORIZATION=f"Bearer {screen.secret}"
    )

    assert response.status_code == 200 and response["ETag"] and "X-Frame-Options" in response


schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/led/v1/"))
schema.app = get_wsgi_application()


@pytest.fixture
def feed_with_items(screen, settings):
    """Two items; the test's database connection stays open across WSGI requests (as the test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    PlaylistItemFactory(text="Thực hiện 5K: khẩu trang, khử khuẩn, khoảng cách")
    PlaylistItemFactory(text="Khẩn: tạm dừng họp chợ phiên", priority="urgent")
    yield screen
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hsettings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_server_error_nor_an_answer_outside_the_description(case, feed_with_items):
    """Generated requests (the real screen's code among others) never cause a 5xx nor an undocumented answer."""
    if (
        case.path_parameters
        and case.path_parameters.get("code")
        and case.path_parameters["code"].startswith("c")
    ):
        case.path_parameters["code"] = feed_with_items.code
    case.call_and_validate(
        headers={"Authorization": f"Bearer {feed_with_items.secret}", "Accept-Encoding": "identity"},
        excluded_checks=[negative_data_rejection],
    )
