"""Download, embed, cite and share (issues 11 and 12): figure images, embed pages,
citations, releases, the Atom feed, the sitemap and the page metadata.

Rules are tested on the synthetic fixture; the built real site only for properties
that hold whatever data/ holds (never one of its figures).
"""

from __future__ import annotations

import dataclasses
import html
import io
import os
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from scoreboard.data import model
from scoreboard.figures import charts, textpaths
from scoreboard.figures import frame as figures
from scoreboard.pages import releases, render, share, urls
from scoreboard.pages.formatting import Locale
from scoreboard.site import build as site
from tests.conftest import ROOT, read_rows
from tests.test_browser import AXE, _skip_or_fail, browser, server  # noqa: F401 (fixtures)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which must come first)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG, in order."""
    kinds, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        kinds.append(kind)
        at += 12 + length
    return kinds


def assert_small_download_png(data: bytes) -> None:
    """A download PNG: at least PNG_MIN_WIDTH px wide and barely more (every pixel costs
    drawing time and bytes), a palette image (colour type 3, 8 bits), and nothing in it
    that could change between two builds (no time stamp, no text)."""
    width, _ = png_size(data)
    assert figures.PNG_MIN_WIDTH <= width <= figures.PNG_MIN_WIDTH * 1.01
    bit_depth, colour_type = data[24], data[25]
    assert (bit_depth, colour_type) == (8, 3), "not a palette PNG"
    kinds = png_chunks(data)
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"PLTE" in kinds
    assert set(kinds) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}, kinds


# --- figures: PNG and SVG downloads ------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_figure(synthetic):
    """A chart of the synthetic data, as the site registers it, with a Vietnamese title."""
    derived = render.derive_all(synthetic)
    indicator_id = next(i for i in synthetic.indicators.index if render.has_chart(derived, i))
    loc = Locale("vi")
    writer = render.PageWriter(render.environment(), Path("/nonexistent"), loc, synthetic, derived)
    job = charts.indicator_spec(
        derived.observations[indicator_id],
        derived.targets.get(indicator_id, []),
        synthetic.unit_of(indicator_id),
        loc,
    )
    source_ids = sorted({o["source_id"] for o in derived.observations[indicator_id]})
    return writer.figure(
        indicator_id,
        f"indicators/{indicator_id}.svg",
        job,
        urls.indicator_page(indicator_id),
        "Tỷ lệ người dân được kết nối",
        source_ids,
        "alt",
    )


def with_chart(figure: figures.Figure, docs: Path) -> Path:
    """docs with the figure's in-page chart drawn into it, as render_language leaves it
    before the downloads are written (they frame that drawing)."""
    charts.SvgRenderer().write_all([(docs / figure.path, figure.job)])
    return docs


def test_png_download_opens_is_wide_enough_and_is_reproducible(synthetic_figure, tmp_path):
    figures.DownloadRenderer().write(synthetic_figure, with_chart(synthetic_figure, tmp_path))
    first = (tmp_path / synthetic_figure.png_path).read_bytes()
    width, height = png_size(first)
    assert width >= 1200 and height > 300
    assert_small_download_png(first)
    assert len(first) < 150_000  # an RGBA drawing of the same chart is several times larger
    figures.DownloadRenderer().write(synthetic_figure, tmp_path)  # drawn again, no cache
    assert (tmp_path / synthetic_figure.png_path).read_bytes() == first


def test_png_cache_gives_the_same_bytes(synthetic_figure, tmp_path):
    cached = figures.DownloadRenderer(cache_dir=tmp_path / "cache")
    cached.write(synthetic_figure, with_chart(synthetic_figure, tmp_path / "a"))
    cached.write(synthetic_figure, with_chart(synthetic_figure, tmp_path / "b"))
    assert cached.reused == 2  # png and svg
    assert (tmp_path / "a" / synthetic_figure.png_path).read_bytes() == (
        tmp_path / "b" / synthetic_figure.png_path
    ).read_bytes()


def test_palette_png_keeps_the_drawn_colours_and_crisp_edges():
    """Re-encoding as a palette keeps pixels exact when the drawing has at most 256 colours
    (white stays white, series keep their colours), shows see-through pixels on white, and
    gives the same bytes each time."""
    from PIL import Image

    drawn = Image.new("RGBA", (40, 20), (0, 0, 0, 0))  # see-through: shown on white
    for x in range(40):
        for y in range(10, 20):
            drawn.putpixel((x, y), (11, 83, 148, 255) if x % 2 else (166, 28, 0, 255))  # a fine hatch
    raw = io.BytesIO()
    drawn.save(raw, "PNG")
    data = figures.palette_png(raw.getvalue())
    assert data == figures.palette_png(raw.getvalue())
    assert data[25] == 3  # palette
    with Image.open(io.BytesIO(data)) as image:
        pixels = image.convert("RGB")
    assert pixels.getpixel((0, 0)) == (255, 255, 255)
    assert pixels.getpixel((1, 15)) == (11, 83, 148) and pixels.getpixel((2, 15)) == (166, 28, 0)


def test_palette_png_keeps_the_most_used_colours_and_maps_rare_ones_to_the_nearest():
    """With more than 256 colours, the 256 most used stay exact and each rarer one (an
    anti-aliased pixel) takes the nearest of them."""
    from PIL import Image

    drawn = Image.new("RGB", (300, 10), (255, 255, 255))
    common = [(n, 255 - n, (7 * n) % 256) for n in range(255)]  # with white: 256 colours
    for x, colour in enumerate(common):
        for y in range(1, 10):  # each drawn 9 times; white fills the rest
            drawn.putpixel((x, y), colour)
    # each 6 (or 27) squared levels from one colour above and at least 25 from any other
    rare = {(1, 254, 2): (0, 255, 0), (101, 154, 190): (100, 155, 188), (252, 252, 252): (255, 255, 255)}
    for x, colour in enumerate(rare, start=260):
        drawn.putpixel((x, 5), colour)  # drawn once: rarer than every common colour
    raw = io.BytesIO()
    drawn.save(raw, "PNG")
    with Image.open(io.BytesIO(figures.palette_png(raw.getvalue()))) as image:
        assert image.mode == "P"
        pixels = image.convert("RGB")
    for x, colour in enumerate(common):
        assert pixels.getpixel((x, 5)) == colour
    assert pixels.getpixel((299, 0)) == (255, 255, 255)
    assert [pixels.getpixel((x, 5)) for x in range(260, 263)] == list(rare.values())


def test_png_scale_is_the_smallest_that_reaches_the_minimum_width():
    for width in (120, 333, 600, 695, 1000, 1199, 1200, 2400):
        scale = figures.png_scale(width)
        assert width * scale >= figures.PNG_MIN_WIDTH
        assert width * (scale - 0.01) < figures.PNG_MIN_WIDTH  # no more pixels than needed


def _text_png(text: str) -> bytes:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#fff"/>'
        f'<text x="10" y="40" font-family="{figures.PNG_FONT}" font-size="36">{html.escape(text)}</text></svg>'
    )
    return figures.draw_svg_png(svg)


def test_png_font_draws_vietnamese_letters_not_boxes():
    """A letter the font lacks is drawn as the same empty box whatever it is; the
    Vietnamese letters must each differ from that box and from each other."""
    box = _text_png("\ue000")
    assert _text_png("\ue001") == box  # two missing glyphs: the same box
    drawn = {ch: _text_png(ch) for ch in "ệởđ"}
    assert all(png != box for png in drawn.values())
    assert len(set(drawn.values())) == 3


def test_svg_download_carries_title_sources_licence_and_address(synthetic_figure, tmp_path):
    figures.DownloadRenderer().write(synthetic_figure, with_chart(synthetic_figure, tmp_path))
    svg = (tmp_path / synthetic_figure.download_svg_path).read_text(encoding="utf-8")
    loc = Locale("vi")
    assert "Tỷ lệ người dân được kết nối" in svg
    for title in synthetic_figure.sources:
        assert title.split()[0] in svg
    assert loc.t("share.licence") in svg
    assert urls.page_url("vi", synthetic_figure.page) in svg
    # the download frames the chart the page shows, every label of it; the in-page chart
    # is left as it was: the page around it says all this in HTML
    in_page = (tmp_path / synthetic_figure.path).read_text(encoding="utf-8")
    labels = re.findall(r"<text\b.*?</text>", in_page, flags=re.S)
    assert labels and all(label in svg for label in labels)
    assert loc.t("share.licence") not in in_page


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
    published = synthetic_project / "site" / "data" / releases.zip_name(current)
    assert published.read_bytes() == releases.zip_bytes(current, synthetic_project)
    csv = synthetic_project / "data" / "reference" / "releases.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    site.build(synthetic_project)
    again = synthetic_project / "site" / "data" / releases.zip_name(current)
    assert again.read_bytes() != published.read_bytes() or not published.exists()
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
    return sorted(p.stem for p in (built / "indicators").glob("*.png"))


def test_every_charted_indicator_has_downloads_and_an_embed_page(built):
    for lang_dir in (built, built / "en"):
        charted = sorted(p.stem for p in (lang_dir / "indicators").glob("*.svg") if ".download" not in p.name)
        assert charted
        for indicator_id in charted:
            png = (lang_dir / "indicators" / f"{indicator_id}.png").read_bytes()
            assert png_size(png)[0] >= 1200
            assert (lang_dir / "indicators" / f"{indicator_id}.download.svg").exists()
            embed = (lang_dir / "embed" / indicator_id / "index.html").read_text(encoding="utf-8")
            lang = "en" if lang_dir != built else "vi"
            assert embed.startswith("<!doctype html>") and f'<html lang="{lang}">' in embed
            assert f"../../indicators/{indicator_id}.svg" in embed
            assert re.search(r'<a href="https?://[^"]+/indicators/' + re.escape(indicator_id) + '/"', embed)
            page = _html(lang_dir, f"indicators/{indicator_id}")
            assert f"embed/{indicator_id}/" in page and "&lt;iframe" in page
            assert f'href="../{indicator_id}.png"' in page


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
        assert f'<link rel="alternate" hreflang="{other}" href="{twin}">' in text
        assert f'hreflang="{other}" href="{urls.lang_root(other)}"' not in text  # not the other home page
        assert re.search(r'<meta name="description" content="[^"]+">', text)
        assert f'<meta property="og:url" content="{own}">' in text
        assert f'<meta property="og:image" content="{urls.lang_root(lang)}indicators/{indicator}.png">' in text
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


# --- browser: the embed page at phone width -------------------------------------------------------


def test_embed_page_is_usable_and_accessible_at_360px(browser, server, synthetic_built):  # noqa: F811
    if not os.path.exists(AXE):
        _skip_or_fail("axe-core is not installed (run `npm ci`)")
    indicator = _charted(synthetic_built)[0]  # the browser tests' server serves the synthetic site
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        for path in (f"/embed/{indicator}/", f"/en/embed/{indicator}/"):
            page.goto(server + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            assert page.evaluate("document.querySelector('img').naturalWidth") > 0  # the chart loaded
            page.add_script_tag(path=AXE)
            result = page.evaluate(
                "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            )
            assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
        assert all(r.startswith(server) for r in requests), "the embed page fetched from another host"
    finally:
        context.close()


def test_map_downloads_are_cached_by_what_they_show(tmp_path):
    """A pre-drawn map's PNG and framed SVG are taken from the cache while its drawing, title
    and lines stay the same, and drawn again when any of them changes."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80" width="120" height="80">'
        '<path d="M10 10h50v40z" fill="{fill}"/></svg>'
    )
    figure = figures.Figure(
        "map-x", "vi", "agencies/maps/x.svg", "agencies/x.md", "Bản đồ", ["s"], "https://example.org/x/",
        svg=svg.format(fill="#0b5394"), lines=["Nguồn: báo cáo"],
    )  # fmt: skip
    renderer = figures.DownloadRenderer(cache_dir=tmp_path / "cache")
    png_path, svg_path = renderer.write(figure, tmp_path / "a")
    first_png, first_svg = png_path.read_bytes(), svg_path.read_text(encoding="utf-8")
    assert "Bản đồ" in first_svg and "Nguồn: báo cáo" in first_svg and "#0b5394" in first_svg
    renderer.write(figure, tmp_path / "b")
    assert (renderer.drawn, renderer.reused) == (2, 2)
    assert (tmp_path / "b" / figure.png_path).read_bytes() == first_png
    for changed in (
        dataclasses.replace(figure, svg=svg.format(fill="#a61c00")),
        dataclasses.replace(figure, title="Bản đồ khác"),
        dataclasses.replace(figure, lines=["Nguồn: báo cáo khác"]),
    ):
        png_path, svg_path = renderer.write(changed, tmp_path / "c")
        assert svg_path.read_text(encoding="utf-8") != first_svg
        assert png_path.read_bytes() != first_png
    assert (renderer.drawn, renderer.reused) == (8, 2)
