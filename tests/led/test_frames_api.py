"""Frames: exact-size PNGs of playlist items, same token rules, rendered once."""

import io

import pytest
from django.core.cache import cache
from PIL import Image

from media import led as renderer
from tests.factories.led import PlaylistItemFactory, ScreenFactory

FRAME = "/api/led/v1/screens/{code}/frames/{id}.png"


def fetch(client, screen, item_id, **headers):
    return client.get(
        FRAME.format(code=screen.code, id=item_id), HTTP_AUTHORIZATION=f"Bearer {screen.secret}", **headers
    )


def image(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content)).convert("RGB")


@pytest.mark.parametrize(("width", "height"), [(192, 96), (256, 128), (384, 192)])
def test_frame_has_exactly_the_screen_resolution(client, screen, width, height):
    screen.width, screen.height = width, height
    screen.save()
    item = PlaylistItemFactory(text="Tiêm vắc-xin đủ liều để bảo vệ bản thân và cộng đồng")

    response = fetch(client, screen, item.feed_id)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert image(response).size == (width, height)


def test_frame_url_from_the_playlist_works_with_the_query_string_token(client, screen):
    PlaylistItemFactory()
    playlist = client.get(f"/api/led/v1/screens/{screen.code}/playlist.json?token={screen.secret}").json()

    response = client.get(playlist["items"][0]["frame"] + f"?token={screen.secret}")

    assert response.status_code == 200 and image(response).size == (192, 96)


def test_urgent_items_use_the_urgent_style(client, screen):
    normal = PlaylistItemFactory(text="Rửa tay")
    urgent = PlaylistItemFactory(text="Khẩn cấp", priority="urgent")

    assert (
        image(fetch(client, screen, normal.feed_id)).getpixel((0, 0)) == renderer.NORMAL_STYLE.background_rgb
    )
    assert (
        image(fetch(client, screen, urgent.feed_id)).getpixel((0, 0)) == renderer.URGENT_STYLE.background_rgb
    )


def test_vietnamese_marks_are_drawn(client, screen):
    marked = PlaylistItemFactory(text="Ễ Ặ Ữ ỵ")
    plain = PlaylistItemFactory(text="E A U y")

    with_marks = image(fetch(client, screen, marked.feed_id))
    without = image(fetch(client, screen, plain.feed_id))

    assert with_marks.tobytes() != without.tobytes()


def test_frame_is_rendered_once_then_served_from_cache(client, screen, monkeypatch):
    item = PlaylistItemFactory()
    first = fetch(client, screen, item.feed_id)

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(renderer, "render_frame", no_rendering)
    cache.delete(f"led:state:{screen.pk}")  # even with the playlist rebuilt
    second = fetch(client, screen, item.feed_id)

    assert second.status_code == 200 and second.content == first.content


def test_changed_item_or_resolution_gets_a_new_frame(client, screen):
    item = PlaylistItemFactory(text="Bản cũ")
    old = fetch(client, screen, item.feed_id)
    item.text = "Bản mới đã được sửa"
    item.save()

    assert fetch(client, screen, old_id := f"{item.pk}-{'0' * 10}").status_code == 404, old_id
    new = fetch(client, screen, item.feed_id)
    assert new.status_code == 200 and new.content != old.content

    screen.width, screen.height = 384, 192
    screen.save()
    assert image(fetch(client, screen, item.feed_id)).size == (384, 192)


def test_frame_etag_and_304(client, screen):
    item = PlaylistItemFactory()
    first = fetch(client, screen, item.feed_id)

    again = fetch(client, screen, item.feed_id, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"] and "max-age" in first["Cache-Control"]
    assert again.status_code == 304


def test_frames_follow_the_token_rules(client, screen):
    item = PlaylistItemFactory()
    url = FRAME.format(code=screen.code, id=item.feed_id)

    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get(FRAME.format(code="khong-co", id=item.feed_id)).status_code == 401
    assert client.get(url + f"?token={screen.secret}").status_code == 200


def test_frames_of_other_regions_or_unknown_items_are_404(client, screen, regions):
    elsewhere = PlaylistItemFactory(regions=[regions["other"]])
    retracted = PlaylistItemFactory(retracted_at="2020-01-01T00:00:00+07:00")

    assert fetch(client, screen, elsewhere.feed_id).status_code == 404
    assert fetch(client, screen, retracted.feed_id).status_code == 404
    assert fetch(client, screen, "999999-abcdef0123").status_code == 404
    assert fetch(client, screen, "not-an-id").status_code == 404
    assert fetch(client, screen, "²-abcdef0123").status_code == 404
    assert fetch(client, screen, f"{elsewhere.pk}-{elsewhere.digest[:1]}").status_code == 404


def test_a_shortened_digest_does_not_open_a_frame(client, screen):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    expired = PlaylistItemFactory(
        valid_from=now - datetime.timedelta(hours=2), valid_until=now - datetime.timedelta(minutes=1)
    )

    assert fetch(client, screen, expired.feed_id).status_code == 200
    assert fetch(client, screen, f"{expired.pk}-{expired.digest[:2]}").status_code == 404


def test_recently_expired_item_still_has_its_frame(client, screen):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    expired = PlaylistItemFactory(
        valid_from=now - datetime.timedelta(hours=2), valid_until=now - datetime.timedelta(minutes=1)
    )
    other_screen = ScreenFactory(region=screen.region)

    assert fetch(client, screen, expired.feed_id).status_code == 200
    assert other_screen.pk != screen.pk
