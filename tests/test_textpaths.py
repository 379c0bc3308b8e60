"""Text drawn as glyph outlines (scoreboard/textpaths.py) must give the PNG resvg would draw
from the text itself: same letters, same places, same kerning and ligatures."""

from __future__ import annotations

import html
import io

import pytest

from scoreboard.figures import frame as figures
from scoreboard.figures import textpaths

ROW = 44  # px between baselines
SAMPLES = [
    "Tỷ lệ người dân có điện thoại thông minh: 70,91 %",  # Vietnamese, the vi number format
    "ĐẠT CHƯA ĐẠT Ưu tiên ưu đãi Ỹ ỹ Ỵ ỵ Ằ ẳ Ẫ ậ Ớ ợ Ữ ự",  # stacked diacritics, both cases
    "AVATAR To Ty Yo Wa LT P. F, V. Tây Yên Văn",  # pairs the font kerns
    "official affine fluffy baffle ffi ffl fi fl ff",  # the f-ligatures of Latin text
    "71.79% 1,418 12\u00a0345 70,91\u00a0% 2024–2025 “A” ✖ ? –",  # digits only kern as common text
    "Source: Report 2025-H2; licence CC BY 4.0",
]


def _png(svg: str):
    from PIL import Image

    return Image.open(io.BytesIO(figures._engine().svg_to_png(svg))).convert("L")


def _moved_pixels(svg: str, outlined: str) -> int:
    """Pixels that differ by more than anti-aliasing between the two drawings."""
    from PIL import ImageChops

    return sum(ImageChops.difference(_png(svg), _png(outlined)).histogram()[64:])


def _document(rows: list[str], weight: str, style: str) -> str:
    height = ROW * (len(rows) * 3 + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="1500" height="{height}">'
        f'<rect width="1500" height="{height}" fill="#ffffff"/>'
        f'<g font-family="{textpaths.FAMILY}" font-size="26" font-weight="{weight}" font-style="{style}">'
    ]
    y = ROW
    for text in rows:
        for anchor, x in (("start", 10), ("middle", 750), ("end", 1490)):
            # as Vega writes a label of two lines: a first tspan, then one at x with a dy
            first, second = html.escape(text[:24]), html.escape(text[24:])
            parts.append(
                f'<text text-anchor="{anchor}" transform="translate({x},{y})" fill="#222222">'
                f'<tspan>{first}</tspan><tspan x="0" dy="{ROW / 2}">{second}</tspan></text>'
            )
            y += ROW
    parts.append("</g></svg>")
    return "".join(parts)


@pytest.mark.parametrize("weight", ["normal", "bold"])
@pytest.mark.parametrize("style", ["normal", "italic"])
def test_outlined_text_draws_the_pixels_resvg_draws(weight, style):
    from PIL import ImageChops

    svg = _document(SAMPLES, weight, style)
    outlined = textpaths.outlined(svg, figures.font_directory())
    assert "<text" not in outlined and outlined.count("<path") > 500
    difference = ImageChops.difference(_png(svg), _png(outlined))
    # Only anti-aliasing may differ (a few levels at glyph edges): a glyph moved by kerning
    # or a missed ligature changes whole strokes, by far more than 64 levels.
    histogram = difference.histogram()
    moved = sum(histogram[64:])
    if moved:
        rows = sorted(
            {y // ROW for y in range(difference.height) if max(difference.crop((0, y, 1500, y + 1)).getdata()) >= 64}
        )
        pytest.fail(f"{moved} pixels differ, on the rows of: {[SAMPLES[(r - 1) // 3] for r in rows if r]}")
    assert sum(histogram[16:]) < 0.001 * difference.width * difference.height


def test_text_it_cannot_lay_out_is_left_for_resvg_and_the_rest_still_inherits():
    left = [
        '<text x="10" y="40">Ω μ</text>',  # another script
        '<text x="10" y="80">ab\u0301c</text>',  # a combining mark
        '<text x="10" y="120" letter-spacing="2">spaced</text>',  # an attribute it does not lay out
        '<text x="10" y="160" style="font-size: 9px">styled</text>',
        '<text x="10" y="200">two  spaces</text>',  # white space SVG would collapse
        '<text x="10 20 30" y="240">abc</text>',  # a position for each letter
        '<text x="10" y="280" font-family="Georgia">serif</text>',  # another family
        '<text x="10" y="320">\ue000</text>',  # a letter the font lacks
        '<text x="10" y="360"><tspan>one</tspan><tspan dx="3">piece</tspan></text>',  # shaped across tspans
    ]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="440">'
        f'<g font-family="DejaVu Sans" font-size="30">{"".join(left)}<text x="10" y="400">kept</text></g></svg>'
    )
    outlined = textpaths.outlined(svg, figures.font_directory())
    for text in left:
        assert text in outlined
    assert "kept" not in outlined  # drawn as outlines, at the size its group gives
    assert _moved_pixels(svg, outlined) == 0


def test_painting_and_transform_stay_on_the_text_group():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><g font-family="DejaVu Sans" '
        'stroke="#ffffff" stroke-width="2.4" paint-order="stroke">'
        '<text x="5" y="20" dy=".35em" transform="rotate(-5)" fill="#7a0c0c" opacity="0.8" '
        'font-size="15px" font-weight="bold">Đạt ✖</text></g></svg>'
    )
    outlined = textpaths.outlined(svg, figures.font_directory())
    assert '<g transform="rotate(-5)" fill="#7a0c0c" opacity="0.8">' in outlined
    assert "font-size" not in outlined.split("<g transform")[1] and "<text" not in outlined
    assert _moved_pixels(svg, outlined) == 0
