"""A drill on the LED screens: the text opens with "DIỄN TẬP: " for text-only controllers, and the
frame draws it as a white band across the top, above the fitted text."""

import io

from PIL import Image

from channels.exercise import EXERCISE_WORD, split_mark
from channels.led.adapter import LedFeedAdapter
from media import led as renderer
from tests.factories.led import PlaylistItemFactory
from tests.factories.sms import PublicationFactory

FRAME = "/api/led/v1/screens/{code}/frames/{id}.png"


def frame(client, screen, item) -> Image.Image:
    response = client.get(
        FRAME.format(code=screen.code, id=item.feed_id), HTTP_AUTHORIZATION=f"Bearer {screen.secret}"
    )
    assert response.status_code == 200
    return Image.open(io.BytesIO(response.content)).convert("RGB")


def band_share(image: Image.Image, *, rows: range) -> float:
    """How much of those rows is the band's white."""
    white = renderer.BAND_STYLE.background_rgb
    pixels = [image.getpixel((x, y)) for y in rows for x in range(image.width)]
    return sum(pixel == white for pixel in pixels) / len(pixels)


def test_a_drill_item_opens_with_the_mark(regions):
    adapter = LedFeedAdapter("led", {})
    drill = PublicationFactory(led_text="Phong tỏa phường Him Lam", is_exercise=True)

    payload = adapter.render(drill, None)

    assert payload["text"] == "DIỄN TẬP: Phong tỏa phường Him Lam"
    assert split_mark(payload["text"]) == (EXERCISE_WORD, "Phong tỏa phường Him Lam")
    assert adapter.render(PublicationFactory(led_text="Phong tỏa"), None)["text"] == "Phong tỏa"


def test_the_frame_of_a_drill_has_the_band_and_a_real_one_has_none(client, screen):
    drill = PlaylistItemFactory(text="DIỄN TẬP: Phong tỏa phường Him Lam")
    real = PlaylistItemFactory(text="Phong tỏa phường Him Lam")

    drill_frame, real_frame = frame(client, screen, drill), frame(client, screen, real)

    band = range(0, screen.height // 4)
    assert drill_frame.size == real_frame.size == (192, 96)
    assert band_share(drill_frame, rows=band) > 0.6  # white, with the dark red words on it
    words = renderer.BAND_STYLE.foreground_rgb
    assert any(drill_frame.getpixel((x, y)) == words for y in band for x in range(drill_frame.width))
    assert band_share(real_frame, rows=band) == 0
    assert band_share(drill_frame, rows=range(screen.height // 4, screen.height)) == 0


def test_a_frame_too_small_for_a_band_puts_the_words_first():
    png = renderer.render_frame("Phong tỏa", width=64, height=24, band=EXERCISE_WORD)
    image = Image.open(io.BytesIO(png)).convert("RGB")

    assert image.size == (64, 24)
    assert band_share(image, rows=range(0, 6)) == 0
    assert png == renderer.render_frame(f"{EXERCISE_WORD}: Phong tỏa", width=64, height=24)
