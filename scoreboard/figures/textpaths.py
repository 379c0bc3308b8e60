"""Text as glyph outlines, so that resvg draws a download PNG without laying out text.

resvg (through vl-convert) opens and shapes its font again for every glyph it draws: about
0.17 ms a glyph, most of a chart PNG's drawing time (measured: one chart drew in 59 ms with
its text, 9 ms without). The PNGs use one family, DejaVu Sans (figures.PNG_FONT), and their
text needs little of a shaper: the font's advances, its pair kerning (GPOS 'kern') and, in
Latin text, its f-ligatures (GSUB 'liga'). outlined() lays text out that way from the font's
own tables (fontTools) and replaces each <text> with its glyphs as <path>s, which resvg
fills like any other shape.

A text this module cannot lay out exactly as resvg would (another family, a letter the font
lacks, a combining mark, a right-to-left letter, a layout attribute it does not know) is left
as text, for resvg to draw: slower, never different.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from functools import cache
from pathlib import Path

FAMILY = "DejaVu Sans"
FACES = {  # (bold, oblique) -> file, as resvg's font matching picks them from that family
    (False, False): "DejaVuSans.ttf",
    (True, False): "DejaVuSans-Bold.ttf",
    (False, True): "DejaVuSans-Oblique.ttf",
    (True, True): "DejaVuSans-BoldOblique.ttf",
}
WEIGHTS = {"normal": False, "400": False, "bold": True, "700": True}
STYLES = {"normal": False, "italic": True, "oblique": True}
# Inherited properties this module lays out; with any other that changes layout, on the text
# or an ancestor, the text is left to resvg.
LAID_OUT = ("font-family", "font-size", "font-weight", "font-style", "text-anchor")
UNKNOWN_LAYOUT = frozenset(
    "style font font-variant font-stretch font-kerning font-feature-settings letter-spacing word-spacing "
    "text-decoration dominant-baseline alignment-baseline baseline-shift writing-mode direction unicode-bidi "
    "xml:space textLength lengthAdjust rotate text-rendering".split()
)
POSITION = ("x", "y", "dx", "dy")

TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
ATTRIBUTE = re.compile(r"([^\s=]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
SPAN = re.compile(r"<tspan\b([^>]*)>([^<]*)</tspan>|([^<]+)")
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu")


class FigureError(Exception):
    """A figure cannot be drawn as asked (for example: no font with Vietnamese glyphs)."""


@cache
def font_directory() -> str:
    """The folder of DejaVu Sans (Debian: fonts-dejavu-core), or SCOREBOARD_FONT_DIR."""
    candidates = [os.environ["SCOREBOARD_FONT_DIR"]] if os.environ.get("SCOREBOARD_FONT_DIR") else list(FONT_DIRS)
    for folder in candidates:
        if (Path(folder) / "DejaVuSans.ttf").exists():
            return folder
    raise FigureError(
        "PNG charts need the DejaVu Sans font (Vietnamese glyphs) and it was not found in "
        + ", ".join(candidates)
        + ": install it with `apt-get install fonts-dejavu-core`, or set SCOREBOARD_FONT_DIR "
        "to a folder holding DejaVuSans.ttf"
    )


class Unsupported(Exception):
    """A text this module does not lay out: resvg draws it."""


def outlined(svg: str, font_dir: str) -> str:
    """The SVG with every <text> it can lay out drawn as glyph outlines (see the module)."""
    out, at, skip, inherited = [], 0, 0, [{}]
    for tag in TAG.finditer(svg):
        if tag.start() < skip:
            continue  # inside a text already handled
        closing, name, attributes, empty = tag.groups()
        if closing:
            if len(inherited) > 1:
                inherited.pop()
            continue
        attrs = _attributes(attributes)
        context = {**inherited[-1], **{k: v for k, v in attrs.items() if k in LAID_OUT or k in UNKNOWN_LAYOUT}}
        if name == "text" and not empty:
            end = svg.find("</text>", tag.end())
            if end < 0:
                break
            skip = end + len("</text>")
            try:
                drawn = _glyphs(attrs, context, svg[tag.end() : end], font_dir)
            except Unsupported:
                continue  # left as text
            out += [svg[at : tag.start()], drawn]
            at = skip
            continue
        if not empty:
            inherited.append(context)
    out.append(svg[at:])
    return "".join(out)


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
        for m in ATTRIBUTE.finditer(text)
    }


def _glyphs(attrs: dict, context: dict, content: str, font_dir: str) -> str:
    """The text element as <g> (its own painting attributes) holding one <path> a glyph."""
    if any(key in UNKNOWN_LAYOUT for key in context):
        raise Unsupported("layout attribute")
    family = context.get("font-family", "").split(",")[0].strip().strip("'\"")
    if family != FAMILY:
        raise Unsupported(family)
    try:
        bold, oblique = WEIGHTS[context.get("font-weight", "normal")], STYLES[context.get("font-style", "normal")]
    except KeyError:
        raise Unsupported("weight or style") from None
    face = _face(str(Path(font_dir) / FACES[bold, oblique]))
    size = _length(context.get("font-size", "12"), 12.0)
    anchor = context.get("text-anchor", "start")
    if anchor not in ("start", "middle", "end"):
        raise Unsupported(anchor)

    spans = list(SPAN.finditer(content))
    if sum(len(span.group(0)) for span in spans) != len(content):  # they match in order, never overlapping
        raise Unsupported("markup inside the text")
    pieces = []  # (position attributes, text)
    for span in spans:
        if span.group(3) is not None:
            pieces.append(({}, span.group(3)))
        else:
            span_attrs = _attributes(span.group(1))
            if set(span_attrs) - set(POSITION):
                raise Unsupported("tspan attribute")
            pieces.append((span_attrs, span.group(2)))
    texts = [html.unescape(text) for _, text in pieces]
    whole = "".join(texts)
    if not whole or whole != whole.strip(" ") or "  " in whole or any(c in whole for c in "\t\n\r"):
        raise Unsupported("white space that SVG would collapse")

    x = _coordinate(attrs.get("x"), size) + _coordinate(attrs.get("dx"), size)
    y = _coordinate(attrs.get("y"), size) + _coordinate(attrs.get("dy"), size)
    chunks = []  # one for each absolute position: [anchor x, [(glyph, x offset, baseline)], width]
    for (span_attrs, _), text in zip(pieces, texts, strict=True):
        if chunks and "y" in span_attrs and "x" not in span_attrs:
            raise Unsupported("a chunk that starts where the last one ended")
        if not chunks or "x" in span_attrs:
            x = _coordinate(span_attrs["x"], size) if chunks else x
            y = _coordinate(span_attrs["y"], size) if "y" in span_attrs else y
            chunks.append([x, [], 0.0])
        elif text and chunks[-1][1]:
            raise Unsupported("one chunk of text in several pieces")  # shaped across them
        pen = chunks[-1][2] + _coordinate(span_attrs.get("dx"), size)
        y += _coordinate(span_attrs.get("dy"), size)
        for glyph, advance in face.run(text, size):
            chunks[-1][1].append((glyph, pen, y))
            pen += advance
        chunks[-1][2] = pen

    kept = " ".join(
        f'{key}="{html.escape(value, quote=True)}"'
        for key, value in attrs.items()
        if key not in LAID_OUT and key not in POSITION
    )
    parts = [f"<g {kept}>" if kept else "<g>"]
    for start, glyphs, width in chunks:
        left = start - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
        for glyph, offset, baseline in glyphs:
            d = face.outline(glyph, size)
            if d:
                parts.append(f'<path transform="translate({_n(left + offset)},{_n(baseline)})" d="{d}"/>')
    parts.append("</g>")
    return "".join(parts)


def text_width(text: str, size: float, font_dir: str, bold: bool = False) -> float:
    """How wide `text` is at `size` in DejaVu Sans (kerned, as outlined() lays it out); a
    text it does not lay out is measured letter by letter, unknown letters as wide as 'M'."""
    face = _face(str(Path(font_dir) / FACES[bold, False]))
    try:
        return sum(advance for _, advance in face.run(text, size))
    except Unsupported:
        wide = face.advances[face.cmap[ord("M")]]
        return sum(face.advances.get(face.cmap.get(ord(c), ""), wide) for c in text) * size / face.units


def _length(value: str, size: float) -> float:
    value = value.strip()
    for unit, factor in (("px", 1.0), ("em", size), ("", 1.0)):
        number = value[: len(value) - len(unit)] if unit else value
        if value.endswith(unit) and NUMBER.fullmatch(number):
            return float(number) * factor
    raise Unsupported(value)


def _coordinate(value: str | None, size: float) -> float:
    if value is None or not value.strip():
        return 0.0
    if len(value.replace(",", " ").split()) != 1:
        raise Unsupported("a list of positions")
    return _length(value, size)


def _n(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class Face:
    """One font file's glyphs, advances, kerning and ligatures, read once per process."""

    def __init__(self, path: str):
        from fontTools.ttLib import TTFont

        font = TTFont(path)
        self.cmap = font.getBestCmap()
        self.units = font["head"].unitsPerEm
        self.advances = {name: advance for name, (advance, _) in font["hmtx"].metrics.items()}
        self.glyph_set = font.getGlyphSet()
        self.kerning = _kern_lookups(font, "latn")
        self.ligatures = _ligatures(font, "latn")
        self.pairs: dict = {}
        self.outlines: dict = {}

    def run(self, text: str, size: float) -> list[tuple[str, float]]:
        """(glyph, advance in user units) for each glyph of the text, with the font's Latin
        ligatures and kerning. resvg shapes a text without letters (digits, signs) as
        'DFLT', not 'latn': DejaVu Sans kerns those characters alike in both (checked for
        every pair), and its ligatures need letters, so one set serves both."""
        for char in text:
            category = unicodedata.category(char)
            if category[0] == "M" or category in ("Cc", "Cf", "Zl", "Zp"):
                raise Unsupported("a mark or an invisible character")
            if unicodedata.bidirectional(char) in ("R", "AL", "AN", "RLE", "RLO", "RLI"):
                raise Unsupported("a right-to-left letter")
            if category[0] == "L" and "LATIN" not in unicodedata.name(char, ""):
                raise Unsupported("a letter of another script")
            if ord(char) not in self.cmap:
                raise Unsupported("a letter the font lacks")
        glyphs = self._ligated([self.cmap[ord(char)] for char in text])
        scale = size / self.units
        out = []
        for n, glyph in enumerate(glyphs):
            advance = self.advances[glyph]
            if n + 1 < len(glyphs):
                advance += self._kern(glyph, glyphs[n + 1])
            out.append((glyph, advance * scale))
        return out

    def _ligated(self, glyphs: list[str]) -> list[str]:
        out, n = [], 0
        while n < len(glyphs):
            for components, ligature in self.ligatures.get(glyphs[n], ()):
                if tuple(glyphs[n + 1 : n + 1 + len(components)]) == components:
                    out.append(ligature)
                    n += 1 + len(components)
                    break
            else:
                out.append(glyphs[n])
                n += 1
        return out

    def _kern(self, left: str, right: str) -> int:
        key = (left, right)
        if key not in self.pairs:
            self.pairs[key] = sum(_pair_value(lookup, left, right) for lookup in self.kerning)
        return self.pairs[key]

    def outline(self, glyph: str, size: float) -> str:
        """The glyph's outline at `size`, its origin at (0, 0), y down, as path data."""
        key = (glyph, size)
        if key not in self.outlines:
            from fontTools.pens.svgPathPen import SVGPathPen
            from fontTools.pens.transformPen import TransformPen

            pen = SVGPathPen(self.glyph_set, ntos=_n)
            scale = size / self.units
            self.glyph_set[glyph].draw(TransformPen(pen, (scale, 0, 0, -scale, 0, 0)))
            self.outlines[key] = pen.getCommands()
        return self.outlines[key]


@cache
def _face(path: str) -> Face:
    if not Path(path).is_file():
        raise Unsupported(path)
    return Face(path)


def _feature_lookups(table, script_tag: str, feature_tag: str) -> list:
    """The lookups of a feature for a script's default language, in the order they apply."""
    for record in table.ScriptList.ScriptRecord:
        if record.ScriptTag == script_tag and record.Script.DefaultLangSys is not None:
            indices = set()
            for index in record.Script.DefaultLangSys.FeatureIndex:
                feature = table.FeatureList.FeatureRecord[index]
                if feature.FeatureTag == feature_tag:
                    indices.update(feature.Feature.LookupListIndex)
            return [table.LookupList.Lookup[i] for i in sorted(indices)]
    return []


def _subtables(lookup) -> list:
    """A lookup's subtables, with extension subtables (type 7 in GSUB, 9 in GPOS) unwrapped."""
    return [getattr(sub, "ExtSubTable", sub) for sub in lookup.SubTable]


def _kern_lookups(font, script: str) -> list:
    lookups = _feature_lookups(font["GPOS"].table, script, "kern") if "GPOS" in font else []
    for lookup in lookups:
        for sub in _subtables(lookup):
            if sub.LookupType != 2 or sub.ValueFormat2 or (sub.ValueFormat1 & ~0x0004):
                raise Unsupported(f"kerning lookup type {sub.LookupType}")
    return [_subtables(lookup) for lookup in lookups]


def _pair_value(subtables: list, left: str, right: str) -> int:
    """The advance adjustment one kerning lookup gives the pair: the first subtable whose
    coverage holds `left` and that knows the pair decides (as in HarfBuzz)."""
    for sub in subtables:
        if left not in sub.Coverage.glyphs:
            continue
        if sub.Format == 1:
            pair_set = sub.PairSet[sub.Coverage.glyphs.index(left)]
            for record in pair_set.PairValueRecord:
                if record.SecondGlyph == right:
                    return getattr(record.Value1, "XAdvance", 0) or 0
            continue
        first, second = sub.ClassDef1.classDefs.get(left, 0), sub.ClassDef2.classDefs.get(right, 0)
        value = sub.Class1Record[first].Class2Record[second].Value1
        return getattr(value, "XAdvance", 0) or 0
    return 0


def _ligatures(font, script: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """first glyph -> [(the glyphs after it, ligature)], longest first, for 'liga'."""
    out: dict[str, list] = {}
    lookups = _feature_lookups(font["GSUB"].table, script, "liga") if "GSUB" in font else []
    for lookup in lookups:
        for sub in _subtables(lookup):
            if sub.LookupType != 4:
                raise Unsupported(f"ligature lookup type {sub.LookupType}")
            for first, ligatures in sub.ligatures.items():
                for ligature in ligatures:
                    out.setdefault(first, []).append((tuple(ligature.Component), ligature.LigGlyph))
    for first in out:
        out[first].sort(key=lambda item: -len(item[0]))
    return out
