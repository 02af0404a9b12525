"""The station feed's doors: failed authentications locked out per address, codes kept private,
proof-of-play floods refused per station."""

import json

from wagtail.models import ModelLogEntry

from channels.loudspeaker.models import Play
from channels.loudspeaker.views import ACTION_AUTH_FAILED
from tests.factories.loudspeaker import StationFactory

SCHEDULE = "/api/loudspeaker/v1/stations/{code}/schedule.json"
PLAYS = "/api/loudspeaker/v1/stations/{code}/plays"
ATTACKER = "203.0.113.9"


def test_a_replay_of_1000_failed_authentications_turns_to_429_with_a_bounded_audit(client, settings, station):
    settings.API_AUTH_FAILURE_LIMIT = 20
    statuses = []

    for n in range(1000):
        code = station.code if n % 2 else f"tram-khong-co-{n}"
        response = client.get(
            SCHEDULE.format(code=code), HTTP_AUTHORIZATION=f"Bearer sai{n}", REMOTE_ADDR=ATTACKER
        )
        statuses.append(response.status_code)

    assert statuses[:19] == [401] * 19
    assert set(statuses[19:]) == {429}
    assert response.json()["error"]["code"] == "rate_limited"
    assert response["Content-Type"].startswith("application/json")
    assert int(response["Retry-After"]) > 0
    rows = ModelLogEntry.objects.filter(action=ACTION_AUTH_FAILED)
    assert rows.count() <= 4  # the known station and unknown codes, per window
    assert sum(row.data["failures"] for row in rows) >= 19
    assert max(row.data["refused"] for row in rows) >= 512
    # A locked-out address is refused with the right token too; other addresses are served.
    right = {"HTTP_AUTHORIZATION": f"Bearer {station.secret}"}
    assert client.get(SCHEDULE.format(code=station.code), REMOTE_ADDR=ATTACKER, **right).status_code == 429
    assert (
        client.get(SCHEDULE.format(code=station.code), REMOTE_ADDR="198.51.100.7", **right).status_code == 200
    )


def test_failed_posts_count_against_the_address_too(client, settings, station):
    settings.API_AUTH_FAILURE_LIMIT = 3
    body = json.dumps({"plays": []})
    statuses = [
        client.post(
            PLAYS.format(code=station.code),
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer sai",
            REMOTE_ADDR=ATTACKER,
        ).status_code
        for _ in range(5)
    ]

    assert statuses == [401, 401, 429, 429, 429]


def test_an_unknown_code_answers_exactly_like_a_wrong_token(client, station):
    inactive = StationFactory(code="tram-tat", active=False)
    inactive.issue_token()

    answers = []
    for code in (station.code, "tram-khong-co", inactive.code):
        for url in (SCHEDULE, PLAYS):
            response = (
                client.get(url.format(code=code), HTTP_AUTHORIZATION="Bearer sai")
                if url == SCHEDULE
                else client.post(
                    url.format(code=code),
                    data=json.dumps({"plays": []}),
                    content_type="application/json",
                    HTTP_AUTHORIZATION="Bearer sai",
                )
            )
            answers.append((url, response.status_code, response.content, response["WWW-Authenticate"]))

    assert {status for _url, status, _body, _www in answers} == {401}
    for url in (SCHEDULE, PLAYS):
        assert len({(body, www) for u, _s, body, www in answers if u == url}) == 1
    assert json.loads(answers[0][2])["error"]["code"] == "unauthorized"
    reasons = {row.data["reason"] for row in ModelLogEntry.objects.filter(action=ACTION_AUTH_FAILED)}
    assert reasons == {"wrong token", "unknown station"}
    assert "sai" not in str([row.data for row in ModelLogEntry.objects.filter(action=ACTION_AUTH_FAILED)])


def test_a_proof_of_play_flood_from_one_station_turns_to_429(client, settings, station):
    settings.DEVICE_WRITE_RATE_LIMIT = 10
    other = StationFactory(code="tram-ben-canh")
    _token, other_secret = other.issue_token()

    def post(code, secret, body=None):
        return client.post(
            PLAYS.format(code=code),
            data=body if body is not None else json.dumps({"plays": []}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )

    statuses = [post(station.code, station.secret).status_code for _ in range(10)]
    statuses += [post(station.code, station.secret, body="{nope").status_code for _ in range(5)]

    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429] * 5  # counted before the body is read
    response = post(station.code, station.secret)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 60
    assert Play.objects.count() == 0
    # Another station is not held back, and the flooding one may still read its schedule.
    assert post(other.code, other_secret).status_code == 200
    schedule = client.get(SCHEDULE.format(code=station.code), HTTP_AUTHORIZATION=f"Bearer {station.secret}")
    assert schedule.status_code == 200
