"""Each language's sitemap, with the other language's version of every page, and robots.txt."""

from __future__ import annotations

import gzip
from pathlib import Path

from scoreboard.pages import urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def write_sitemaps(folders: dict[str, Path], pages: dict[str, list[str]]) -> None:
    """Each language's sitemap lists its pages (their Markdown paths, as the docs folder had
    them) with both languages' versions as xhtml:link alternates (a page in one language only
    gets no alternates), replacing the engine's. Written in a fixed order with no build date,
    so two builds give the same bytes; the .gz copy is rewritten to match (with no time stamp)."""
    roots = {lang: urls.lang_root(lang) for lang in folders}
    pages = {lang: sorted(urls.page_path(page) for page in pages[lang]) for lang in folders}
    listed = {lang: set(urls_) for lang, urls_ in pages.items()}
    for lang, folder in folders.items():
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
        ]
        for rel in pages[lang]:
            lines += ["  <url>", f"    <loc>{_xml(roots[lang] + rel)}</loc>"]
            versions = [other for other in roots if rel in listed[other]]
            if len(versions) > 1:
                for other in versions:
                    href = _xml(roots[other] + rel)
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{other}" href="{href}"/>')
            lines.append("  </url>")
        lines.append("</urlset>")
        text = ("\n".join(lines) + "\n").encode("utf-8")
        (folder / "sitemap.xml").write_bytes(text)
        (folder / "sitemap.xml.gz").write_bytes(gzip.compress(text, mtime=0))


def write_robots(site: Path, folders: dict[str, Path]) -> None:
    """robots.txt at the site's root: every page may be crawled, and each language's sitemap,
    by its absolute address. Embed pages are not disallowed: they carry
    <meta name="robots" content="noindex">, which a crawler reads only on a page it may fetch.
    Crawlers read robots.txt only at a host's root: a site published under a path (a project's
    Pages site) has its file there too, harmlessly unread."""
    lines = [
        "# Vietnam Digital Transformation Scoreboard · Bảng theo dõi chuyển đổi số quốc gia",
        "User-agent: *",
        "Allow: /",
        "",
    ]
    lines += [
        f"Sitemap: {urls.lang_root(lang)}sitemap.xml"
        for lang, folder in folders.items()
        if (folder / "sitemap.xml").exists()
    ]
    (site / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
