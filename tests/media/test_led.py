"""Tests for the LED frame renderer: exact size, diacritics, fitting, contrast."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from media.led import (
    ELLIPSIS,
    NORMAL_STYLE,
    URGENT_STYLE,
    FittedText,
    FrameStyle,
    fit_text,
    get_font,
    render_frame,
)

BOARD_SIZES = [(192, 96), (256, 128), (384, 192)]
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc huyền hỏi ngã nặng
SAMPLE = "Cảnh báo: mưa lớn kéo dài ở huyện Hướng Hóa, người dân hạn chế ra đường."
LONG_TEXT = (
    "Ủy ban nhân dân tỉnh thông báo: do ảnh hưởng của bão số 5, "
    "từ đêm nay đến hết ngày mai các huyện ven biển có mưa rất to, gió giật mạnh. "
    "Đề nghị người dân không ra khơi, chằng chống nhà cửa, chuẩn bị lương thực, "
    "nước uống và theo dõi chặt chẽ thông tin trên đài phát thanh. "
) * 3
LONG_TEXT = LONG_TEXT[:400]


def _open(png: bytes) -> Image.Image:
    """Decode PNG bytes into a loaded PIL image."""
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Count non-background pixels in ``box`` (palette index 0 is background)."""
    histogram = image.crop(box).histogram()
    return sum(histogram) - histogram[0]


def _strip_marks(text: str) -> str:
    """Remove every combining mark (tones, breve, circumflex, horn)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _within(fitted: FittedText, width: int, height: int, padding: int) -> bool:
    """Return True if every line's box sits inside the frame minus padding."""
    return all(
        left >= padding and top >= padding and right <= width - padding and bottom <= height - padding
        for left, top, right, bottom in fitted.boxes
    )


@pytest.mark.parametrize(("width", "height"), BOARD_SIZES)
@pytest.mark.parametrize("urgent", [False, True])
def test_png_has_exact_board_size(width: int, height: int, urgent: bool) -> None:
    image = _open(render_frame(SAMPLE, width=width, height=height, urgent=urgent))
    assert image.format == "PNG"
    assert image.size == (width, height)
    assert image.mode in {"RGB", "P"}


def test_font_covers_every_vietnamese_letter() -> None:
    font = get_font(32)
    notdef = font.getmask("\ue000")  # private-use code point: renders .notdef
    letters = {
        unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS + VOWELS.upper() for tone in TONES
    } | {"đ", "Đ"}
    missing = [
        letter
        for letter in letters
        if font.getmask(letter).size == notdef.size and bytes(font.getmask(letter)) == bytes(notdef)
    ]
    assert len(letters) == 146
    assert missing == []


def test_all_tone_marks_are_drawn_above_caps_and_below_baseline() -> None:
    marked = " ".join(
        unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS + VOWELS.upper() for tone in TONES
    )
    stripped = _strip_marks(marked)
    size, width, height = 20, 4096, 96
    font = get_font(size)
    cap_top = font.getbbox("H", anchor="ls")[1]

    bands = {}
    for name, text in (("marked", marked), ("stripped", stripped)):
        fitted = fit_text(text, width=width, height=height, font_size=size)
        assert len(fitted.lines) == 1 and not fitted.truncated
        baseline = fitted.origins[0][1]
        image = _open(render_frame(text, width=width, height=height, font_size=size))
        above = (0, 0, width, baseline + cap_top - 1)
        below = (0, baseline + 1, width, height)
        bands[name] = {
            "above": (_ink(image, above), image.crop(above).tobytes()),
            "below": (_ink(image, below), image.crop(below).tobytes()),
        }

    for band in ("above", "below"):
        marked_ink, marked_pixels = bands["marked"][band]
        stripped_ink, stripped_pixels = bands["stripped"][band]
        assert marked_pixels != stripped_pixels
        assert marked_ink > 2 * stripped_ink, band


@pytest.mark.parametrize(("letter", "base"), [("ệ", "e"), ("ộ", "o"), ("Ặ", "A"), ("Ộ", "O"), ("ậ", "a")])
def test_stacked_marks_drawn_above_and_below_a_single_glyph(letter: str, base: str) -> None:
    size, width, height = 48, 128, 128
    _, base_top, _, base_bottom = get_font(size).getbbox(base, anchor="ls")
    counts = {}
    for glyph in (letter, base):
        fitted = fit_text(glyph, width=width, height=height, font_size=size)
        baseline = fitted.origins[0][1]
        image = _open(render_frame(glyph, width=width, height=height, font_size=size))
        counts[glyph] = (
            _ink(image, (0, 0, width, baseline + base_top - 1)),
            _ink(image, (0, baseline + base_bottom + 1, width, height)),
        )
    assert counts[base] == (0, 0)
    above, below = counts[letter]
    assert above > 0 and below > 0


def test_marks_are_not_clipped_at_the_frame_edge() -> None:
    fitted = fit_text("ỄẶỮỖ ỹỵ", width=192, height=96)
    assert _within(fitted, 192, 96, NORMAL_STYLE.padding)
    image = _open(render_frame("ỄẶỮỖ ỹỵ", width=192, height=96))
    assert _ink(image, (0, 0, 192, 1)) == 0  # top row untouched
    assert _ink(image, (0, 95, 192, 96)) == 0  # bottom row untouched


@pytest.mark.parametrize(("width", "height"), [*BOARD_SIZES, (64, 32), (16, 16)])
def test_long_text_fits_without_overflow(width: int, height: int) -> None:
    assert len(LONG_TEXT) == 400
    fitted = fit_text(LONG_TEXT, width=width, height=height)
    padding = NORMAL_STYLE.padding if min(width, height) >= 64 else 0
    assert _within(fitted, width, height, padding)
    if fitted.truncated:
        assert fitted.lines[-1].endswith(ELLIPSIS)

    image = _open(render_frame(LONG_TEXT, width=width, height=height))
    assert image.size == (width, height)
    if padding:
        inner_ink = _ink(image, (padding, padding, width - padding, height - padding))
        assert _ink(image, (0, 0, width, height)) == inner_ink


def test_short_text_is_set_large_and_centred() -> None:
    fitted = fit_text("Xin chào", width=384, height=192)
    assert fitted.font_size >= 60
    left, top, right, bottom = fitted.content_box
    assert abs(left - (384 - right)) <= 2
    assert abs(top - (192 - bottom)) <= fitted.font_size // 2


def test_over_long_word_is_broken_by_characters() -> None:
    word = "Thànhphốđángsốngnhấtvùngduyênhảimiềntrung"
    fitted = fit_text(word, width=96, height=96)
    assert len(fitted.lines) > 1
    assert "".join(fitted.lines) == word
    assert _within(fitted, 96, 96, NORMAL_STYLE.padding)


def test_text_is_nfc_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", SAMPLE)
    assert decomposed != SAMPLE
    assert fit_text(decomposed, width=256, height=128).lines == (
        fit_text(SAMPLE, width=256, height=128).lines
    )


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyỆỮỞẶảấầẩẫậ .,\n", max_size=300),
    width=st.integers(16, 400),
    height=st.integers(16, 200),
)
def test_fitted_lines_never_leave_the_frame(text: str, width: int, height: int) -> None:
    fitted = fit_text(text, width=width, height=height)
    assert _within(fitted, width, height, 0)


@pytest.mark.parametrize("style", [NORMAL_STYLE, URGENT_STYLE])
def test_style_contrast_is_at_least_wcag_aaa(style: FrameStyle) -> None:
    assert style.contrast_ratio() >= 7


@pytest.mark.parametrize("urgent", [False, True])
def test_frame_is_predominantly_background_and_foreground(urgent: bool) -> None:
    style = URGENT_STYLE if urgent else NORMAL_STYLE
    image = _open(render_frame(SAMPLE, width=256, height=128, urgent=urgent))
    raw = image.convert("RGB").tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]

    def near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
        return sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) <= 60

    background = sum(near(p, style.background_rgb) for p in pixels)
    foreground = sum(near(p, style.foreground_rgb) for p in pixels)
    assert (background + foreground) / len(pixels) >= 0.9
    assert foreground > 0.05 * len(pixels)
    assert image.convert("RGB").getpixel((0, 0)) == style.background_rgb


@pytest.mark.parametrize(
    ("width", "height"),
    [(15, 96), (192, 15), (4097, 96), (192, 5000), (0, 0), (-192, 96), (192.0, 96)],
)
def test_invalid_size_raises(width: int, height: int) -> None:
    with pytest.raises(ValueError, match="between 16 and 4096"):
        render_frame(SAMPLE, width=width, height=height)
