"""The feed endpoint, clause by clause of contracts/sms-partner-feed.md."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from channels.sms.keys import ACTION_AUTH_FAILED, key_revoke
from channels.sms.models import PartnerKey
from tests.factories.sms import append, partner_key

URL = "/api/sms/v1/messages"


def get_all(client, auth, **params):
    """Follows next_cursor until has_more is false; returns the entries and the pages."""
    entries, pages, after = [], 0, None
    while True:
        query = dict(params, **({"after": after} if after else {}))
        body = client.get(URL, query, **auth).json()
        entries += body["messages"]
        pages += 1
        after = body["next_cursor"]
        if not body["has_more"]:
            return entries, pages


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer sms_nope_123", "Basic dXNlcjpwYXNz", "Token abc", "Bearer sms_\x00" + "x" * 50],
)
def test_missing_or_unknown_key_is_401_with_json_body_and_audited(client, regions, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}

    response = client.get(URL, **extra)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "unauthorized"
    assert ModelLogEntry.objects.filter(action=ACTION_AUTH_FAILED).count() == 1


def test_revoked_key_is_401_at_once(client, partner_a, key_a, auth_a):
    assert client.get(URL, **auth_a).status_code == 200  # identity now cached

    key_revoke(key=PartnerKey.objects.get(partner=partner_a))
    response = client.get(URL, **auth_a)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    entry = ModelLogEntry.objects.get(action=ACTION_AUTH_FAILED)
    assert entry.data["reason"] == "revoked"
    assert key_a not in str(entry.data)


def test_expired_key_is_401(client, partner_a):
    key = partner_key(partner_a, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 401
    assert ModelLogEntry.objects.get(action=ACTION_AUTH_FAILED).data["reason"] == "expired"


def test_inactive_partner_is_401(client, partner_a, auth_a):
    partner_a.active = False
    partner_a.save()

    assert client.get(URL, **auth_a).status_code == 401


def test_several_keys_work_for_rotation(client, partner_a, key_a):
    second = partner_key(partner_a)
    append(regions=[partner_a.coverage.get()])

    first_body = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key_a}").json()
    second_body = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {second}").json()

    assert first_body == second_body
    assert len(first_body["messages"]) == 1


def test_partner_sees_messages_whose_regions_intersect_its_coverage(client, regions, auth_a, auth_b):
    province = append(regions=[regions["province"]])  # contains both districts
    commune = append(regions=[regions["commune"]])  # within A's district
    town = append(regions=[regions["town"]])  # B's district only
    everywhere = append(regions=[])

    seen_a = [entry["id"] for entry in client.get(URL, **auth_a).json()["messages"]]
    seen_b = [entry["id"] for entry in client.get(URL, **auth_b).json()["messages"]]

    assert seen_a == [province.public_id, commune.public_id, everywhere.public_id]
    assert seen_b == [province.public_id, town.public_id, everywhere.public_id]


def test_message_fields_follow_the_contract(client, regions, auth_a):
    entry = append(regions=[regions["commune"], regions["city"]], text="Tiêm vắc-xin đủ liều.")

    body = client.get(URL, **auth_a).json()

    assert body["has_more"] is False
    assert isinstance(body["next_cursor"], str)
    (message,) = body["messages"]
    assert message["id"] == entry.public_id
    assert message["type"] == "message"
    assert set(message) == {
        "id",
        "type",
        "text",
        "text_ascii",
        "encoding",
        "segments",
        "encoding_ascii",
        "segments_ascii",
        "priority",
        "regions",
        "valid_from",
        "valid_until",
        "url",
        "language",  # added to v1, backwards compatible
    }
    assert message["language"] == "vi"
    assert message["regions"] == ["094", "03127"] or sorted(message["regions"]) == ["03127", "094"]
    assert "region_paths" not in message


def test_expired_messages_leave_the_feed(client, regions, auth_a):
    append(regions=[regions["city"]], valid_until=timezone.now() - datetime.timedelta(seconds=1))
    valid = append(regions=[regions["city"]])

    ids = [entry["id"] for entry in client.get(URL, **auth_a).json()["messages"]]

    assert ids == [valid.public_id]


def test_paging_yields_every_entry_once_in_publication_order(client, regions, auth_a):
    published = [append(regions=[regions["city"]]).public_id for _ in range(7)]

    entries, pages = get_all(client, auth_a, limit=3)

    assert [entry["id"] for entry in entries] == published
    assert pages == 3


def test_cursor_at_the_end_picks_up_new_entries(client, regions, auth_a):
    append(regions=[regions["city"]])
    first = client.get(URL, **auth_a).json()
    empty = client.get(URL, {"after": first["next_cursor"]}, **auth_a).json()
    later = append(regions=[regions["city"]])

    resumed = client.get(URL, {"after": empty["next_cursor"]}, **auth_a).json()

    assert empty["messages"] == [] and empty["has_more"] is False
    assert [entry["id"] for entry in resumed["messages"]] == [later.public_id]


@pytest.mark.parametrize("limit", ["0", "501", "-1", "abc", "1.5", ""])
def test_bad_limit_is_400_naming_the_parameter(client, regions, auth_a, limit):
    response = client.get(URL, {"limit": limit}, **auth_a)

    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "limit"


@pytest.mark.parametrize("limit", ["1", "500"])
def test_limit_bounds_are_accepted(client, regions, auth_a, limit):
    assert client.get(URL, {"limit": limit}, **auth_a).status_code == 200


@pytest.mark.parametrize("after", ["garbage", "c21zMTpub3Q", "!!!", "x" * 201])
def test_bad_after_is_400_naming_the_parameter(client, regions, auth_a, after):
    response = client.get(URL, {"after": after}, **auth_a)

    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "after"


def test_etag_on_200_and_304_when_unchanged(client, regions, auth_a):
    append(regions=[regions["city"]])
    first = client.get(URL, **auth_a)

    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"], **auth_a)
    append(regions=[regions["city"]])
    changed = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"], **auth_a)

    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_etag_differs_between_partners_with_the_same_page(client, regions, auth_a, auth_b):
    append(regions=[regions["province"]])

    assert client.get(URL, **auth_a)["ETag"] != client.get(URL, **auth_b)["ETag"]


def test_too_many_requests_is_429_with_retry_after(client, regions, auth_a, auth_b, settings):
    settings.SMS_RATE_LIMIT = 3
    statuses = [client.get(URL, **auth_a).status_code for _ in range(4)]

    limited = client.get(URL, **auth_a)

    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["error"]["code"] == "rate_limited"
    assert client.get(URL, **auth_b).status_code == 200  # the budget is per key


def test_pull_is_recorded_as_last_use(client, partner_a, auth_a):
    client.get(URL, **auth_a)

    assert PartnerKey.objects.get(partner=partner_a).last_used_at is not None
