"""Addresses, citations and embed pages: what lets people link to, cite and reuse a page.

The site's public address comes from one setting, SCOREBOARD_SITE_URL (CI sets it to the
GitHub Pages URL; local builds use http://127.0.0.1:8000/). Everything that needs an
absolute address (canonical links, the sitemap, Open Graph images, citations, the
feed, iframe snippets) derives it from site_url().
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from scoreboard.pages.formatting import Locale

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
LANG_PREFIX = {"vi": "", "en": "en/"}
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def site_url() -> str:
    """The Vietnamese site's root address, ending in a slash."""
    url = os.environ.get("SCOREBOARD_SITE_URL", "").strip() or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def lang_root(lang: str) -> str:
    return site_url() + LANG_PREFIX[lang]


def page_url(lang: str, page: str) -> str:
    """Permanent address of a generated page (.md) or file under one language's site."""
    from scoreboard.pages.render import page_dir

    if not page.endswith(".md"):
        return lang_root(lang) + page
    path = page_dir(page)
    return lang_root(lang) + (path + "/" if path else "")


def embed_page(slug: str) -> str:
    """Path of a figure's embed page under a language's docs dir."""
    return f"embed/{slug}/index.html"


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
    from html import escape

    src = lang_root(loc.lang) + f"embed/{slug}/"
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="520" '
        'style="border:0;max-width:760px" loading="lazy"></iframe>'
    )
