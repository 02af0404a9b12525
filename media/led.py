"""LED board frame renderer: fits short Vietnamese text into an exact-size PNG.

Pure Pillow, no Django, so it can run in workers, previews and benchmarks alike. Text in the
Tai Viet script (Thái) is drawn with the bundled Noto Sans Tai Viet: fonts fall back per
character, so mixed text never shows a missing-glyph box where a bundled font has the letter.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# Bold strokes survive the coarse pixel pitch of LED panels better than regular.
FONT_PATH = FONT_DIR / "DejaVuSans-Bold.ttf"
# Fallbacks, in order, for characters the main font lacks (Tai Viet: U+AA80–U+AADF).
FALLBACK_FONT_PATHS = (FONT_DIR / "NotoSansTaiViet-Regular.ttf",)
# A private-use code point no font maps: what it draws is the font's "missing glyph" box.
_UNMAPPED = "\U0010fffd"
_PROBE_SIZE = 24

MIN_SIZE_PX = 16
MAX_SIZE_PX = 4096
MIN_FONT_SIZE = 8
ELLIPSIS = "\u2026"
# Tallest/deepest Vietnamese glyphs: stacked marks on capitals, dots/hooks below.
_TALL_SAMPLE = "ỄẶỮỖẪẾỆỴỹỵgjpqy"

Box = tuple[int, int, int, int]
Colour = tuple[int, int, int]


@dataclass(frozen=True)
class FrameStyle:
    """Colours (``#RRGGBB``) and inner padding (px) of an LED frame."""

    background: str = "#000000"
    foreground: str = "#FFD200"
    padding: int = 4

    @property
    def background_rgb(self) -> Colour:
        """Background as an ``(r, g, b)`` tuple."""
        return _hex_to_rgb(self.background)

    @property
    def foreground_rgb(self) -> Colour:
        """Foreground as an ``(r, g, b)`` tuple."""
        return _hex_to_rgb(self.foreground)

    def contrast_ratio(self) -> float:
        """WCAG 2.x contrast ratio between foreground and background (1..21)."""
        return contrast_ratio(self.foreground_rgb, self.background_rgb)


# Amber on black: ~14.5:1, the classic legible LED look.
NORMAL_STYLE = FrameStyle()
# White on dark red: #B00000 rather than #C00000 keeps WCAG contrast >= 7 (7.4 vs 6.5).
URGENT_STYLE = FrameStyle(background="#B00000", foreground="#FFFFFF")
# The exercise band: dark red on white, unlike any real frame (contrast 7.4:1).
BAND_STYLE = FrameStyle(background="#FFFFFF", foreground="#B00000", padding=1)


@dataclass(frozen=True)
class FittedText:
    """A laid-out text: font size, lines, and where each line goes in the frame.

    ``origins`` are left-baseline points for ``anchor="ls"``; ``boxes`` are each
    line's ink-and-advance box in frame pixels, so callers can check for overflow.
    """

    font_size: int
    lines: tuple[str, ...]
    origins: tuple[tuple[int, int], ...]
    boxes: tuple[Box, ...]
    content_box: Box
    truncated: bool


@lru_cache(maxsize=1024)
def _load(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def _glyph_mask(font: ImageFont.FreeTypeFont, char: str) -> tuple:
    mask = font.getmask(char)
    return mask.size, bytes(mask)


@lru_cache(maxsize=8)
def _probe_font(path: Path) -> ImageFont.FreeTypeFont:
    # Without shaping: a lone combining mark is not given a dotted circle to sit on.
    return ImageFont.truetype(str(path), _PROBE_SIZE, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8)
def _notdef(path: Path) -> tuple:
    return _glyph_mask(_probe_font(path), _UNMAPPED)


@lru_cache(maxsize=8192)
def has_glyph(path: Path, char: str) -> bool:
    """Whether the font at ``path`` draws ``char`` as something other than its missing-glyph box."""
    if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
        return True
    return _glyph_mask(_probe_font(path), char) != _notdef(path)


def font_path_for(char: str) -> Path:
    """The first bundled font that has ``char`` (the main font when none has it)."""
    if has_glyph(FONT_PATH, char):
        return FONT_PATH
    for path in FALLBACK_FONT_PATHS:
        if has_glyph(path, char):
            return path
    return FONT_PATH


class FontStack:
    """The main font with per-character fallbacks, measured and drawn as one font.

    Offers what the layout uses of a FreeTypeFont (``getlength``, ``getbbox`` with the
    ``ls`` anchor, ``getmetrics``); text the main font covers takes the direct path.
    """

    def __init__(self, size: int):
        self.size = size
        self.main = _load(FONT_PATH, size)

    def runs(self, text: str) -> list[tuple[ImageFont.FreeTypeFont, str]]:
        """``text`` split into runs of characters drawn with the same font."""
        runs: list[tuple[Path, str]] = []
        for cluster in _clusters(text):
            path = font_path_for(cluster[0])
            if runs and runs[-1][0] == path:
                runs[-1] = (path, runs[-1][1] + cluster)
            else:
                runs.append((path, cluster))
        return [(_load(path, self.size), run) for path, run in runs]

    def _single(self, text: str) -> ImageFont.FreeTypeFont | None:
        runs = self.runs(text)
        return runs[0][0] if len(runs) == 1 else (self.main if not runs else None)

    def getmetrics(self) -> tuple[int, int]:
        return self.main.getmetrics()

    def getmask(self, text: str):
        """The glyph mask of text drawn with one font (the font that covers its first character)."""
        return (self._single(text) or self.runs(text)[0][0]).getmask(text)

    def getlength(self, text: str) -> float:
        return sum(font.getlength(run) for font, run in self.runs(text))

    def getbbox(self, text: str, anchor: str = "ls") -> Box:
        font = self._single(text)
        if font is not None:
            return font.getbbox(text, anchor=anchor)
        x = 0.0
        left = top = right = bottom = None
        for font, run in self.runs(text):
            run_left, run_top, run_right, run_bottom = font.getbbox(run, anchor=anchor)
            left = x + run_left if left is None else min(left, x + run_left)
            right = x + run_right if right is None else max(right, x + run_right)
            top = run_top if top is None else min(top, run_top)
            bottom = run_bottom if bottom is None else max(bottom, run_bottom)
            x += font.getlength(run)
        return (int(left), int(top), round(right), int(bottom))

    def draw(self, draw: ImageDraw.ImageDraw, origin: tuple[int, int], text: str, fill: int) -> None:
        """Draws ``text`` with its left baseline at ``origin``, each run in its own font."""
        x, y = origin
        for font, run in self.runs(text):
            draw.text((x, y), run, fill=fill, font=font, anchor="ls")
            x += font.getlength(run)


@lru_cache(maxsize=512)
def get_font(size: int) -> FontStack:
    """Return the bundled bold font (with its fallbacks) at ``size`` px, cached."""
    return FontStack(size)


def render_frame(
    text: str,
    *,
    width: int,
    height: int,
    urgent: bool = False,
    style: FrameStyle | None = None,
    font_size: int | None = None,
    band: str = "",
) -> bytes:
    """Render ``text`` centred and fitted into a ``width`` x ``height`` PNG.

    Anti-aliased on purpose: at 8-20 px, 1-bit glyphs lose thin Vietnamese marks
    (hỏi vs ngã), whereas LED controllers show the grey edge levels via PWM.
    ``band`` (e.g. "DIỄN TẬP" for a drill) is drawn in a white strip across the top,
    the text fitted below it; a frame too small for both gets the band's words first.
    """
    style = style or (URGENT_STYLE if urgent else NORMAL_STYLE)
    band_height = max(MIN_FONT_SIZE + 2, height // 4) if band else 0
    if band and height - band_height < MIN_SIZE_PX:
        text, band, band_height = f"{band}: {text}", "", 0
    image = _text_image(text, width=width, height=height - band_height, style=style, font_size=font_size)
    if band:
        framed = Image.new("RGB", (width, height), BAND_STYLE.background_rgb)
        _draw_band(framed, band, width=width, height=band_height)
        framed.paste(image.convert("RGB"), (0, band_height))
        image = framed
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def _text_image(text: str, *, width: int, height: int, style: FrameStyle, font_size: int | None):
    fitted = fit_text(text, width=width, height=height, padding=style.padding, font_size=font_size)
    mask = Image.new("L", (width, height), 0)
    if fitted.lines:
        draw = ImageDraw.Draw(mask)
        font = get_font(fitted.font_size)
        for line, origin in zip(fitted.lines, fitted.origins, strict=True):
            font.draw(draw, origin, line, fill=255)
    # Coverage 0..255 maps onto a bg->fg ramp: a "P" image is exact, 1 byte/pixel,
    # and encodes faster and smaller than RGB.
    mask.putpalette(_ramp_palette(style.background_rgb, style.foreground_rgb))
    return mask


def _draw_band(image, band: str, *, width: int, height: int) -> None:
    """The band's words, as large as fit in the strip, centred."""
    size = max(MIN_FONT_SIZE, height - 2)
    while size > MIN_FONT_SIZE and get_font(size).getlength(band) > width - 2:
        size -= 1
    draw = ImageDraw.Draw(image)
    draw.text(
        (width // 2, height // 2), band, fill=BAND_STYLE.foreground_rgb, font=get_font(size), anchor="mm"
    )


def fit_text(
    text: str,
    *,
    width: int,
    height: int,
    padding: int = NORMAL_STYLE.padding,
    font_size: int | None = None,
) -> FittedText:
    """Wrap and size ``text`` as large as fits inside the padded frame.

    ``font_size`` forces a size (still wrapped and ellipsis-truncated); only a single
    glyph bigger than the frame can then spill over, and the PNG clips it.
    """
    _validate_size(width, height)
    paragraphs = _paragraphs(text)
    padding = _effective_padding(width, height, padding)
    inner_w, inner_h = width - 2 * padding, height - 2 * padding
    if not paragraphs:
        return FittedText(MIN_FONT_SIZE, (), (), (), (0, 0, 0, 0), False)
    if font_size is not None:
        if font_size < 1:
            raise ValueError(f"font_size must be positive, got {font_size}")
        lines = _wrap(paragraphs, get_font(font_size), inner_w, allow_break=True)
        return _place(lines, font_size, width, height, padding)

    for allow_break in (False, True):
        size = _largest_fitting_size(paragraphs, inner_w, inner_h, allow_break)
        if size is not None:
            lines = _wrap(paragraphs, get_font(size), inner_w, allow_break)
            return _place(lines, size, width, height, padding)
    lines = _wrap(paragraphs, get_font(MIN_FONT_SIZE), inner_w, allow_break=True)
    return _place(lines, MIN_FONT_SIZE, width, height, padding)


def contrast_ratio(first: Colour, second: Colour) -> float:
    """WCAG 2.x contrast ratio of two sRGB colours."""
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- layout internals -------------------------------------------------------


def _validate_size(width: int, height: int) -> None:
    """Reject frame sizes no LED board has (and that would blow up memory)."""
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or not MIN_SIZE_PX <= value <= MAX_SIZE_PX:
            raise ValueError(
                f"LED frame {name} must be an integer between {MIN_SIZE_PX} and "
                f"{MAX_SIZE_PX} px, got {value!r}"
            )


def _paragraphs(text: str) -> list[list[str]]:
    """NFC-normalise and split into paragraphs (hard newlines) of words."""
    text = unicodedata.normalize("NFC", text)
    return [words for para in text.splitlines() if (words := para.split())]


@lru_cache(maxsize=256)
def _effective_padding(width: int, height: int, padding: int) -> int:
    """Shrink padding on tiny frames so one minimum-size line always fits."""
    font = get_font(MIN_FONT_SIZE)
    ascent, descent = _vertical_extent(font, [_TALL_SAMPLE])
    need_w = int(font.getlength(ELLIPSIS + "W")) + 1
    room = min((width - need_w) // 2, (height - ascent - descent) // 2)
    return max(0, min(padding, room))


def _largest_fitting_size(
    paragraphs: list[list[str]], inner_w: int, inner_h: int, allow_break: bool
) -> int | None:
    """Binary-search the largest font size whose wrapped block fits, or None."""

    def fits(size: int) -> bool:
        font = get_font(size)
        lines = _wrap(paragraphs, font, inner_w, allow_break)
        if lines is None:
            return False
        if _block_height(font, lines, size) > inner_h:
            return False
        return all(_line_width(font, line) <= inner_w for line in lines)

    lo, hi = MIN_FONT_SIZE, max(MIN_FONT_SIZE, inner_h)
    if not fits(lo):
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _wrap(
    paragraphs: list[list[str]],
    font: FontStack,
    max_width: int,
    allow_break: bool,
) -> list[str] | None:
    """Greedy word wrap; over-long words are split by characters if allowed.

    Measures ink-and-advance boxes, not just advances, so overhangs never overflow.
    """

    def measure(line: str) -> int:
        return _line_width(font, line)

    lines: list[str] = []
    for words in paragraphs:
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if measure(candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if measure(word) <= max_width:
                current = word
                continue
            if not allow_break:
                return None
            *full, current = _break_word(word, measure, max_width)
            lines.extend(full)
        if current:
            lines.append(current)
    return lines


def _break_word(word: str, measure: Callable[[str], float], max_width: int) -> list[str]:
    """Split a word into pieces no wider than ``max_width`` (keeps marks on bases)."""
    pieces: list[str] = []
    current = ""
    for cluster in _clusters(word):
        if current and measure(current + cluster) > max_width:
            pieces.append(current)
            current = cluster
        else:
            current += cluster
    pieces.append(current)
    return pieces


def _clusters(text: str) -> list[str]:
    """Split into base characters with their trailing combining marks (rare after NFC)."""
    clusters: list[str] = []
    for char in text:
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _line_width(font: FontStack, line: str) -> int:
    """Horizontal extent of a line: union of advance and ink boxes."""
    left, _, right, _ = font.getbbox(line, anchor="ls")
    return right - min(left, 0)


def _vertical_extent(font: FontStack, lines: list[str]) -> tuple[int, int]:
    """Ascent/descent covering the font metrics and every line's real ink.

    Stacked marks on capitals ("Ễ") rise above the font's nominal ascent.
    """
    ascent, descent = font.getmetrics()
    for line in lines:
        _, top, _, bottom = font.getbbox(line, anchor="ls")
        ascent, descent = max(ascent, -top), max(descent, bottom)
    return ascent, descent


def _gap(size: int) -> int:
    """Extra leading between lines: a little air between descenders and marks."""
    return max(1, size // 12)


def _block_height(font: FontStack, lines: list[str], size: int) -> int:
    """Total height of ``lines`` stacked with uniform line pitch."""
    ascent, descent = _vertical_extent(font, lines)
    return len(lines) * (ascent + descent) + (len(lines) - 1) * _gap(size)


def _truncate(lines: list[str], font: FontStack, size: int, inner: tuple[int, int]) -> tuple[list[str], bool]:
    """Keep the lines that fit; end the last kept one with an ellipsis."""
    inner_w, inner_h = inner
    if _block_height(font, lines, size) <= inner_h and all(
        _line_width(font, line) <= inner_w for line in lines
    ):
        return lines, False
    ascent, descent = _vertical_extent(font, lines)
    gap = _gap(size)
    keep = max(1, (inner_h + gap) // (ascent + descent + gap))
    kept = lines[:keep]
    clusters = _clusters(kept[-1])
    while clusters:
        last = "".join(clusters).rstrip() + ELLIPSIS
        if _line_width(font, last) <= inner_w:
            break
        clusters.pop()
    else:
        last = ELLIPSIS
    return [*kept[:-1], last], True


def _place(lines: list[str] | None, size: int, width: int, height: int, padding: int) -> FittedText:
    """Centre the block vertically and each line horizontally in the frame."""
    font = get_font(size)
    inner = (width - 2 * padding, height - 2 * padding)
    lines, truncated = _truncate(lines or [], font, size, inner)
    ascent, descent = _vertical_extent(font, lines)
    pitch = ascent + descent + _gap(size)
    block = _block_height(font, lines, size)
    top = padding + max(0, (inner[1] - block) // 2)
    origins: list[tuple[int, int]] = []
    boxes: list[Box] = []
    for index, line in enumerate(lines):
        left, ink_top, right, ink_bottom = font.getbbox(line, anchor="ls")
        left = min(left, 0)
        x = padding + (inner[0] - (right - left)) // 2 - left
        baseline = top + index * pitch + ascent
        origins.append((x, baseline))
        boxes.append((x + left, baseline + ink_top, x + right, baseline + ink_bottom))
    content = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    return FittedText(size, tuple(lines), tuple(origins), tuple(boxes), content, truncated)


# --- colour helpers ---------------------------------------------------------


def _hex_to_rgb(value: str) -> Colour:
    """Parse ``#RRGGBB``."""
    digits = value.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"colour must look like #RRGGBB, got {value!r}")
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _relative_luminance(rgb: Colour) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@lru_cache(maxsize=8)
def _ramp_palette(background: Colour, foreground: Colour) -> tuple[int, ...]:
    """256-entry palette blending background (index 0) into foreground (255)."""
    return tuple(
        round(bg + (fg - bg) * level / 255)
        for level in range(256)
        for bg, fg in zip(background, foreground, strict=True)
    )
