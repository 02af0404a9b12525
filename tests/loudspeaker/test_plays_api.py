"""Proof of play: idempotent receipts, unknown items, malformed bodies, delivery to the station."""

import datetime
import json

import pytest
from django.utils import timezone

from channels.loudspeaker.models import Play, Reception, Station
from tests.factories.loudspeaker import BulletinFactory, StationFactory

URL = "/api/loudspeaker/v1/stations/{code}/plays"


def post(client, station, payload, *, token=None, raw=None):
    return client.post(
        URL.format(code=station.code),
        data=raw if raw is not None else json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token or station.secret}",
    )


def at(minutes: int) -> str:
    moment = timezone.localtime() - datetime.timedelta(minutes=minutes)
    return moment.replace(microsecond=0).isoformat()


def test_plays_are_accepted_and_stored(client, station):
    bulletin = BulletinFactory()

    response = post(
        client,
        station,
        {
            "plays": [
                {"item": bulletin.feed_id, "played_at": at(30), "status": "played"},
                {"item": bulletin.feed_id, "played_at": at(10), "status": "skipped"},
            ]
        },
    )

    assert response.status_code == 200
    assert response.json() == {"accepted": 2, "duplicates": 0, "unknown": 0}
    assert Play.objects.filter(station=station, bulletin=bulletin).count() == 2


def test_the_same_play_twice_is_stored_once(client, station):
    bulletin = BulletinFactory()
    play = {"item": bulletin.feed_id, "played_at": at(5), "status": "played"}

    first = post(client, station, {"plays": [play, play]})
    again = post(client, station, {"plays": [play]})

    assert first.json() == {"accepted": 1, "duplicates": 1, "unknown": 0}
    assert again.json() == {"accepted": 0, "duplicates": 1, "unknown": 0}
    assert Play.objects.count() == 1


def test_the_same_moment_in_another_zone_is_a_duplicate(client, station):
    bulletin = BulletinFactory()
    local = timezone.localtime().replace(microsecond=0)
    post(
        client,
        station,
        {"plays": [{"item": bulletin.feed_id, "played_at": local.isoformat(), "status": "played"}]},
    )

    utc = local.astimezone(datetime.UTC).isoformat()
    response = post(
        client, station, {"plays": [{"item": bulletin.feed_id, "played_at": utc, "status": "played"}]}
    )

    assert response.json()["duplicates"] == 1


def test_items_never_on_this_schedule_are_unknown_and_not_stored(client, station, regions):
    elsewhere = BulletinFactory(regions=[regions["other"]])
    mine = BulletinFactory()

    response = post(
        client,
        station,
        {
            "plays": [
                {"item": elsewhere.feed_id, "played_at": at(3), "status": "played"},
                {"item": "12345-0123456789", "played_at": at(3), "status": "played"},
                {"item": "not-an-id", "played_at": at(3), "status": "failed"},
                {"item": mine.feed_id, "played_at": at(3), "status": "played"},
            ]
        },
    )

    assert response.json() == {"accepted": 1, "duplicates": 0, "unknown": 3}
    assert list(Play.objects.values_list("bulletin_id", flat=True)) == [mine.pk]


def test_a_play_of_a_since_retracted_item_is_still_kept(client, station):
    bulletin = BulletinFactory()
    item = bulletin.feed_id
    bulletin.retracted_at = timezone.now()
    bulletin.save(update_fields=["retracted_at"])

    response = post(client, station, {"plays": [{"item": item, "played_at": at(60), "status": "played"}]})

    assert response.json()["accepted"] == 1


def test_first_play_delivers_the_bulletin_to_the_station(client, station):
    bulletin = BulletinFactory()
    post(client, station, {"plays": [{"item": bulletin.feed_id, "played_at": at(20), "status": "skipped"}]})
    assert not Reception.objects.exists()

    post(client, station, {"plays": [{"item": bulletin.feed_id, "played_at": at(10), "status": "played"}]})
    earliest = at(30)  # taken once: a second call may fall in the next second on a slow machine
    post(client, station, {"plays": [{"item": bulletin.feed_id, "played_at": earliest, "status": "played"}]})
    post(client, station, {"plays": [{"item": bulletin.feed_id, "played_at": at(5), "status": "played"}]})

    reception = Reception.objects.get(station=station, bulletin=bulletin)
    assert timezone.localtime(reception.delivered_at).isoformat() == earliest


def test_plays_record_the_station_as_seen(client, station):
    post(client, station, {"plays": []})

    assert Station.objects.get(pk=station.pk).last_seen_at is not None


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        json.dumps({"plays": "x"}),
        json.dumps({}),
        json.dumps({"plays": [{"item": "1-0123456789", "played_at": "yesterday", "status": "played"}]}),
        json.dumps(
            {"plays": [{"item": "1-0123456789", "played_at": "2026-12-02T06:00:00+07:00", "status": "heard"}]}
        ),
        json.dumps({"plays": [{"item": "", "played_at": "2026-12-02T06:00:00+07:00", "status": "played"}]}),
        json.dumps({"plays": [{"played_at": "2026-12-02T06:00:00+07:00", "status": "played"}]}),
    ],
)
def test_malformed_bodies_are_400_json(client, station, raw):
    response = post(client, station, None, raw=raw)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_body" and response.json()["error"]["message"]
    assert not Play.objects.exists()


def test_at_most_500_plays_a_request(client, station):
    bulletin = BulletinFactory()
    base = timezone.now()
    plays = [
        {
            "item": bulletin.feed_id,
            "played_at": (base - datetime.timedelta(seconds=n)).isoformat(),
            "status": "played",
        }
        for n in range(501)
    ]

    too_many = post(client, station, {"plays": plays})
    enough = post(client, station, {"plays": plays[:500]})

    assert too_many.status_code == 400 and enough.json()["accepted"] == 500


@pytest.mark.parametrize("token", ["wrong", None])
def test_plays_need_the_token(client, station, token):
    response = client.post(
        URL.format(code=station.code),
        data=json.dumps({"plays": []}),
        content_type="application/json",
        **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}),
    )

    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


def test_plays_by_query_token(client, station):
    response = client.post(
        URL.format(code=station.code) + f"?token={station.secret}",
        data=json.dumps({"plays": []}),
        content_type="application/json",
    )

    assert response.status_code == 200 and response.json() == {"accepted": 0, "duplicates": 0, "unknown": 0}


def test_openapi_describes_the_feed(client):
    spec = client.get("/api/loudspeaker/v1/openapi.json").json()

    assert spec["info"]["title"] == "Commune loudspeaker feed"
    assert {
        "/api/loudspeaker/v1/stations/{code}/schedule.json",
        "/api/loudspeaker/v1/stations/{code}/audio/{item_id}.mp3",
        "/api/loudspeaker/v1/stations/{code}/scripts/{item_id}.txt",
        "/api/loudspeaker/v1/stations/{code}/plays",
    } <= set(spec["paths"])
    assert "ErrorBody" in spec["components"]["schemas"]


def test_monthly_figures_count_plays_and_deliveries_per_station(client, station, regions, organisation):
    from channels.loudspeaker.selectors import station_figures

    quiet = StationFactory(name="Đài chưa phát", region=regions["commune"], organisation=organisation)
    first, second = BulletinFactory(), BulletinFactory()
    post(
        client,
        station,
        {
            "plays": [
                {"item": first.feed_id, "played_at": at(50), "status": "played"},
                {"item": first.feed_id, "played_at": at(40), "status": "played"},
                {"item": second.feed_id, "played_at": at(30), "status": "failed"},
                {"item": second.feed_id, "played_at": at(20), "status": "played"},
                {"item": second.feed_id, "played_at": at(10), "status": "skipped"},
            ]
        },
    )
    now = timezone.now()

    figures = {f.code: f for f in station_figures(start=now - datetime.timedelta(days=30), end=now)}

    assert (figures[station.code].played, figures[station.code].skipped, figures[station.code].failed) == (
        3,
        1,
        1,
    )
    assert figures[station.code].delivered == 2
    assert (figures[quiet.code].played, figures[quiet.code].delivered) == (0, 0)
