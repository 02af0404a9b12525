"""Audio and scripts: exact bytes, the schedule's digest, Range requests, unknown items."""

import hashlib

import pytest
from django.utils import timezone

from tests.factories.loudspeaker import BulletinFactory, fake_mp3

SCHEDULE = "/api/loudspeaker/v1/stations/{code}/schedule.json"


def auth(station) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {station.secret}"}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def item(client, station):
    BulletinFactory(audio=fake_mp3("Thanh Xương", size=100_003))
    [item] = client.get(SCHEDULE.format(code=station.code), **auth(station)).json()["items"]
    return item


def test_audio_is_exactly_the_bytes_of_the_schedule_digest(client, station, item):
    response = client.get(item["audio"]["url"], **auth(station))
    data = body(response)

    assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"
    assert len(data) == item["audio"]["bytes"] == int(response["Content-Length"]) == 100_003
    assert hashlib.sha256(data).hexdigest() == item["audio"]["sha256"]
    assert response["Accept-Ranges"] == "bytes"


def test_audio_by_query_token(client, station, item):
    response = client.get(item["audio"]["url"] + f"?token={station.secret}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=65536-", 65536, 100_002),
        ("bytes=-1000", 99_003, 100_002),
        ("bytes=99990-200000", 99_990, 100_002),
    ],
)
def test_range_requests_resume_a_download(client, station, item, header, start, end):
    whole = body(client.get(item["audio"]["url"], **auth(station)))

    response = client.get(item["audio"]["url"], HTTP_RANGE=header, **auth(station))

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/100003"
    assert body(response) == whole[start : end + 1] and int(response["Content-Length"]) == end - start + 1


def test_resumed_parts_join_to_the_digest(client, station, item):
    url = item["audio"]["url"]
    head = body(client.get(url, HTTP_RANGE="bytes=0-49999", **auth(station)))
    tail = body(client.get(url, HTTP_RANGE=f"bytes={len(head)}-", **auth(station)))

    assert hashlib.sha256(head + tail).hexdigest() == item["audio"]["sha256"]


def test_range_outside_the_file_is_416(client, station, item):
    response = client.get(item["audio"]["url"], HTTP_RANGE="bytes=200000-", **auth(station))

    assert response.status_code == 416 and response["Content-Range"] == "bytes */100003"
    assert response.json()["error"]["code"] == "range_not_satisfiable"


def test_if_range_with_another_version_sends_the_whole_file(client, station, item):
    response = client.get(
        item["audio"]["url"], HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"', **auth(station)
    )

    assert response.status_code == 200 and len(body(response)) == 100_003


def test_if_range_with_this_version_sends_the_range(client, station, item):
    etag = client.get(item["audio"]["url"], **auth(station))["ETag"]

    response = client.get(item["audio"]["url"], HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag, **auth(station))

    assert response.status_code == 206 and len(body(response)) == 10


def test_audio_etag_304(client, station, item):
    etag = client.get(item["audio"]["url"], **auth(station))["ETag"]

    assert client.get(item["audio"]["url"], HTTP_IF_NONE_MATCH=etag, **auth(station)).status_code == 304


def test_audio_needs_the_token(client, station, item):
    response = client.get(item["audio"]["url"])

    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("item_id", ["999-0123456789", "nonsense", "1-zzzzzzzzzz"])
def test_unknown_item_is_404_json(client, station, item, item_id):
    for kind, suffix in (("audio", "mp3"), ("scripts", "txt")):
        response = client.get(
            f"/api/loudspeaker/v1/stations/{station.code}/{kind}/{item_id}.{suffix}", **auth(station)
        )

        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_another_regions_item_is_404(client, station, regions):
    other = BulletinFactory(regions=[regions["other"]])

    response = client.get(
        f"/api/loudspeaker/v1/stations/{station.code}/audio/{other.feed_id}.mp3", **auth(station)
    )

    assert response.status_code == 404


def test_retracted_item_is_gone(client, station, item):
    from channels.loudspeaker.models import Bulletin

    for bulletin in Bulletin.objects.all():
        bulletin.retracted_at = timezone.now()
        bulletin.save()

    assert client.get(item["audio"]["url"], **auth(station)).status_code == 404
    assert client.get(item["script"], **auth(station)).status_code == 404


def test_script_is_plain_utf8_text(client, station, item):
    response = client.get(item["script"], **auth(station))

    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode("utf-8").startswith("Trạm y tế xã thông báo")
    assert client.get(item["script"] + f"?token={station.secret}").status_code == 200
