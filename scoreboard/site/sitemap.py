"""Each language's sitemap, with the other language's version of every page, and robots.txt."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from scoreboard.pages import urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def write_sitemaps(folders: dict[str, Path]) -> None:
    """Each language's sitemap (in its folder, as the engine wrote it) lists its pages with
    both languages' versions as xhtml:link alternates (a page in one language only gets no
    alternates). Written in a fixed order with no build date, so two builds give the same
    bytes; the .gz copy is rewritten to match (with no time stamp)."""
    roots = {lang: urls.lang_root(lang) for lang in folders}
    pages: dict[str, list[str]] = {}
    for lang, folder in folders.items():
        path = folder / "sitemap.xml"
        if not path.exists():
            return
        locs = [el.text or "" for el in ET.parse(path).getroot().iter(f"{{{SITEMAP_NS}}}loc")]
        pages[lang] = sorted(loc[len(roots[lang]) :] for loc in locs if loc.startswith(roots[lang]))
    for lang, folder in folders.items():
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
        ]
        for rel in pages[lang]:
            lines += ["  <url>", f"    <loc>{_xml(roots[lang] + rel)}</loc>"]
            versions = [other for other in roots if rel in pages[other]]
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
