"""Static SVG maps, written directly (no JavaScript, no chart engine): a map is one path per
unit plus a few text marks, so writing it takes milliseconds and the output stays small.

Colour is never the only cue: 'not met' is hatched and carries a cross, 'unknown' is white
with a question mark, grades are written as letters on their province.
"""

from __future__ import annotations

import math
from html import escape

from scoreboard.figures.maps.geometry import Feature, label_point

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
BORDER = "#5f5f5f"
# fill, symbol, symbol colour per style; None: no symbol
STYLES = {
    "met": ("#1f6f43", None, None),
    "not_met": ("url(#hatch)", "✖", "#7a0c0c"),
    "unknown": ("#ffffff", "?", "#333333"),
    "not_applicable": ("#d0d0d0", "–", "#333333"),
    "grade-A": ("#08306b", "A", "#ffffff"),
    "grade-B": ("#2171b5", "B", "#ffffff"),
    "grade-C": ("#6baed6", "C", "#111111"),
    "grade-D": ("#c6dbef", "D", "#111111"),
    "grade-E": ("#f2f7fc", "E", "#111111"),
    "other": ("#e4e4e4", None, None),
    "highlight": ("#b3261e", None, None),
}
# Stripes 1.6 wide every 4 units at 45 degrees, drawn diagonally in a tile 4 * sqrt(2) wide
# (its corners join each stripe to the next tile's). The same stripes as a rotated
# patternTransform, which cost resvg about 0.13 s more for each map PNG.
HATCH = (
    '<pattern id="hatch" patternUnits="userSpaceOnUse" width="5.66" height="5.66">'
    '<rect width="5.66" height="5.66" fill="#f6c9b8"/>'
    '<g stroke="#a3341b" stroke-width="1.6"><line x2="5.66" y2="5.66"/><line x1="-1" y1="4.66" x2="1" y2="6.66"/>'
    '<line x1="4.66" y1="-1" x2="6.66" y2="1"/></g></pattern>'
)
# Where the archipelago names stand: the latitude of the baseline nearest the islands and the
# way a second line goes (below Hoàng Sa, so down; above Trường Sa, so up), right-aligned to the
# map's edge so that the open sea holds them at any width. A name wider than the sea east of
# COAST_LON at its latitude breaks into two lines rather than run over the coast.
ARCHIPELAGO_LABELS = (("hoang_sa", 15.35, 1), ("truong_sa", 12.3, -1))
COAST_LON = 109.8
GLYPH_WIDTH = 0.58  # an italic sans-serif letter's mean width, in font sizes (a generous estimate)
PAD = 0.25  # degrees around the shapes


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Mercator in degrees: x is the longitude, y grows northwards."""
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


class Basemap:
    """The drawn shapes of one set of features at one width: path data and symbol positions,
    computed once and reused by every map of that geometry (only the fills change)."""

    def __init__(self, features: list[Feature], width: int, digits: int):
        projected = [[[mercator(lon, lat) for lon, lat in ring] for ring in f.rings] for f in features]
        xs = [x for rings in projected for ring in rings for x, _ in ring]
        ys = [y for rings in projected for ring in rings for _, y in ring]
        self.x0, self.y1 = min(xs) - PAD, max(ys) + PAD
        self.k = width / (max(xs) + PAD - self.x0)
        self.width, self.height = width, math.ceil((self.y1 - min(ys) + PAD) * self.k)
        self.ids = [f.agency_id for f in features]
        self.paths, self.labels = {}, {}
        for f, rings in zip(features, projected):
            screen = [[self.screen(x, y) for x, y in ring] for ring in rings]
            self.paths[f.agency_id] = path_data(screen, digits)
            self.labels[f.agency_id] = label_point(screen)

    def screen(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.x0) * self.k, (self.y1 - y) * self.k

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return self.screen(*mercator(lon, lat))


def _num(v: float, digits: int) -> str:
    text = f"{v:.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    text = text.replace("-0.", "-.") if text.startswith("-0.") else text
    text = text[1:] if text.startswith("0.") else text
    return "0" if text in ("", "-0", "-") else text


def _pair(dx: float, dy: float, digits: int) -> str:
    a, b = _num(dx, digits), _num(dy, digits)
    return a + ("" if b.startswith("-") else " ") + b


def path_data(rings: list[list[tuple[float, float]]], digits: int) -> str:
    """SVG path data for rings in screen units: relative moves, points closer than the
    rounding step dropped."""
    step = 10**-digits
    parts = []
    for ring in rings:
        pts = []
        for x, y in ring:
            q = (round(x / step), round(y / step))
            if not pts or q != pts[-1]:
                pts.append(q)
        if len(pts) < 3:
            pts = pts + [(pts[0][0] + 1, pts[0][1])] * (3 - len(pts))  # a speck stays visible
        out = ["M" + _pair(pts[0][0] * step, pts[0][1] * step, digits)]
        moves = [_pair((b[0] - a[0]) * step, (b[1] - a[1]) * step, digits) for a, b in zip(pts, pts[1:])]
        out.append("l" + " ".join(moves).replace(" -", "-"))
        parts.append("".join(out) + "z")
    return "".join(parts)


def label_lines(label: str, size: float, room: float) -> list[str]:
    """A label on one line, or on two broken at the space nearest its middle when one line
    would be wider than the room it has."""
    if len(label) * size * GLYPH_WIDTH <= room or " " not in label:
        return [label]
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return [label[:cut], label[cut + 1 :]]


def svg_map(
    base: Basemap,
    styles: dict[str, str],
    labels: dict[str, str],
    title: str,
    names: dict[str, str] | None = None,
    font_size: float = 11,
    stroke: float = 0.5,
    label_size: float | None = None,
) -> str:
    """An SVG map: each unit filled by its style (see STYLES; 'other' where none is given),
    a symbol on each unit whose style has one, and the archipelago names from labels."""
    names = names or {}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {base.width} {base.height}" '
        f'width="{base.width}" height="{base.height}" font-family="{FONT}">',
        f"<title>{escape(title)}</title>",
        f"<defs>{HATCH}</defs>",
        f'<g stroke="{BORDER}" stroke-width="{stroke:g}" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    symbols = []
    for agency_id in base.ids:
        fill, symbol, colour = STYLES[styles.get(agency_id, "other")]
        name = f"<title>{escape(names[agency_id])}</title>" if agency_id in names else ""
        out.append(f'<path fill="{fill}" d="{base.paths[agency_id]}">{name}</path>')
        if symbol:
            x, y = base.labels[agency_id]
            symbols.append(f'<text x="{x:.1f}" y="{y:.1f}" dy=".35em" fill="{colour}">{symbol}</text>')
    out.append("</g>")
    if symbols:
        out.append(
            f'<g font-size="{font_size * 0.85:g}" font-weight="bold" text-anchor="middle" '
            f'stroke="#ffffff" stroke-width="{font_size / 5:g}" paint-order="stroke">' + "".join(symbols) + "</g>"
        )
    label_size = label_size or font_size
    out.append(f'<g font-size="{label_size:g}" fill="#333333" text-anchor="end" font-style="italic">')
    for key, lat, direction in ARCHIPELAGO_LABELS:
        x, y = base.point(COAST_LON, lat)
        if not label_size <= y <= base.height:  # outside the map: one of a few provinces may not reach the sea
            continue
        lines = label_lines(labels[key], label_size, base.width - 2 - x)
        if direction > 0:
            baselines = [y + i * label_size * 1.15 for i in range(len(lines))]
        else:
            baselines = [y - (len(lines) - 1 - i) * label_size * 1.15 for i in range(len(lines))]
        for line, baseline in zip(lines, baselines):
            out.append(f'<text x="{base.width - 2}" y="{baseline:.1f}">{escape(line)}</text>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"
