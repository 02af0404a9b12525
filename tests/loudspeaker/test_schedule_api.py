"""The schedule, clause by clause of contracts/loudspeaker-feed.md (authentication, items, ETag)."""

import datetime
import logging

import pytest
from django.utils import timezone
from wagtail.models import Site

from channels.devices.logfilter import RedactTokenFilter
from channels.loudspeaker.models import Bulletin, Station
from hub.models import CampaignSettings
from tests.factories import OrganisationFactory
from tests.factories.loudspeaker import BulletinFactory, StationFactory

URL = "/api/loudspeaker/v1/stations/{code}/schedule.json"


def poll(client, station, *, etag=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {station.secret}"}
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(URL.format(code=station.code), **headers, **extra)


def ids(response) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


def set_phase(phase: str) -> None:
    site = Site.objects.get(is_default_site=True)
    settings = CampaignSettings.for_site(site)
    settings.phase = phase
    settings.save()


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code and body["error"]["message"]


# --- authentication -----------------------------------------------------------------


def test_bearer_token_opens_the_schedule(client, station):
    response = poll(client, station)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["station"] == "xa-thanh-xuong" and body["phase"] == "new_normal"
    assert body["generated_at"].endswith("+07:00") and body["items"] == []


def test_query_string_token_opens_the_schedule(client, station):
    response = client.get(URL.format(code=station.code) + f"?token={station.secret}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer not-the-token"}, {"HTTP_AUTHORIZATION": "Basic eDp5"}],
    ids=["missing", "wrong", "other-scheme"],
)
def test_missing_or_wrong_token_is_401_json(client, station, headers):
    response = client.get(URL.format(code=station.code), **headers)

    assert_error(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("with_token", [True, False])
def test_unknown_station_is_401_too(client, station, with_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {station.secret}"} if with_token else {}

    response = client.get(URL.format(code="khong-co-tram-nay"), **headers)

    assert_error(response, 401, "unauthorized")


def test_token_of_another_station_is_401(client, station, regions, organisation):
    other = StationFactory(region=regions["district"], organisation=organisation)
    _token, secret = other.issue_token()

    response = client.get(URL.format(code=station.code), HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert_error(response, 401, "unauthorized")


def test_inactive_station_is_401_even_with_a_cached_token(client, station):
    assert poll(client, station).status_code == 200

    station.active = False
    station.save()

    assert_error(poll(client, station), 401, "unauthorized")


def test_rotation_two_tokens_then_the_old_one_revoked(client, station):
    _new, new_secret = station.issue_token()
    url = URL.format(code=station.code)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {station.secret}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {new_secret}").status_code == 200

    old = station.tokens.order_by("created_at", "pk").first()
    old.revoked_at = timezone.now()
    old.save()

    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {station.secret}").status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {new_secret}").status_code == 200


def test_token_is_stored_hashed(station):
    stored = station.tokens.get()

    assert station.secret not in (stored.hash, stored.prefix)
    assert len(stored.hash) == 64 and station.secret.startswith(stored.prefix)


@pytest.mark.parametrize("code", ["xa-thanh-xuong", "khong-co"])
def test_query_string_token_never_reaches_the_logs(client, station, caplog, code):
    secret = "s3cr3t-" + "y" * 30
    caplog.set_level(logging.DEBUG)

    response = client.get(URL.format(code=code) + f"?token={secret}&v=1")
    client.get(f"/api/loudspeaker/v1/stations/{code}/nowhere?token={secret}")

    assert response.status_code == 401
    assert secret not in caplog.text


def test_filter_redacts_request_lines():
    secret = "abcdefghijklmnop"
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(r)s", None, None)
    record.args = {"r": f"GET /api/loudspeaker/v1/stations/a/audio/1-x.mp3?token={secret} HTTP/1.1"}

    RedactTokenFilter().filter(record)

    assert secret not in record.getMessage() and "token=[redacted]" in record.getMessage()
    assert any(type(f).__name__ == "RedactTokenFilter" for f in logging.getLogger("django.server").filters)


# --- items ------------------------------------------------------------------------------


def test_items_are_for_the_station_region_and_above(client, station, regions):
    everywhere = BulletinFactory()
    district = BulletinFactory(regions=[regions["district"]])
    BulletinFactory(regions=[regions["other"]])  # another district

    assert set(ids(poll(client, station))) == {everywhere.feed_id, district.feed_id}


def test_item_shape_is_the_contract(client, station):
    bulletin = BulletinFactory()

    [item] = poll(client, station).json()["items"]

    assert set(item) == {
        "id",
        "title",
        "language",
        "priority",
        "play_at",
        "audio",
        "script",
        "valid_from",
        "valid_until",
    }
    assert item["id"] == bulletin.feed_id and item["title"] == bulletin.title and item["language"] == "vi"
    assert item["audio"] == {
        "url": f"/api/loudspeaker/v1/stations/xa-thanh-xuong/audio/{bulletin.feed_id}.mp3",
        "mime": "audio/mpeg",
        "duration_s": 12,
        "bytes": bulletin.audio_bytes,
        "sha256": bulletin.audio_sha256,
    }
    assert item["script"] == f"/api/loudspeaker/v1/stations/xa-thanh-xuong/scripts/{bulletin.feed_id}.txt"
    assert item["valid_from"].endswith("+07:00") and item["valid_until"].endswith("+07:00")


def test_bulletins_of_another_organisation_stay_off(client, station):
    mine = BulletinFactory(organisation=station.organisation)
    BulletinFactory(organisation=OrganisationFactory())

    assert ids(poll(client, station)) == [mine.feed_id]


def test_bulletin_without_audio_yet_is_not_listed(client, station):
    BulletinFactory(audio=False)

    assert ids(poll(client, station)) == []


def test_only_bulletins_valid_now_and_in_the_next_24_hours(client, station):
    now = timezone.now()
    soon = BulletinFactory(valid_from=now + datetime.timedelta(hours=20))
    BulletinFactory(valid_from=now + datetime.timedelta(hours=30))
    BulletinFactory(
        valid_from=now - datetime.timedelta(days=3), valid_until=now - datetime.timedelta(hours=1)
    )

    assert ids(poll(client, station)) == [soon.feed_id]


def test_play_at_are_the_station_slots_in_the_next_24_hours(client, station, settings):
    BulletinFactory(valid_until=timezone.now() + datetime.timedelta(days=5))

    [item] = poll(client, station).json()["items"]

    times = [datetime.datetime.fromisoformat(t) for t in item["play_at"]]
    now = timezone.now()
    assert len(times) == 2 and times == sorted(times)
    assert sorted(t.strftime("%H:%M") for t in times) == ["06:00", "17:30"]
    assert all(now <= t < now + datetime.timedelta(hours=24) for t in times)
    assert all(t.utcoffset() == datetime.timedelta(hours=7) for t in times)


def test_play_at_stays_within_the_bulletin_validity(client, station):
    now = timezone.now()
    BulletinFactory(valid_until=now + datetime.timedelta(minutes=1))

    [item] = poll(client, station).json()["items"]

    assert item["play_at"] == []  # no slot before it ends: listed, nothing to play


def test_urgent_first(client, station):
    now = timezone.now()
    normal = BulletinFactory(published_at=now)
    urgent = BulletinFactory(priority="urgent", published_at=now - datetime.timedelta(hours=2))

    assert ids(poll(client, station)) == [urgent.feed_id, normal.feed_id]


def test_urgent_in_the_outbreak_phase_plays_at_once(client, station, home):
    set_phase("outbreak")
    published = timezone.now() - datetime.timedelta(minutes=3)
    BulletinFactory(priority="urgent", published_at=published)
    normal = BulletinFactory()

    body = poll(client, station).json()
    urgent_item, normal_item = body["items"]

    assert body["phase"] == "outbreak"
    assert datetime.datetime.fromisoformat(urgent_item["play_at"][0]) == published.replace(microsecond=0)
    assert len(urgent_item["play_at"]) == 3
    assert normal_item["id"] == normal.feed_id and len(normal_item["play_at"]) == 2


def test_urgent_in_new_normal_waits_for_the_slots(client, station, home):
    BulletinFactory(priority="urgent")

    [item] = poll(client, station).json()["items"]

    assert len(item["play_at"]) == 2


def test_one_item_per_language_in_the_station_order(client, station):
    station.languages = "blt, vi"
    station.save()
    vi = BulletinFactory(marker="hub-9:vi", language="vi")
    blt = BulletinFactory(marker="hub-9:blt", language="blt", published_at=vi.published_at)
    BulletinFactory(marker="hub-9:hmn", language="hmn", published_at=vi.published_at)

    response = poll(client, station)

    assert ids(response) == [blt.feed_id, vi.feed_id]
    assert [item["language"] for item in response.json()["items"]] == ["blt", "vi"]


def test_retraction_removes_the_bulletin(client, station):
    bulletin = BulletinFactory()
    assert ids(poll(client, station)) == [bulletin.feed_id]

    bulletin.retracted_at = timezone.now()
    bulletin.save()

    assert ids(poll(client, station)) == []


def test_a_corrected_bulletin_gets_a_new_id(client, station):
    bulletin = BulletinFactory()
    before = bulletin.feed_id

    bulletin.script = "Nội dung đã được sửa lại."
    bulletin.save()

    assert ids(poll(client, station)) == [bulletin.feed_id] and bulletin.feed_id != before


# --- ETag, heartbeats ------------------------------------------------------------------


def test_etag_and_304(client, station):
    BulletinFactory()
    first = poll(client, station)
    etag = first["ETag"]

    again = poll(client, station, etag=etag)

    assert etag and again.status_code == 304 and again.content == b"" and again["ETag"] == etag


def test_etag_changes_with_the_schedule(client, station):
    etag = poll(client, station)["ETag"]
    BulletinFactory()

    response = poll(client, station, etag=etag)

    assert response.status_code == 200 and response["ETag"] != etag


def test_304_by_query_token_too(client, station):
    etag = poll(client, station)["ETag"]

    response = client.get(URL.format(code=station.code) + f"?token={station.secret}", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_a_successful_poll_records_the_station_as_seen(client, station):
    assert Station.objects.get(pk=station.pk).last_seen_at is None

    poll(client, station)

    assert Station.objects.get(pk=station.pk).last_seen_at is not None


def test_a_failed_poll_does_not(client, station):
    client.get(URL.format(code=station.code), HTTP_AUTHORIZATION="Bearer wrong")

    assert Station.objects.get(pk=station.pk).last_seen_at is None


def test_unchanged_poll_makes_no_query(client, station, django_assert_max_num_queries):
    BulletinFactory()
    etag = poll(client, station)["ETag"]

    with django_assert_max_num_queries(0):
        assert poll(client, station, etag=etag).status_code == 304


# --- errors under the prefix are JSON --------------------------------------------------


def test_unknown_address_and_wrong_method_are_json(client, station):
    assert_error(client.get("/api/loudspeaker/v1/nothing-here"), 404, "not_found")
    response = client.delete(URL.format(code=station.code), HTTP_AUTHORIZATION=f"Bearer {station.secret}")
    assert response.status_code in (404, 405)
    assert response["Content-Type"].startswith("application/json") and "error" in response.json()


def test_bulletin_count_unchanged_by_polling(client, station):
    BulletinFactory()
    poll(client, station)
    assert Bulletin.objects.count() == 1
