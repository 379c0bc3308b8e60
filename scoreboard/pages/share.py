"""What lets people reuse a page: its figures (charts and maps offered for download and
embedding), its citation, and the snippet that embeds a figure elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from scoreboard.pages.formatting import Locale
from scoreboard.pages.urls import lang_root, page_url

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass
class Figure:
    """One chart or map as the site shows and shares it.

    slug names its files and its embed page; path is the in-page SVG under the docs dir;
    page is the .md page it belongs to; lines are the source, licence and address lines
    written under the title inside a downloaded image. svg is the drawing the page shows
    (a map's, drawn with the page; a chart's, once charts are drawn: see job)."""

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

    @property
    def is_map(self) -> bool:
        """Province maps come pre-drawn; the site calls them maps, not charts."""
        return self.job is None

    @property
    def png_path(self) -> str:
        return self.path[: -len(".svg")] + ".png"

    @property
    def download_svg_path(self) -> str:
        return self.path[: -len(".svg")] + ".download.svg"


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


def iframe_snippet(loc: Locale, slug: str, title: str) -> str:
    """The HTML a reader copies to embed a figure elsewhere (absolute address)."""
    src = lang_root(loc.lang) + f"embed/{slug}/"
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="520" '
        'style="border:0;max-width:760px" loading="lazy"></iframe>'
    )
