"""What lets people reuse a page: its figures (charts and maps offered for download and
embedding), its citation, and the snippet that embeds a figure elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from scoreboard.pages.formatting import Locale
from scoreboard.pages.urls import lang_root, page_dir, page_url

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass
class Figure:
    """One chart or map as the site shows and shares it.

    slug names its files and its embed page; path is the in-page SVG under the docs dir;
    page is the .md page it belongs to; lines are the source, licence and address lines
    written under the title inside the downloaded image; legend its key (maps: a fill, a
    symbol and words per entry). svg is the drawing the page shows (a map's, drawn with the
    page; a chart's, once charts are drawn: see job). card: whether it makes its page's
    social card (the page's first figure)."""

    slug: str
    lang: str
    path: str
    page: str
    title: str
    sources: list[str]
    url: str
    job: dict | None = None  # a chart job (figures.charts): drawn into svg by the site stage
    svg: str | None = None
    alt: str = ""
    lines: list[str] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    card: bool = False
    narrow_path: str | None = None  # a chart's phone variant, for its embed page
    height: int = 0  # the framed figure's height at its own width (set by the site stage)

    @property
    def is_map(self) -> bool:
        """Province maps come pre-drawn; the site calls them maps, not charts."""
        return self.job is None

    @property
    def download_svg_path(self) -> str:
        return self.path[: -len(".svg")] + ".download.svg"

    @property
    def download_name(self) -> str:
        """The name a downloaded PNG or SVG gets on the reader's disk."""
        return f"scoreboard-{self.slug}-{self.lang}"

    @property
    def card_path(self) -> str:
        """The page's social card (1,200 x 630 PNG), beside the page."""
        return card_path(self.page)


def card_path(page: str) -> str:
    return f"{page_dir(page) or 'index'}.card.png"


@dataclass
class Citation:
    """A page's citation as plain text and BibTeX. The access date is a placeholder that
    the page's script replaces with today's date (the HTML itself stays reproducible)."""

    text: str
    bibtex: str
    url: str
    release: str
    placeholder: str


def bibtex_escape(text: str) -> str:
    out = str(text)
    for ch in "\\{}":
        out = out.replace(ch, "")
    for ch in "&%$#_":
        out = out.replace(ch, "\\" + ch)
    return out


def citation(loc: Locale, page: str, title: str, release: dict | None, year: str) -> Citation:
    url = page_url(loc.lang, page)
    site = loc.t("site_name")
    version = release["version"] if release else ""
    placeholder = loc.t("share.access_date_placeholder")
    text = loc.t("share.cite_text", site=site, title=title, release=version, url=url, date=placeholder)
    key = "scoreboard-" + "".join(c if c.isalnum() else "-" for c in page[:-3]).strip("-")
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author       = {{{{{bibtex_escape(site)}}}}},",
            f"  title        = {{{{{bibtex_escape(title)}}}}},",
            f"  year         = {{{year}}},",
            f"  version      = {{{bibtex_escape(version)}}},",
            f"  url          = {{{url}}},",
            f"  urldate      = {{{loc.t('share.access_date_iso_placeholder')}}},",
            f"  note         = {{{bibtex_escape(loc.t('share.cite_note', release=version))}}},",
            "}",
        ]
    )
    return Citation(text, bibtex, url, version, placeholder)


# Embedded figures fit their frame: the embed page tells its parent its height (site_src/
# assets/embed.js) and this snippet's script applies it; without the script, the frame's
# height is the figure's own at the embed's widest.
EMBED_WIDTH = 760
RESIZE_SCRIPT = (
    "<script>window.addEventListener('message',function(e){var h=e.data&&e.data.scoreboardEmbedHeight;"
    "if(typeof h!=='number')return;document.querySelectorAll('iframe[data-scoreboard-embed]').forEach("
    "function(f){if(f.contentWindow===e.source)f.style.height=Math.ceil(h)+'px'})})</script>"
)


def embed_height(width: int, height: int) -> int:
    """The height of a figure's embed page at its widest: its title, the figure scaled to
    the embed's width (less the page's margins), and the source and licence lines."""
    return round((EMBED_WIDTH - 24) * height / width) + 170


def iframe_snippet(loc: Locale, slug: str, title: str, width: int, height: int) -> str:
    """The HTML a reader copies to embed a figure elsewhere (absolute address)."""
    src = lang_root(loc.lang) + f"embed/{slug}/"
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{embed_height(width, height)}" '
        f'style="border:0;max-width:{EMBED_WIDTH}px" loading="lazy" data-scoreboard-embed></iframe>{RESIZE_SCRIPT}'
    )
