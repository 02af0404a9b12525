"""The LED adapter: publishing adds playlist items; update changes them; retract removes them."""

import datetime

import pytest
from django.utils import timezone

from channels.base import PermanentError
from channels.led.adapter import LedFeedAdapter
from channels.led.models import PlaylistItem
from publishing.models import Publication
from tests.factories.organisations import default_organisation

URL = "/api/led/v1/screens/{code}/playlist.json"


@pytest.fixture
def adapter():
    return LedFeedAdapter("led", {})


def make_publication(*, regions=(), priority="normal", led_text="Tiêm mũi nhắc lại tại trạm y tế", **fields):
    now = timezone.now()
    publication = Publication.objects.create(
        kind="vaccination",
        title=fields.pop("title", "Tiêm vắc-xin mũi nhắc lại"),
        url="http://testserver/tin-tuc/tiem/",
        led_text=led_text,
        phase="new_normal",
        priority=priority,
        valid_from=fields.pop("valid_from", now - datetime.timedelta(minutes=1)),
        valid_until=fields.pop("valid_until", now + datetime.timedelta(days=3)),
        published_at=now,
        organisation=fields.pop("organisation", None) or default_organisation(),
        **fields,
    )
    publication.regions.set(regions)
    return publication


def items(client, screen):
    response = client.get(URL.format(code=screen.code), HTTP_AUTHORIZATION=f"Bearer {screen.secret}")
    return response.json()["items"]


def test_adapter_shape(adapter, db):
    assert adapter.push is False and adapter.supports_update and adapter.supports_retract
    [target] = adapter.targets(make_publication())
    assert target.key == "feed"


def test_render_is_the_frozen_payload(adapter, regions, db):
    publication = make_publication(
        regions=[regions["city"]], priority="urgent", led_text="Cho\u0302\u0301ng di\u0323ch"
    )

    payload = adapter.render(publication, adapter.targets(publication)[0])

    assert payload["text"] == "Chống dịch"  # NFC
    assert payload["priority"] == "urgent" and payload["duration_s"] == 15
    assert payload["regions"] == ["094"] and payload["region_paths"] == ["/11/094/"]
    assert payload["valid_from"] == publication.valid_from.isoformat()


def test_render_falls_back_to_the_title_and_rejects_empty_text(adapter, db):
    assert adapter.render(make_publication(led_text=""), None)["text"] == "Tiêm vắc-xin mũi nhắc lại"
    with pytest.raises(PermanentError):
        adapter.render(make_publication(led_text="", title=" "), None)


def test_send_puts_the_item_on_the_screens_of_its_regions(adapter, client, screen, regions):
    publication = make_publication(regions=[regions["city"]])
    payload = adapter.render(publication, None)

    receipt = adapter.send(payload, target="feed", marker="delivery-1")

    item = PlaylistItem.objects.get(pk=int(receipt.external_id))
    assert item.publication == publication and item.text == payload["text"]
    assert [row["id"] for row in items(client, screen)] == [receipt.detail["id"]] == [item.feed_id]


def test_send_is_idempotent_per_marker(adapter, regions, db):
    payload = adapter.render(make_publication(), None)

    first = adapter.send(payload, target="feed", marker="delivery-7")
    again = adapter.send(payload, target="feed", marker="delivery-7")

    assert first.external_id == again.external_id
    assert PlaylistItem.objects.count() == 1


def test_publication_without_regions_goes_to_every_screen(adapter, client, screen, regions):
    adapter.send(adapter.render(make_publication(), None), target="feed", marker="m")

    assert len(items(client, screen)) == 1


def test_unknown_region_is_a_permanent_error(adapter, db):
    payload = {**adapter.render(make_publication(), None), "regions": ["99999"]}

    with pytest.raises(PermanentError):
        adapter.send(payload, target="feed", marker="m")
    assert not PlaylistItem.objects.exists()


def test_update_replaces_the_text_and_changes_the_id(adapter, client, screen, regions):
    receipt = adapter.send(adapter.render(make_publication(), None), target="feed", marker="m1")
    before = items(client, screen)
    newer = adapter.render(make_publication(led_text="Lịch tiêm đã đổi sang thứ Bảy"), None)

    updated = adapter.update(newer, target="feed", external_id=receipt.external_id, marker="m2")

    after = items(client, screen)
    assert updated.external_id == receipt.external_id
    assert [row["text"] for row in after] == ["Lịch tiêm đã đổi sang thứ Bảy"]
    assert after[0]["id"] != before[0]["id"] and after[0]["id"] == updated.detail["id"]


def test_retract_removes_the_item_from_playlists(adapter, client, screen, regions):
    receipt = adapter.send(adapter.render(make_publication(), None), target="feed", marker="m1")
    assert len(items(client, screen)) == 1

    adapter.retract(target="feed", external_id=receipt.external_id, reason="unpublished")
    adapter.retract(target="feed", external_id=receipt.external_id)  # twice is fine

    assert items(client, screen) == []


def test_update_of_a_missing_item_is_permanent(adapter, db):
    payload = adapter.render(make_publication(), None)

    with pytest.raises(PermanentError):
        adapter.update(payload, target="feed", external_id="424242", marker="m")
