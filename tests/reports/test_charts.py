"""The chart renderer: accessible SVG, a PNG of the same shapes, round axis steps."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from PIL import Image

from publishing.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def draw(kind="bar", labels=("Facebook", "X"), series=(("Đã gửi", [12, 3]), ("Thất bại", [2, 0]))):
    spec = {"kind": kind}
    drawing = charts.layout(spec, title="Phát hành theo kênh", labels=list(labels), series=list(series))
    description = charts.describe(spec, labels=list(labels), series=list(series))
    return drawing, description


def test_svg_has_title_description_and_one_bar_per_value():
    drawing, description = draw()

    svg = charts.to_svg(drawing, title="Phát hành theo kênh", description=description, ident="c1")

    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Phát hành theo kênh"
    assert "Facebook: 12" in root.find(f"{SVG}desc").text
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "Facebook, Đã gửi: 12",
        "X, Đã gửi: 3",
        "Facebook, Thất bại: 2",
        "X, Thất bại: 0",
    ]
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[0] == pytest.approx(6 * heights[2], abs=0.1) and heights[3] == 0


def test_text_is_escaped():
    drawing, description = draw(labels=("<script>", "A & B"))
    svg = charts.to_svg(drawing, title="T <b>", description=description, ident="c2")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg
    ET.fromstring(svg)


def test_png_draws_the_same_shapes():
    drawing, _description = draw()

    image = Image.open(io.BytesIO(charts.to_png(drawing)))

    assert image.size == (charts.WIDTH * 2, charts.HEIGHT * 2)
    colours = {rgb for _count, rgb in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert (0x1F, 0x5F, 0x8B) in colours and (0xD9, 0x5F, 0x02) in colours


def test_axis_steps_are_round_and_empty_charts_say_so():
    assert (
        charts.nice_ceiling(9.5) == 10 and charts.nice_ceiling(0.3) == 1 and charts.nice_ceiling(1200) == 2000
    )
    with translation.override("en"):
        drawing, description = draw(kind="line", labels=(), series=(("Lượt đăng", []),))
    texts = [shape[3] for shape in drawing.shapes if shape[0] == "text"]
    assert "No data in this period." in texts
    assert "No data in this period." in description
