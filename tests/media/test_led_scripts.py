"""Tai Viet script (Thái) on LED frames: every character has a glyph, mixed text falls back per character."""

import io
import unicodedata

import pytest
from PIL import Image, ImageFont

from media.led import FALLBACK_FONT_PATHS, FONT_PATH, font_path_for, get_font, has_glyph, render_frame

TAI_VIET_FONT = FALLBACK_FONT_PATHS[0]
# Every assigned character of the Tai Viet block (U+AA80–U+AAC2, U+AADB–U+AADF).
TAI_VIET = [chr(code) for code in range(0xAA80, 0xAAE0) if unicodedata.category(chr(code)) != "Cn"]
SAMPLE_TAI_VIET = "ꪼꪕꪒꪾ"  # "Tai Dam" in the Tai Viet script


def _unshaped(path, size=32):
    # Without shaping, so that a lone combining mark is drawn alone (no dotted circle added).
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _notdef(path):
    mask = _unshaped(path).getmask("\ue000")  # private use: drawn as the font's missing-glyph box
    return mask.size, bytes(mask)


def test_the_tai_viet_block_is_known_to_unicodedata():
    assert len(TAI_VIET) == 72


@pytest.mark.parametrize("char", TAI_VIET, ids=[f"U+{ord(c):04X}" for c in TAI_VIET])
def test_every_tai_viet_character_renders_a_real_glyph(char):
    mask = _unshaped(TAI_VIET_FONT).getmask(char)

    assert (mask.size, bytes(mask)) != _notdef(TAI_VIET_FONT)
    assert font_path_for(char) == TAI_VIET_FONT  # the main font lacks it: the fallback draws it


def test_main_font_lacks_tai_viet_so_the_fallback_is_needed():
    assert not has_glyph(FONT_PATH, SAMPLE_TAI_VIET[0])
    assert has_glyph(FONT_PATH, "Ữ")
    assert font_path_for("Ữ") == FONT_PATH


def test_mixed_text_is_drawn_run_by_run_without_missing_glyph_boxes():
    text = f"Tiêm vắc-xin {SAMPLE_TAI_VIET} Hmôngz"
    runs = get_font(24).runs(text)

    assert [run for _font, run in runs] == ["Tiêm vắc-xin ", SAMPLE_TAI_VIET, " Hmôngz"]
    for font, run in runs:
        for char in run.replace(" ", ""):
            mask = font.getmask(char)
            assert (mask.size, bytes(mask)) != (font.getmask("\ue000").size, bytes(font.getmask("\ue000")))


def test_a_tai_viet_frame_has_ink_and_differs_from_missing_glyph_boxes():
    frame = Image.open(io.BytesIO(render_frame(SAMPLE_TAI_VIET, width=192, height=96)))
    boxes = Image.open(io.BytesIO(render_frame("\ue000" * len(SAMPLE_TAI_VIET), width=192, height=96)))

    assert frame.size == (192, 96)
    assert frame.getbbox() is not None  # something was drawn
    assert frame.tobytes() != boxes.tobytes()


def test_mixed_width_is_the_sum_of_its_runs():
    font = get_font(20)
    text = f"Ab {SAMPLE_TAI_VIET}"
    expected = sum(run_font.getlength(run) for run_font, run in font.runs(text))

    assert font.getlength(text) == pytest.approx(expected)
    _left, top, right, _bottom = font.getbbox(text, anchor="ls")
    assert right >= font.getlength("Ab ") and top < 0 < right
