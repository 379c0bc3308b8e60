"""Figures that travel without their page: every chart and map framed with its own title,
legend, sources, licence and page address, as one standalone SVG, and the page's social
card (the Open Graph image), a 1,200 x 630 PNG of the same framed figure.

The framed SVG is what "Download SVG" gives and what the reader's browser turns into a PNG
("Download PNG", site_src/assets/share.js): its text is drawn as glyph outlines in DejaVu
Sans (textpaths.py), so it looks the same in every browser whatever fonts the reader has,
and its words stay in its <title> and <desc> for screen readers and search. The build
draws a PNG only for the card, where a file must exist on the server.
"""

from __future__ import annotations

import html
import re
from functools import cache

from scoreboard.figures import charts, textpaths
from scoreboard.figures.textpaths import font_directory

PNG_FONT = "DejaVu Sans"
CARD_WIDTH, CARD_HEIGHT = 1200, 630  # the size social networks show
CARD_MARGIN = 24


def footer_lines(sources_text: str, licence: str, url: str) -> list[str]:
    """Source(s), licence and address (translated by the caller); framed_svg wraps them to
    the figure's width."""
    return [line for line in (sources_text, licence, url) if line]


def framed_svg(drawing: str, title: str, footer: list[str], font: str, legend: list[dict] = ()) -> str:
    """A drawn SVG with its title above, its legend (each entry a fill, an optional symbol
    and words) and its source, licence and address lines below, in one standalone SVG,
    every text in `font`."""
    inner = re.sub(r"^<\?xml[^>]*>\s*", "", drawing)
    if font != charts.FONT:
        inner = inner.replace(charts.FONT, font)
    width, height = int(svg_width(inner)), int(svg_height(inner))
    pad, title_size, line_size, swatch = 16, 16, 12, 14
    title_lines = wrap_to_width(title, title_size, width, bold=True)
    lines = [piece for line in footer for piece in wrap_to_width(line, line_size, width)]
    y = pad + len(title_lines) * (title_size + 4) + 8
    legend_rows = _legend_rows(legend, line_size, swatch, width)
    legend_top = y + height + 8
    footer_top = legend_top + len(legend_rows) * (swatch + 6) + (4 if legend_rows else 0)
    out_w = width + 2 * pad
    out_h = footer_top + len(lines) * (line_size + 4) + pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{out_w}" height="{out_h}" viewBox="0 0 {out_w} {out_h}" '
        f'font-family="{html.escape(font, quote=True)}">',
        f'<rect width="{out_w}" height="{out_h}" fill="#ffffff"/>',
    ]
    for n, text in enumerate(title_lines):
        baseline = pad + title_size + n * (title_size + 4)
        parts.append(
            f'<text x="{pad}" y="{baseline}" font-size="{title_size}" font-weight="bold">{html.escape(text)}</text>'
        )
    # Not clipped to its own box: a chart or map is drawn to fit its content, and resvg spends
    # most of a PNG's time on a clip (0.15 s of 0.23 s for a map, measured).
    parts.append(re.sub(r"<svg\b", f'<svg x="{pad}" y="{y}" overflow="visible"', inner, count=1))
    for row_n, row in enumerate(legend_rows):
        top = legend_top + row_n * (swatch + 6)
        for x, entry in row:
            x += pad
            parts.append(
                f'<rect x="{x}" y="{top}" width="{swatch}" height="{swatch}" fill="{html.escape(entry["fill"])}" '
                'stroke="#5f5f5f" stroke-width="1"/>'
            )
            if entry.get("symbol"):
                parts.append(
                    f'<text x="{x + swatch / 2}" y="{top + swatch - 3}" font-size="{line_size - 1}" font-weight="bold" '
                    f'text-anchor="middle" fill="{entry.get("symbol_colour") or "#333333"}">{html.escape(entry["symbol"])}</text>'
                )
            parts.append(
                f'<text x="{x + swatch + 5}" y="{top + swatch - 3}" font-size="{line_size}" fill="#222222">'
                f"{html.escape(entry['words'])}</text>"
            )
    for n, text in enumerate(lines):
        baseline = footer_top + line_size + n * (line_size + 4)
        parts.append(
            f'<text x="{pad}" y="{baseline}" font-size="{line_size}" fill="#333333">{html.escape(text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _legend_rows(legend, size: float, swatch: int, width: float) -> list[list[tuple[float, dict]]]:
    """Legend entries laid out in rows that fit the figure's width (x of each entry)."""
    rows: list[list[tuple[float, dict]]] = []
    x = width + 1
    for entry in legend:
        room = swatch + 5 + textpaths.text_width(entry["words"], size, font_directory()) + 16
        if x + room > width and (x > 0 or not rows):
            rows.append([])
            x = 0
        rows[-1].append((x, entry))
        x += room
    return rows


def download_svg(drawing: str, title: str, lines: list[str], description: str, legend: list[dict] = ()) -> str:
    """The figure as it travels: framed in DejaVu Sans with its text as glyph outlines (the
    same in every browser, and what a reader's browser turns into a PNG), its words kept in
    <title> and <desc>."""
    framed = textpaths.outlined(framed_svg(drawing, title, lines, PNG_FONT, legend), font_directory())
    about = f"<title>{html.escape(title)}</title><desc>{html.escape(' '.join([description, *lines]).strip())}</desc>"
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + about, framed, count=1)


def card_svg(framed: str) -> str:
    """A framed figure scaled to fit a 1,200 x 630 card, centred on white."""
    inner = re.sub(r"^<\?xml[^>]*>\s*", "", framed)
    width, height = svg_width(inner), svg_height(inner)
    scale = min((CARD_WIDTH - 2 * CARD_MARGIN) / width, (CARD_HEIGHT - 2 * CARD_MARGIN) / height)
    w, h = width * scale, height * scale
    x, y = (CARD_WIDTH - w) / 2, (CARD_HEIGHT - h) / 2
    placed = re.sub(
        r"<svg\b([^>]*?)\swidth=\"[\d.]+\"\sheight=\"[\d.]+\"",
        f'<svg\\1 x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}"',
        inner,
        count=1,
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" '
        f'viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}"><rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="#ffffff"/>'
        f"{placed}</svg>"
    )


def card_png(framed: str) -> bytes:
    """The card as a PNG (resvg, through vl-convert, with DejaVu Sans registered: offline)."""
    return _engine().svg_to_png(card_svg(framed), scale=1)


def wrap_to_width(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Lines of `text` that fit `width` px at `size` in DejaVu Sans. A word longer than a line
    (a page address on a narrow map) is broken where it must be."""
    return list(_wrapped(" ".join(text.split()), size, width, bold))


@cache
def _wrapped(text: str, size: float, width: float, bold: bool) -> tuple[str, ...]:
    """wrap_to_width, kept: every figure of a width shares its licence line."""

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


def svg_width(svg: str) -> float:
    """The width of an SVG document, from its root element."""
    return _root_length(svg, "width")


def svg_height(svg: str) -> float:
    """The height of an SVG document, from its root element."""
    return _root_length(svg, "height")


def _root_length(svg: str, attribute: str) -> float:
    return float(re.search(rf'<svg[^>]*\b{attribute}="([\d.]+)"', svg).group(1))


@cache
def _engine():
    import vl_convert

    vl_convert.register_font_directory(font_directory())
    return vl_convert
