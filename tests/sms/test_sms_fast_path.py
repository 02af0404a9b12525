"""The feed's early middleware and the per-process identity memo answer exactly as the API."""

from django.db.models import F
from wagtail.models import ModelLogEntry

from channels.sms import keys
from channels.sms.keys import ACTION_AUTH_FAILED
from channels.sms.models import PartnerKey
from tests.factories.sms import append

URL = "/api/sms/v1/messages"


def test_remembered_key_revoked_in_another_process_is_401_on_the_next_request(client, partner_a, auth_a):
    assert client.get(URL, **auth_a).status_code == 200
    assert keys._memo  # this process now remembers the identity
    # Another web process revokes it: the row changes and the shared generation moves on.
    PartnerKey.objects.filter(partner=partner_a).update(revoked_at=F("created_at"))
    keys._bump_auth_generation()
    keys.cache.delete_many([keys._auth_cache_key(k.key_hash) for k in PartnerKey.objects.all()])

    response = client.get(URL, **auth_a)

    assert response.status_code == 401
    assert ModelLogEntry.objects.get(action=ACTION_AUTH_FAILED).data["reason"] == "revoked"


def test_bad_query_with_bad_key_is_one_401_audited_once(client, regions):
    response = client.get(URL, {"limit": "9999"}, HTTP_AUTHORIZATION="Bearer sms_nope_123")

    assert response.status_code == 401
    assert ModelLogEntry.objects.filter(action=ACTION_AUTH_FAILED).count() == 1


def test_fast_and_api_paths_serve_the_same_page(client, regions, auth_a):
    for _ in range(3):
        append(regions=[regions["city"]])

    fast = client.get(URL, {"limit": "2"}, **auth_a)
    through_api = client.get(URL, {"limit": "02"}, **auth_a)  # not canonical: the API parses it

    assert fast.status_code == through_api.status_code == 200
    assert fast.content == through_api.content and fast["ETag"] == through_api["ETag"]
    assert len(fast.json()["messages"]) == 2
    assert "X-Frame-Options" not in fast  # answered before the rest of the stack
    assert "X-Frame-Options" in through_api
