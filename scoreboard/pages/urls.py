"""Where every page and file lives, and the addresses that link to them.

Pages are named by their Markdown source (`indicators/x.md`), as MkDocs sees them; links
between generated pages are relative, so a site works from any folder; absolute
addresses (canonical links, citations, embed snippets, the feed, the sitemap) derive from
one setting, SCOREBOARD_SITE_URL (CI sets it to the published address; local builds use
http://127.0.0.1:8000/).
"""

from __future__ import annotations

import os
import posixpath

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
LANG_PREFIX = {"vi": "", "en": "en/"}
GROUP_SLUG = {"central": "ministries", "local": "provinces"}  # league-table URLs use these words


def indicator_page(indicator_id: str) -> str:
    return f"indicators/{indicator_id}.md"


def period_page(period_id: str) -> str:
    return f"periods/{period_id}.md"


def agency_page(agency_id: str) -> str:
    return f"agencies/{agency_id}.md"


def league_page(period_id: str, group: str) -> str:
    return f"agencies/league-{period_id}-{GROUP_SLUG[group]}.md"


def embed_page(slug: str) -> str:
    """Path of a figure's embed page under a language's docs dir."""
    return f"embed/{slug}/index.html"


def page_dir(page: str) -> str:
    """Directory URL of a page under MkDocs' directory URLs: indicators/x.md -> indicators/x."""
    stem = page[:-3]
    if stem == "index":
        return ""
    return stem[: -len("/index")] if stem.endswith("/index") else stem


def site_url() -> str:
    """The Vietnamese site's root address, ending in a slash."""
    url = os.environ.get("SCOREBOARD_SITE_URL", "").strip() or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def lang_root(lang: str) -> str:
    return site_url() + LANG_PREFIX[lang]


def page_path(page: str) -> str:
    """A page's (.md) address under its language's root: '' for the home page, 'x/' otherwise."""
    path = page_dir(page)
    return path + "/" if path else ""


def page_url(lang: str, page: str) -> str:
    """Permanent address of a generated page (.md) or file under one language's site."""
    return lang_root(lang) + (page_path(page) if page.endswith(".md") else page)


def relative(from_page: str, target: str) -> str:
    """A link from one generated page to another page (.md) or to a file, as a relative URL."""
    base = page_dir(from_page) or "."
    if target.endswith(".md"):
        dest = page_dir(target) or "."
        rel = posixpath.relpath(dest, base)
        return "./" if rel == "." else rel + "/"
    return posixpath.relpath(target, base)
