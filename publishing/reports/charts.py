"""A small chart renderer: bars and time series, drawn once as shapes, written as SVG or PNG.

The same shapes make the SVG of the admin page and the PNG of the document, so both show the
same picture. The SVG is accessible: a <title>, a <desc> that reads out the data, and the page
shows the data table beside it. No JavaScript, no fonts or libraries fetched at run time.
"""

import io
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 44, 70
PALETTE = ("#1f5f8b", "#d95f02", "#1b9e77", "#7570b3", "#a6761d")
AXIS, GRID, INK = "#555555", "#dddddd", "#222222"
FONT_SIZE, TITLE_SIZE = 12, 15
FONT_DIR = Path(settings.BASE_DIR) / "media" / "fonts"


@dataclass
class Drawing:
    width: int = WIDTH
    height: int = HEIGHT
    shapes: list = field(default_factory=list)

    def rect(self, x, y, w, h, fill, label=""):
        self.shapes.append(("rect", x, y, w, h, fill, label))

    def line(self, x1, y1, x2, y2, stroke, width=1):
        self.shapes.append(("line", x1, y1, x2, y2, stroke, width))

    def polyline(self, points, stroke, width=2):
        self.shapes.append(("polyline", points, stroke, width))

    def dot(self, x, y, r, fill, label=""):
        self.shapes.append(("dot", x, y, r, fill, label))

    def text(self, x, y, value, size=FONT_SIZE, anchor="start", fill=INK, bold=False):
        self.shapes.append(("text", x, y, str(value), size, anchor, fill, bold))


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above `value` (1 for nothing or less to show)."""
    if value <= 1:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * 10**exponent >= value:
            return step * 10**exponent
    return 10 ** (exponent + 1)


def fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ")
    return f"{int(value):,}".replace(",", " ")


def _fit(text: str, width: float, size: int = FONT_SIZE) -> str:
    room = max(3, int(width / (size * 0.6)))
    return text if len(text) <= room else text[: room - 1] + "…"


def layout(spec: dict, *, title: str, labels: list[str], series: list[tuple[str, list]]) -> Drawing:
    """The shapes of one chart: axes, grid, bars or lines, labels and legend."""
    drawing = Drawing()
    drawing.text(LEFT, 26, title, size=TITLE_SIZE, bold=True)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base_y = TOP + plot_h
    values = [v or 0 for _name, vs in series for v in vs]
    top = 4 * nice_ceiling(max(values, default=0) / 4)  # four equal, round steps
    for tick in range(5):
        value = top * tick / 4
        y = base_y - plot_h * tick / 4
        drawing.line(LEFT, y, LEFT + plot_w, y, GRID if tick else AXIS)
        drawing.text(LEFT - 6, y + 4, fmt(value), anchor="end", fill=AXIS)
    count = len(labels)
    if count == 0:
        drawing.text(
            LEFT + plot_w / 2, TOP + plot_h / 2, _("No data in this period."), anchor="middle", fill=AXIS
        )
        return drawing
    slot = plot_w / count
    every = max(1, math.ceil(count / 16))  # at most 16 labels under the axis
    for index, label in enumerate(labels):
        if index % every == 0:
            drawing.text(LEFT + slot * (index + 0.5), base_y + 18, _fit(label, slot * every), anchor="middle")
    if spec["kind"] == "bar":
        width = slot * 0.8 / len(series)
        for number, (name, vs) in enumerate(series):
            colour = PALETTE[number % len(PALETTE)]
            for index, value in enumerate(vs):
                h = plot_h * (value or 0) / top
                x = LEFT + slot * index + slot * 0.1 + width * number
                drawing.rect(x, base_y - h, width, h, colour, f"{labels[index]}, {name}: {fmt(value)}")
    else:
        for number, (name, vs) in enumerate(series):
            colour = PALETTE[number % len(PALETTE)]
            points = [(LEFT + slot * (i + 0.5), base_y - plot_h * (v or 0) / top) for i, v in enumerate(vs)]
            drawing.polyline(points, colour)
            if count <= 40:
                for (x, y), label, value in zip(points, labels, vs, strict=True):
                    drawing.dot(x, y, 2.5, colour, f"{label}, {name}: {fmt(value)}")
    if len(series) > 1 or spec["kind"] == "line":
        x = LEFT
        for number, (name, _vs) in enumerate(series):
            colour = PALETTE[number % len(PALETTE)]
            drawing.rect(x, HEIGHT - 24, 12, 12, colour)
            drawing.text(x + 18, HEIGHT - 14, name)
            x += 30 + len(name) * FONT_SIZE * 0.6
    return drawing


def describe(spec: dict, *, labels: list[str], series: list[tuple[str, list]], limit: int = 12) -> str:
    """The chart in words, for screen readers: its values, the first `limit` of them."""
    kind = _("Bar chart") if spec["kind"] == "bar" else _("Time series")
    parts = []
    for name, values in series:
        shown = ", ".join(f"{label}: {fmt(v)}" for label, v in list(zip(labels, values, strict=True))[:limit])
        more = _(" and %(count)s more") % {"count": len(values) - limit} if len(values) > limit else ""
        parts.append(f"{name} — {shown}{more}")
    if not labels:
        parts.append(_("No data in this period."))
    return f"{kind}. " + "; ".join(parts) + ". " + _("The full data is in the table beside it.")


def to_svg(drawing: Drawing, *, title: str, description: str, ident: str) -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawing.width} {drawing.height}" '
        f'width="{drawing.width}" height="{drawing.height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="report-chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<rect width="{drawing.width}" height="{drawing.height}" fill="#ffffff"/>',
    ]
    for shape in drawing.shapes:
        kind = shape[0]
        if kind == "rect":
            _k, x, y, w, h, fill, label = shape
            tip = f"<title>{escape(label)}</title>" if label else ""
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}">{tip}</rect>'
            )
        elif kind == "line":
            _k, x1, y1, x2, y2, stroke, width = shape
            out.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" stroke-width="{width}"/>'
            )
        elif kind == "polyline":
            _k, points, stroke, width = shape
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{coords}" fill="none" stroke="{stroke}" stroke-width="{width}"/>')
        elif kind == "dot":
            _k, x, y, r, fill, label = shape
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}"><title>{escape(label)}</title></circle>'
            )
        else:
            _k, x, y, value, size, anchor, fill, bold = shape
            weight = ' font-weight="bold"' if bold else ""
            out.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor={quoteattr(anchor)} '
                f'fill="{fill}"{weight}>{escape(value)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


@cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def to_png(drawing: Drawing, *, scale: int = 2) -> bytes:
    """The same shapes drawn by Pillow, at `scale` times the SVG's size."""
    image = Image.new("RGB", (drawing.width * scale, drawing.height * scale), "white")
    draw = ImageDraw.Draw(image)
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for shape in drawing.shapes:
        kind = shape[0]
        if kind == "rect":
            _k, x, y, w, h, fill, _label = shape
            if w > 0 and h > 0:
                draw.rectangle([x * scale, y * scale, (x + w) * scale - 1, (y + h) * scale - 1], fill=fill)
        elif kind == "line":
            _k, x1, y1, x2, y2, stroke, width = shape
            draw.line([x1 * scale, y1 * scale, x2 * scale, y2 * scale], fill=stroke, width=width * scale)
        elif kind == "polyline":
            _k, points, stroke, width = shape
            if len(points) > 1:
                draw.line(
                    [(x * scale, y * scale) for x, y in points],
                    fill=stroke,
                    width=width * scale,
                    joint="curve",
                )
        elif kind == "dot":
            _k, x, y, r, fill, _label = shape
            draw.ellipse([(x - r) * scale, (y - r) * scale, (x + r) * scale, (y + r) * scale], fill=fill)
        else:
            _k, x, y, value, size, anchor, fill, bold = shape
            draw.text(
                (x * scale, y * scale),
                value,
                font=_font(size * scale, bold),
                fill=fill,
                anchor=anchors[anchor],
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
