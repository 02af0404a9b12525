"""Failed authentications on the SMS feed: counted per client address, audited in sum, then 429."""

from wagtail.models import ModelLogEntry

from channels.sms.keys import ACTION_AUTH_FAILED, THROTTLE

URL = "/api/sms/v1/messages"
ATTACKER = "203.0.113.7"


def test_a_flood_of_1000_wrong_keys_writes_a_bounded_audit_and_turns_to_429(client, settings, regions):
    settings.API_AUTH_FAILURE_LIMIT = 20
    statuses = []

    for n in range(1000):
        response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer sms_{n:08x}_guess", REMOTE_ADDR=ATTACKER)
        statuses.append(response.status_code)

    assert statuses[:19] == [401] * 19
    assert set(statuses[19:]) == {429}
    assert response["Retry-After"].isdigit() and int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "rate_limited"
    rows = ModelLogEntry.objects.filter(action=ACTION_AUTH_FAILED)
    assert rows.count() <= 2  # one per address and window (two if the flood straddles a window)
    entry = rows.first()
    assert entry.data["ip"] == ATTACKER
    assert entry.data["failures"] >= 20
    assert entry.data["refused"] >= 512  # counted at powers of two


def test_a_locked_out_address_is_refused_even_with_a_valid_key_and_others_are_not(
    client, settings, auth_a, key_a
):
    settings.API_AUTH_FAILURE_LIMIT = 3
    for _n in range(3):
        client.get(URL, HTTP_AUTHORIZATION="Bearer sms_deadbeef_x", REMOTE_ADDR=ATTACKER)

    assert client.get(URL, REMOTE_ADDR=ATTACKER, **auth_a).status_code == 429
    assert client.get(URL, REMOTE_ADDR="198.51.100.9", **auth_a).status_code == 200

    THROTTLE.clear(ATTACKER)
    assert client.get(URL, REMOTE_ADDR=ATTACKER, **auth_a).status_code == 200
