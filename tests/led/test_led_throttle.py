"""Failed authentications on the LED feed: per client address, audited in sum, 429 with Retry-After."""

from wagtail.models import ModelLogEntry

from channels.led.views import ACTION_AUTH_FAILED

URL = "/api/led/v1/screens/{code}/playlist.json"
ATTACKER = "203.0.113.8"


def test_a_flood_of_wrong_tokens_and_unknown_codes_turns_to_429_with_a_bounded_audit(
    client, settings, screen
):
    settings.API_AUTH_FAILURE_LIMIT = 20
    statuses = []

    for n in range(300):
        code = screen.code if n % 2 else f"man-hinh-{n}"
        response = client.get(
            URL.format(code=code), HTTP_AUTHORIZATION=f"Bearer wrong{n}", REMOTE_ADDR=ATTACKER
        )
        statuses.append(response.status_code)

    assert statuses[:19] == [401] * 19
    assert set(statuses[19:]) == {429}
    assert response.json()["error"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    # One row for the known screen and one for unknown codes (per window).
    assert ModelLogEntry.objects.filter(action=ACTION_AUTH_FAILED).count() <= 4
    # A locked-out address is refused with the right token too; other addresses are served.
    right = {"HTTP_AUTHORIZATION": f"Bearer {screen.secret}"}
    assert client.get(URL.format(code=screen.code), REMOTE_ADDR=ATTACKER, **right).status_code == 429
    assert client.get(URL.format(code=screen.code), REMOTE_ADDR="198.51.100.2", **right).status_code == 200


def test_unknown_codes_and_wrong_tokens_are_audited_without_the_token(client, screen):
    client.get(URL.format(code="khong-co"), HTTP_AUTHORIZATION="Bearer bi-mat-sai")
    client.get(URL.format(code=screen.code), HTTP_AUTHORIZATION="Bearer bi-mat-sai")

    rows = {row.data["reason"]: row for row in ModelLogEntry.objects.filter(action=ACTION_AUTH_FAILED)}
    assert set(rows) == {"unknown screen", "wrong token"}
    assert rows["wrong token"].object_id == str(screen.pk)
    assert "bi-mat-sai" not in str([row.data for row in rows.values()])
