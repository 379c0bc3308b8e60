"""Download, embed, cite and share (issues 11 and 12): figure images, embed pages,
citations, releases, the Atom feed, the sitemap and the page metadata.

Rules are tested on the synthetic fixture; the built real site only for properties
that hold whatever data/ holds (never one of its figures).
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from scoreboard import store
from scoreboard.data import model
from scoreboard.derive import derive_all
from scoreboard.figures import charts, textpaths
from scoreboard.figures import frame as figures
from scoreboard.pages import releases, render, share, urls
from scoreboard.pages.formatting import Locale
from scoreboard.site import build as site
from scoreboard.site import docs
from tests.conftest import ROOT, read_rows

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which must come first)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


# --- figures: framed downloads and social cards --------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_figure(synthetic):
    """A chart of the synthetic data, as the site registers and draws it (Vietnamese)."""
    rendered = render.render_language(synthetic, derive_all(synthetic), "vi", ROOT)
    figure = next(f for f in rendered.figures if not f.is_map)
    drawn = docs.Drawings(store.Store(None)).chart(figure.job)
    return dataclasses.replace(figure, svg=drawn.decode("utf-8"), title="Tỷ lệ người dân được kết nối")


def test_the_download_is_the_framed_figure_with_its_text_as_outlines(synthetic_figure):
    f = synthetic_figure
    svg = figures.download_svg(f.svg, f.title, f.lines, f.alt, f.legend)
    assert svg.startswith("<svg") and charts.is_whole_svg(svg)
    assert re.findall(r"<text\b[^>]*>[^<]+</text>", svg) == []  # every word drawn as outlines: no font needed
    title = html.unescape(re.search(r"<title>(.*?)</title>", svg).group(1))
    desc = html.unescape(re.search(r"<desc>(.*?)</desc>", svg, re.S).group(1))
    assert title == "Tỷ lệ người dân được kết nối"
    loc = Locale("vi")
    assert loc.t("share.licence") in desc and urls.page_url("vi", f.page) in desc
    for source in f.sources:
        assert source in desc
    assert figures.svg_width(svg) > figures.svg_width(f.svg)  # the frame around the chart
    # the framed drawing is the chart the page shows, every mark of it
    marks = re.findall(r'<path[^>]* d="(M[^"]{20,})"', f.svg)
    assert marks and all(d in svg for d in marks)


def test_the_card_is_the_framed_figure_at_1200_by_630(synthetic_figure):
    f = synthetic_figure
    framed = figures.download_svg(f.svg, f.title, f.lines, f.alt, f.legend)
    card = figures.card_png(framed)
    assert png_size(card) == (figures.CARD_WIDTH, figures.CARD_HEIGHT) == (1200, 630)
    assert figures.card_png(framed) == card  # reproducible


def test_a_map_download_carries_its_legend(synthetic_figure):
    drawing = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 120" width="200" height="120">'
        '<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#f6c9b8"/></pattern></defs>'
        '<path d="M10 10h50v40z" fill="url(#hatch)"/></svg>'
    )
    legend = [
        {"fill": "#1f6f43", "symbol": "", "symbol_colour": None, "words": "Đạt"},
        {"fill": "url(#hatch)", "symbol": "✖", "symbol_colour": "#7a0c0c", "words": "Chưa đạt"},
    ]
    framed = figures.framed_svg(drawing, "Bản đồ: kế hoạch", ["Nguồn: báo cáo"], figures.PNG_FONT, legend)
    assert ">Đạt<" in framed and ">Chưa đạt<" in framed and 'fill="url(#hatch)"' in framed
    swatches = re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="14" height="14"', framed)
    assert len(swatches) == 2 and float(swatches[0]) > 120  # under the map
    assert png_size(figures.card_png(framed)) == (1200, 630)


@pytest.mark.parametrize("width", [260, 480])  # a locator map, a league map
def test_framed_title_and_lines_fit_the_figure_in_the_png_font(width):
    """A long title and a page address wrap to the figure's width as DejaVu Sans measures
    them (bold for the title), losing no word; on a narrow map the address is broken."""
    from scoreboard.figures import textpaths

    drawing = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="90" viewBox="0 0 {width} 90"></svg>'
    title = "Đã ban hành Kế hoạch hoạt động năm 2024 của Ban Chỉ đạo chuyển đổi số (Bản đồ)"
    footer = [
        "Nguồn: Báo cáo tóm tắt: Sơ kết 06 tháng đầu năm 2024",
        "http://127.0.0.1:8000/agencies/league-2024-H1-provinces/",
    ]
    svg = figures.framed_svg(drawing, title, footer, figures.PNG_FONT)
    texts = [
        (int(size), bool(bold), html.unescape(text))
        for size, bold, text in re.findall(
            r'<text [^>]*font-size="(\d+)"( font-weight="bold")?[^>]*>([^<]*)</text>', svg
        )
    ]
    assert " ".join(text for size, _, text in texts if size == 16) == title
    assert "".join(text for size, _, text in texts if size == 12).replace(" ", "") == "".join(footer).replace(" ", "")
    if width == 260:
        assert footer[1] not in svg
    for size, bold, text in texts:
        assert textpaths.text_width(text, size, textpaths.font_directory(), bold) <= width, text


def test_missing_font_is_a_clear_message(monkeypatch):
    monkeypatch.setenv("SCOREBOARD_FONT_DIR", "/nonexistent-fonts")
    textpaths.font_directory.cache_clear()
    try:
        with pytest.raises(textpaths.FigureError, match="fonts-dejavu-core"):
            textpaths.font_directory()
    finally:
        monkeypatch.delenv("SCOREBOARD_FONT_DIR")
        textpaths.font_directory.cache_clear()


# --- addresses and citations ---------------------------------------------------------------------


def test_site_url_is_one_setting(monkeypatch):
    monkeypatch.setenv("SCOREBOARD_SITE_URL", "https://example.org/scoreboard")
    assert urls.site_url() == "https://example.org/scoreboard/"
    assert urls.page_url("en", "indicators/x.md") == "https://example.org/scoreboard/en/indicators/x/"
    assert urls.page_url("vi", "index.md") == "https://example.org/scoreboard/"
    monkeypatch.delenv("SCOREBOARD_SITE_URL")
    assert urls.site_url() == urls.DEFAULT_SITE_URL


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_citation_has_permanent_url_release_and_access_date_placeholder(lang, monkeypatch):
    monkeypatch.setenv("SCOREBOARD_SITE_URL", "https://example.org/")
    loc = Locale(lang)
    cite = share.citation(loc, "indicators/x.md", "A & B_c", {"version": "2024-H1.1"}, "2024")
    url = "https://example.org/" + ("en/" if lang == "en" else "") + "indicators/x/"
    assert url in cite.text and "2024-H1.1" in cite.text
    assert loc.t("share.access_date_placeholder") in cite.text
    assert f"url          = {{{url}}}" in cite.bibtex
    assert "A \\& B\\_c" in cite.bibtex  # BibTeX special characters escaped
    assert cite.bibtex.startswith("@misc{scoreboard-indicators-x,") and cite.bibtex.endswith("}")


# --- releases: list, zip, feed ---------------------------------------------------------------------


def test_releases_are_listed_newest_first_with_their_changes(synthetic):
    listed = releases.release_list(synthetic)
    assert [r["version"] for r in listed] == ["2025-H1", "2024-H1.1", "2024-H1", "2023"]
    assert releases.current(synthetic)["version"] == "2025-H1"
    corrected = listed[1]["changes"][0]
    assert (corrected["change"], corrected["old_value"], corrected["new_value"]) == ("corrected_value", "70", "80")


def test_release_zip_is_the_whole_dataset_and_byte_identical(synthetic_project):
    release = {"version": "2024-H1.1"}
    first = releases.zip_bytes(release, synthetic_project)
    assert releases.zip_bytes(release, synthetic_project) == first
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert names == sorted(names)
    assert "data/reference/datapackage.json" in names and releases.ZIP_LICENCE in names
    licence = zipfile.ZipFile(io.BytesIO(first)).read(releases.ZIP_LICENCE).decode("utf-8")
    assert "CC BY 4.0" in licence and "2024-H1.1" in licence
    assert "data/reference/releases.csv" in names
    for period in (synthetic_project / "data" / "periods").iterdir():
        assert f"data/periods/{period.name}/datapackage.json" in names
    for info in zipfile.ZipFile(io.BytesIO(first)).infolist():
        assert info.date_time == releases.ZIP_TIME


def test_the_release_zip_in_the_site_is_the_zip_of_the_data_as_it_is_now(synthetic_project):
    """The zip is kept in the store by what goes into it: an edit to the data gives a new zip."""
    site.build(synthetic_project)
    current = releases.current(model.load(synthetic_project))
    published = (synthetic_project / "site" / "data" / releases.zip_name(current)).read_bytes()
    assert published == releases.zip_bytes(current, synthetic_project)
    notes = synthetic_project / "data" / "README.md"  # the zip holds data/README.md too
    notes.write_text(notes.read_text(encoding="utf-8") + "\nA line more.\n", encoding="utf-8")
    site.build(synthetic_project)
    again = synthetic_project / "site" / "data" / releases.zip_name(current)
    assert again.read_bytes() != published
    assert again.read_bytes() == releases.zip_bytes(current, synthetic_project)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_feed_is_atom_and_lists_releases_and_periods(synthetic, lang):
    feed = ET.fromstring(releases.feed(Locale(lang), synthetic))
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(urls.LANG_PREFIX[lang] + "feed.xml")
    entries = feed.findall(f"{ATOM}entry")
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert (e.find(f"{ATOM}{tag}").text or "").strip(), tag
        assert stamp.match(e.find(f"{ATOM}updated").text)
        assert e.find(f"{ATOM}link").get("href").startswith(urls.lang_root(lang))
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids))
    for version in ("2023", "2024-H1", "2024-H1.1"):
        assert any(i.endswith(f"#release-{version}") for i in ids)
    for period in synthetic.period_ids:
        assert any(i.endswith(f"/periods/{period}/") for i in ids)
    # dates come from the data, never from the clock
    assert feed.find(f"{ATOM}updated").text == "2025-08-01T00:00:00Z"


def test_real_release_changes_agree_with_the_data(dataset):
    """Whatever data/ holds: every period was added by some release, and each recorded
    change names something that exists (a corrected value with its new value)."""
    versions = set(dataset.releases["version"])
    changes = dataset.release_changes.to_dict("records")
    assert all(c["version"] in versions for c in changes)
    added = {c["subject"] for c in changes if c["change"] == "added_period"}
    assert set(dataset.periods.index) <= added
    for c in changes:
        if c["change"] == "added_period":
            assert c["subject"] in dataset.periods.index
        elif c["change"] == "added_indicator":
            assert c["subject"] in dataset.indicators.index
        elif c["change"] == "added_agency":
            assert c["subject"] in dataset.agencies.index
        else:
            indicator_id, period, breakdown, source_id = c["subject"].split("/")
            obs = dataset.observations
            hit = obs[
                (obs.indicator_id == indicator_id)
                & (obs.period == period)
                & (obs.breakdown == breakdown)
                & (obs.source_id == source_id)
            ]
            assert list(hit["value"]) == [float(c["new_value"])]
    assert releases.current(dataset) is not None


def test_synthetic_correction_matches_the_fixture(synthetic):
    obs = synthetic.observations
    row = obs[(obs.indicator_id == "share-met") & (obs.period == "2024-H1")]
    assert list(row["value"]) == [80.0]


# --- the built site ------------------------------------------------------------------------------


def _html(built: Path, path: str) -> str:
    return (built / path / "index.html").read_text(encoding="utf-8")


def _charted(built: Path) -> list[str]:
    return sorted(p.stem for p in (built / "indicators").glob("*.svg") if "." not in p.stem)


def test_every_figure_has_a_download_and_an_embed_page_and_every_page_with_one_a_card(built):
    """Whatever data/ holds: every chart and map offers its framed SVG and an embed page; the
    build draws a PNG only for each page's social card."""
    for lang_dir in (built, built / "en"):
        lang = "en" if lang_dir != built else "vi"
        charted = _charted(lang_dir)
        assert charted
        for indicator_id in charted:
            assert (lang_dir / "indicators" / f"{indicator_id}.download.svg").exists()
            card = (lang_dir / "indicators" / f"{indicator_id}.card.png").read_bytes()
            assert png_size(card) == (1200, 630)
            embed = (lang_dir / "embed" / indicator_id / "index.html").read_text(encoding="utf-8")
            assert embed.startswith("<!doctype html>") and f'<html lang="{lang}">' in embed
            assert f"../../indicators/{indicator_id}.svg" in embed
            assert f'srcset="../../indicators/phone/{indicator_id}.svg"' in embed  # a phone gets the phone chart
            assert re.search(r'<a href="https?://[^"]+/indicators/' + re.escape(indicator_id) + '/"', embed)
            page = _html(lang_dir, f"indicators/{indicator_id}")
            assert f"embed/{indicator_id}/" in page and "&lt;iframe" in page
            link = re.search(r'<a class="sb-png" href="([^"]+)" download="([^"]+)" data-png="([^"]+)"', page)
            assert link.group(1) == f"../{indicator_id}.download.svg"
            assert link.group(3) == f"scoreboard-{indicator_id}-{lang}.png" and link.group(2).endswith(".svg")
    pngs = [p for p in built.resolve().rglob("*.png") if "assets" not in p.parts]
    assert pngs and all(p.name.endswith(".card.png") for p in pngs)


def test_embed_snippets_take_the_figures_height_and_resize(built):
    """Each snippet's height is its embed page's: the figure at the embed's width, plus its
    title and source lines (no fixed 520 that cuts a tall map)."""
    snippets = 0
    for page in (built / "en" / "agencies").glob("league-*/index.html"):
        text = html.unescape(page.read_text(encoding="utf-8"))
        for snippet in re.findall(r"<iframe [^>]*></iframe><script>.*?</script>", text):
            snippets += 1
            height = int(re.search(r'height="(\d+)"', snippet).group(1))
            slug = re.search(r'src="[^"]*/embed/([^/"]+)/"', snippet).group(1)
            embed = (built / "en" / "embed" / slug / "index.html").read_text(encoding="utf-8")
            width, tall = (int(x) for x in re.search(r'<img [^>]*width="(\d+)" height="(\d+)"', embed).groups())
            assert height == share.embed_height(width, tall) > tall * (share.EMBED_WIDTH - 24) / width
            assert "scoreboardEmbedHeight" in snippet and "data-scoreboard-embed" in snippet
    assert snippets or not list((built / "en" / "embed").glob("map-*"))


def test_cite_block_on_indicator_and_league_pages(built, dataset):
    version = releases.current(dataset)["version"]
    indicator = dataset.indicators.index[0]
    league = sorted((built / "agencies").glob("league-*"))[0].name
    for lang_dir, root in ((built, urls.lang_root("vi")), (built / "en", urls.lang_root("en"))):
        for path in (f"indicators/{indicator}", f"agencies/{league}"):
            text = _html(lang_dir, path)
            assert 'class="sb-cite"' in text and "@misc{" in text
            assert f"{root}{path}/" in text and version in text


def test_pages_declare_canonical_hreflang_description_and_open_graph(built):
    indicator = _charted(built)[0]
    for lang_dir, lang, other in ((built, "vi", "en"), (built / "en", "en", "vi")):
        text = _html(lang_dir, f"indicators/{indicator}")
        own = urls.lang_root(lang) + f"indicators/{indicator}/"
        twin = urls.lang_root(other) + f"indicators/{indicator}/"
        assert f'<link rel="canonical" href="{own}">' in text
        # rel is a list of words: "alternate " (see main.html) is the alternate link type
        alternate = re.search(f'<link rel="([^"]*)" hreflang="{other}" href="{re.escape(twin)}">', text)
        assert alternate and alternate.group(1).split() == ["alternate"]
        assert f'hreflang="{other}" href="{urls.lang_root(other)}"' not in text  # not the other home page
        assert re.search(r'<meta name="description" content="[^"]+">', text)
        assert f'<meta property="og:url" content="{own}">' in text
        assert f'<meta property="og:image" content="{urls.lang_root(lang)}indicators/{indicator}.card.png">' in text
        assert {"vi": "vi_VN", "en": "en_US"}[lang] in re.search(r'og:locale" content="([^"]+)"', text).group(1)
        # every page, generated or hand-written, has a description and the footer repository link
        for path in ("", "methodology", "periods"):
            page = _html(lang_dir, path) if path else (lang_dir / "index.html").read_text(encoding="utf-8")
            assert 'name="description"' in page and 'property="og:title"' in page
            assert 'class="sb-repository"' in page and "/issues" in page


def test_sitemap_lists_every_page_with_its_other_language(built):
    for lang, folder in (("vi", built), ("en", built / "en")):
        tree = ET.parse(folder / "sitemap.xml").getroot()
        listed = {u.find(f"{SITEMAP}loc").text: u for u in tree.findall(f"{SITEMAP}url")}
        pages = {
            p.parent.relative_to(folder).as_posix()
            for p in folder.rglob("index.html")
            if not p.relative_to(folder).as_posix().startswith(("en/", "embed/"))
        }
        root = urls.lang_root(lang)
        assert {root + (p + "/" if p != "." else "") for p in pages} == set(listed)
        page = next(u for loc, u in listed.items() if "/indicators/" in loc)
        links = {x.get("hreflang"): x.get("href") for x in page.findall(f"{XHTML}link")}
        loc_text = page.find(f"{SITEMAP}loc").text
        rel = loc_text[len(root) :]
        assert links == {"vi": urls.lang_root("vi") + rel, "en": urls.lang_root("en") + rel}


def test_downloads_page_lists_releases_with_the_zip_and_feed(built, dataset):
    current = releases.current(dataset)
    text = _html(built, "data")
    assert f'id="release-{current["version"]}"' in text
    zip_path = built / "data" / releases.zip_name(current)
    names = zipfile.ZipFile(zip_path).namelist()
    assert "data/reference/datapackage.json" in names
    assert (built / "en" / "data" / releases.zip_name(current)).read_bytes() == zip_path.read_bytes()
    for folder in (built, built / "en"):
        feed = ET.parse(folder / "feed.xml").getroot()
        assert {e.find(f"{ATOM}id").text.rsplit("#release-", 1)[-1] for e in feed.findall(f"{ATOM}entry")} >= set(
            dataset.releases["version"]
        )


def test_release_changes_file_is_declared_in_the_reference_package():
    rows = read_rows(ROOT / "data" / "reference" / "releases.csv")
    assert rows and all(r["version"] and r["date"] for r in rows)
    assert model.load(ROOT).releases is not None
