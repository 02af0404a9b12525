"""Every status the loudspeaker feed answers with an error is JSON in its contract's shape,
exactly {"error": {"code": …, "message": …}}, whoever answers: fast path, API or fallback."""

import json

import pytest

from channels.loudspeaker import views
from tests.factories.loudspeaker import BulletinFactory

BASE = "/api/loudspeaker/v1/stations/{code}"


def device_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def auth(station) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {station.secret}"}


def test_400_a_malformed_proof_of_play(client, station):
    response = client.post(
        BASE.format(code=station.code) + "/plays",
        data="{nope",
        content_type="application/json",
        **auth(station),
    )

    device_error(response, 400, "invalid_body")


def test_401_without_a_valid_token(client, station):
    device_error(client.get(BASE.format(code=station.code) + "/schedule.json"), 401, "unauthorized")
    device_error(client.post(BASE.format(code=station.code) + "/plays"), 401, "unauthorized")


@pytest.mark.parametrize("path", ["/audio/1-0123456789.mp3", "/scripts/1-0123456789.txt", "/khong-co"])
def test_404_unknown_items_and_addresses(client, station, path):
    device_error(client.get(BASE.format(code=station.code) + path, **auth(station)), 404, "not_found")


def test_404_anywhere_under_the_prefix(client, db):
    device_error(client.get("/api/loudspeaker/v2/"), 404, "not_found")


def test_405_other_methods(client, station):
    response = client.delete(BASE.format(code=station.code) + "/schedule.json", **auth(station))

    device_error(response, 405, "method_not_allowed")


def test_413_an_announced_body_over_the_limit(client, station, settings):
    response = client.generic(
        "POST",
        BASE.format(code=station.code) + "/plays",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        **auth(station),
    )

    device_error(response, 413, "payload_too_large")


def test_416_a_range_outside_the_file(client, station):
    BulletinFactory()
    [item] = client.get(BASE.format(code=station.code) + "/schedule.json", **auth(station)).json()["items"]

    response = client.get(item["audio"]["url"], HTTP_RANGE="bytes=999999999-", **auth(station))

    device_error(response, 416, "range_not_satisfiable")


def test_429_too_many_writes(client, station, settings):
    settings.DEVICE_WRITE_RATE_LIMIT = 1
    plays = BASE.format(code=station.code) + "/plays"
    client.post(plays, data=json.dumps({"plays": []}), content_type="application/json", **auth(station))

    response = client.post(
        plays, data=json.dumps({"plays": []}), content_type="application/json", **auth(station)
    )

    device_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("where", ["schedule (fast path)", "plays (API)"])
def test_500_a_crash_is_json_in_the_contract_shape(client, station, monkeypatch, where):
    def boom(*args, **kwargs):
        raise RuntimeError("boom in the feed")

    monkeypatch.setattr(views.feed, "schedule_state", boom)
    monkeypatch.setattr("channels.loudspeaker.services.plays_record", boom)
    client.raise_request_exception = False

    if where.startswith("schedule"):
        response = client.get(BASE.format(code=station.code) + "/schedule.json", **auth(station))
    else:
        response = client.post(
            BASE.format(code=station.code) + "/plays",
            data=json.dumps({"plays": []}),
            content_type="application/json",
            **auth(station),
        )

    device_error(response, 500, "server_error")
    assert "boom" not in response.content.decode()
