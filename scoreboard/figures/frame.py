"""Downloadable figures: every chart and map as a standalone SVG and PNG that carry their
own title, sources, licence and page address.

A Figure is generic: a chart job (its in-page SVG is what charts.py drew for the page) or
a pre-drawn SVG (the province maps), a title, the sources it draws on and the page it
belongs to. The in-page SVG stays as it is (the page around it says all that in HTML);
the downloads frame it with the same facts inside the image (framed_svg), because a
downloaded image travels without its page. Framing the drawing the page already has, not
drawing the chart again with a title, costs no Vega run at all.

PNGs are drawn with a font that has Vietnamese glyphs (DejaVu Sans, registered with
vl-convert from a folder on disk, never fetched), so "ệ" is a letter, not a box, at just
over PNG_MIN_WIDTH pixels (drawing time grows with the pixels), then stored as palette PNGs
(Pillow): a tenth of the size of the drawn RGBA image, which matters on a site with
thousands of them. Both downloads are cached by what they are made of, like the in-page SVGs.
"""

from __future__ import annotations

import html
import io
import math
import re
from functools import cache

from scoreboard.figures import charts, textpaths
from scoreboard.figures.textpaths import font_directory

PNG_FONT = "DejaVu Sans"
PNG_MIN_WIDTH = 1200  # every PNG is scaled to at least this width, and barely more
PNG_COLOURS = 256  # palette size: the charts and maps use far fewer colours plus anti-aliasing


def footer_lines(sources_text: str, licence: str, url: str) -> list[str]:
    """Source(s), licence and address (translated by the caller); framed_svg wraps them to
    the figure's width."""
    return [line for line in (sources_text, licence, url) if line]


def framed_svg(drawing: str, title: str, footer: list[str], font: str) -> str:
    """A drawn SVG with its title above and its source, licence and address lines below, in
    one standalone SVG, every text in `font` (the page's font stack, or PNG_FONT)."""
    inner = re.sub(r"^<\?xml[^>]*>\s*", "", drawing)
    if font != charts.FONT:
        inner = inner.replace(charts.FONT, font)
    width, height = int(svg_width(inner)), int(svg_height(inner))
    pad, title_size, line_size = 16, 16, 12
    title = wrap_to_width(title, title_size, width, bold=True)
    lines = [piece for line in footer for piece in wrap_to_width(line, line_size, width)]
    top = pad + len(title) * (title_size + 4)
    y = top + 8
    out_w = width + 2 * pad
    out_h = y + height + 8 + len(lines) * (line_size + 4) + pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{out_w}" height="{out_h}" viewBox="0 0 {out_w} {out_h}" '
        f'font-family="{html.escape(font, quote=True)}">',
        f'<rect width="{out_w}" height="{out_h}" fill="#ffffff"/>',
    ]
    for n, text in enumerate(title):
        baseline = pad + title_size + n * (title_size + 4)
        parts.append(
            f'<text x="{pad}" y="{baseline}" font-size="{title_size}" font-weight="bold">{html.escape(text)}</text>'
        )
    # Not clipped to its own box: a chart or map is drawn to fit its content, and resvg spends
    # most of a PNG's time on a clip (0.15 s of 0.23 s for a map, measured).
    inner = re.sub(r"<svg\b", f'<svg x="{pad}" y="{y}" overflow="visible"', inner, count=1)
    parts.append(inner)
    for n, text in enumerate(lines):
        baseline = y + height + 8 + line_size + n * (line_size + 4)
        parts.append(
            f'<text x="{pad}" y="{baseline}" font-size="{line_size}" fill="#333333">{html.escape(text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def wrap_to_width(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Lines of `text` that fit `width` px at `size` in DejaVu Sans, wider than the fonts a
    browser shows the SVG download in, so they fit there too. A word longer than a line (a
    page address on a narrow map) is broken where it must be."""
    return list(_wrapped(" ".join(text.split()), size, width, bold))


@cache
def _wrapped(text: str, size: float, width: float, bold: bool) -> tuple[str, ...]:
    """wrap_to_width, kept: a figure's lines are wrapped for its PNG and again for its SVG,
    and every figure of a width shares its licence line."""

    def fits(line: str) -> bool:
        return textpaths.text_width(line, size, font_directory(), bold) <= width

    if fits(text):
        return (text,)
    lines: list[str] = []
    line = ""
    for word in text.split():
        if fits(f"{line} {word}" if line else word):
            line = f"{line} {word}" if line else word
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and not fits(word):
            cut = 1  # the longest start that fits (a letter more never makes a text narrower)
            while cut + 1 < len(word) and fits(word[: cut + 1]):
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return (*lines, line) if line or not lines else tuple(lines)


def png_scale(width: float) -> float:
    """The smallest scale, in hundredths, that makes a figure `width` px wide at least
    PNG_MIN_WIDTH pixels wide: every pixel more costs drawing time and bytes."""
    scale = math.ceil(PNG_MIN_WIDTH * 100 / width) / 100
    while width * scale < PNG_MIN_WIDTH:  # a float product just under the minimum
        scale += 0.01
    return scale


def svg_width(svg: str) -> float:
    """The width of an SVG document, from its root element."""
    return _root_length(svg, "width")


def svg_height(svg: str) -> float:
    """The height of an SVG document, from its root element."""
    return _root_length(svg, "height")


def _root_length(svg: str, attribute: str) -> float:
    return float(re.search(rf'<svg[^>]*\b{attribute}="([\d.]+)"', svg).group(1))


def palette_png(png: bytes) -> bytes:
    """A drawn PNG as a palette PNG, without metadata chunks (same pixels, same bytes).

    The palette is the PNG_COLOURS most used colours, each kept exact: an image with no more
    colours than that keeps every pixel (white stays white, the series keep their colours),
    and in a larger one only its rarest colours, single anti-aliased pixels at a text's or a
    border's edge, are drawn in their nearest palette colour. No dithering, so text edges and
    hatch patterns stay crisp. With Pillow's max-coverage quantizer, which chose nearly the
    same palette, this step took 80 ms a PNG instead of 50 (60 figures of the scale site),
    a sixth of a cold build at scale; its fast octree shifted every colour by up to 15
    levels (its white, 254, showed as a grey box on a white page). zlib's default level:
    level 9 (optimize=True) saved 6-12 % more bytes but cost about 0.1 s of CPU a PNG.
    """
    import numpy as np
    from PIL import Image

    rgba = Image.open(io.BytesIO(png))  # resvg's PNG: RGBA, read into memory here
    rgba = rgba.convert("RGBA") if rgba.mode != "RGBA" else rgba
    counted = rgba.getcolors(rgba.width * rgba.height)
    if any(colour[3] < 255 for _, colour in counted):  # see-through pixels are shown on white, as on the page
        rgba = Image.alpha_composite(Image.new("RGBA", rgba.size, "#ffffff"), rgba)
        counted = rgba.getcolors(rgba.width * rgba.height)
    counted.sort(key=lambda entry: (-entry[0], entry[1]))  # most used first; ties by colour
    colours = np.array([colour[:3] for _, colour in counted], dtype=np.int32)
    palette = colours[:PNG_COLOURS]
    index = np.zeros(len(colours), dtype=np.uint8)
    index[: len(palette)] = np.arange(len(palette))
    for start in range(PNG_COLOURS, len(colours), 4096):  # the rest: nearest palette colour
        rest = colours[start : start + 4096]
        distance = ((rest[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
        index[start : start + len(rest)] = distance.argmin(axis=1)  # the first of equals
    lookup = _colour_lookup()  # every colour this image has is set before it is read
    lookup[colours[:, 0] | colours[:, 1] << 8 | colours[:, 2] << 16] = index
    pixels = np.frombuffer(rgba.tobytes(), dtype="<u4") & 0xFFFFFF
    image = Image.frombytes("P", rgba.size, lookup[pixels].tobytes())
    image.putpalette(palette.astype(np.uint8).tobytes())
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


@cache
def _colour_lookup():
    """A palette index for each of the 2^24 RGB colours, 16 MB kept by each process: one
    lookup per pixel (4 ms for a map), where a binary search among an image's colours took
    99 ms. Shared by every PNG a process draws, one after the other (never from threads)."""
    import numpy as np

    return np.zeros(1 << 24, dtype=np.uint8)


@cache
def _engine():
    import vl_convert

    vl_convert.register_font_directory(font_directory())
    return vl_convert


def download_svg(drawing: str, title: str, lines: list[str], font: str) -> str:
    """A drawing as a standalone SVG in `font`, with its title, sources, licence and address
    inside."""
    return framed_svg(drawing, title, lines, font)


def draw_svg_png(svg: str) -> bytes:
    """An SVG as a palette PNG, with the fonts registered for charts (DejaVu Sans, offline);
    its text in DejaVu Sans drawn as glyph outlines (textpaths.py: the same pixels, in a
    fraction of resvg's time for text)."""
    outlined = textpaths.outlined(svg, font_directory())
    return palette_png(_engine().svg_to_png(outlined, scale=png_scale(svg_width(svg))))
