"""The acks endpoint: validation all or nothing, idempotence, a partner's own messages only."""

import json

import pytest

from channels.sms.models import SmsAck
from tests.factories.sms import append

URL = "/api/sms/v1/acks"


def post(client, auth, body, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data, content_type=content_type, **auth)


def ack(entry_id, **fields):
    return {
        "id": entry_id,
        "status": "sent",
        "recipients": 15230,
        "at": "2026-11-22T07:05:00+07:00",
        "reason": "",
    } | fields


def test_ack_is_stored_and_counted(client, regions, partner_a, auth_a):
    message = append(regions=[regions["city"]])

    response = post(client, auth_a, {"acks": [ack(message.public_id)]})

    assert response.status_code == 200
    assert response.json() == {"accepted": 1, "unknown": []}
    stored = SmsAck.objects.get()
    assert (stored.partner, stored.entry, stored.status, stored.recipients) == (
        partner_a,
        message,
        "sent",
        15230,
    )


def test_the_same_ack_twice_is_counted_once(client, regions, auth_a):
    message = append(regions=[regions["city"]])

    post(client, auth_a, {"acks": [ack(message.public_id)]})
    response = post(client, auth_a, {"acks": [ack(message.public_id), ack(message.public_id)]})

    assert response.json() == {"accepted": 1, "unknown": []}
    assert SmsAck.objects.count() == 1


def test_a_later_ack_replaces_the_earlier(client, regions, auth_a):
    message = append(regions=[regions["city"]])
    post(
        client, auth_a, {"acks": [ack(message.public_id, status="failed", recipients=0, reason="SMSC down")]}
    )

    post(
        client,
        auth_a,
        {"acks": [ack(message.public_id, status="sent", recipients=900, at="2026-11-22T08:00:00+07:00")]},
    )

    stored = SmsAck.objects.get()
    assert (stored.status, stored.recipients, stored.reason) == ("sent", 900, "")
    assert stored.at.isoformat() == "2026-11-22T01:00:00+00:00"


def test_partner_cannot_ack_another_partners_message(client, regions, auth_a, auth_b):
    only_b = append(regions=[regions["town"]])

    odd = ["999999", "not-an-id", "\u00b2", "1\x00"]
    response = post(client, auth_a, {"acks": [ack(only_b.public_id), *(ack(value) for value in odd)]})

    assert response.status_code == 200
    assert response.json() == {"accepted": 0, "unknown": [only_b.public_id, *odd]}
    assert not SmsAck.objects.exists()


def test_nul_characters_are_dropped_from_reasons(client, regions, auth_a):
    message = append(regions=[regions["city"]])

    post(client, auth_a, {"acks": [ack(message.public_id, status="failed", reason="SMSC\x00 down")]})

    assert SmsAck.objects.get().reason == "SMSC down"


def test_retractions_are_not_ackable(client, regions, auth_a):
    from channels.sms.feed import append_retraction

    retraction = append_retraction(message=append(regions=[regions["city"]]), reason="sai")

    assert post(client, auth_a, {"acks": [ack(retraction.public_id)]}).json()["unknown"] == [
        retraction.public_id
    ]


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ("{not json", None),
        ('["acks"]', None),
        ({}, "acks"),
        ({"acks": "x"}, "acks"),
        ({"acks": [{"id": "1"}]}, "acks[0].status"),
        ({"acks": [ack("1", status="delivered")]}, "acks[0].status"),
        ({"acks": [ack("1", recipients=-1)]}, "acks[0].recipients"),
        ({"acks": [ack("1", recipients="12")]}, "acks[0].recipients"),
        ({"acks": [ack("1", recipients=1.5)]}, "acks[0].recipients"),
        ({"acks": [ack("1", at="yesterday")]}, "acks[0].at"),
        ({"acks": [ack("1", at=1700000000)]}, "acks[0].at"),
        ({"acks": [ack("1", at="9999-12-31T23:59:59-23:59")]}, "acks[0].at"),
        ({"acks": [ack("1", at="0001-01-01T00:00:00+14:00")]}, "acks[0].at"),
        ({"acks": [ack("1", at="0001-01-01T00:00:00")]}, "acks[0].at"),
        ({"acks": [ack("1", at="20260-01-01T00:00:00Z")]}, "acks[0].at"),
        ({"acks": [ack(1)]}, "acks[0].id"),
        ({"acks": [ack("1")] * 501}, "acks"),
    ],
)
def test_bad_bodies_are_400_and_nothing_is_stored(client, regions, auth_a, body, parameter):
    message = append(regions=[regions["city"]])
    if isinstance(body, dict) and body.get("acks") and isinstance(body["acks"], list):
        body = {"acks": [ack(message.public_id)] + body["acks"]}  # a good ack first: still nothing stored
        parameter = parameter.replace("acks[0]", "acks[1]") if parameter else parameter

    response = post(client, auth_a, body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_body" and error["message"]
    if parameter:
        assert error["parameter"] == parameter
    assert not SmsAck.objects.exists()


def test_an_offset_beyond_postgresqls_range_is_stored_in_utc(client, regions, auth_a):
    message = append(regions=[regions["city"]])

    response = post(client, auth_a, {"acks": [ack(message.public_id, at="2026-11-22T07:05:00-23:59")]})

    assert response.status_code == 200
    assert SmsAck.objects.get().at.isoformat() == "2026-11-23T07:04:00+00:00"


def test_500_acks_are_accepted(client, regions, auth_a):
    message = append(regions=[regions["city"]])

    response = post(client, auth_a, {"acks": [ack(message.public_id)] * 500})

    assert response.status_code == 200


def test_acks_need_a_key(client, regions):
    response = post(client, {}, {"acks": []})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
