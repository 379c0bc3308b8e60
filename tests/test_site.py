"""The built site as a reader gets it: both languages, same-page language switch, nothing
fetched from other hosts, charts as static SVG, stable downloads, search (Pagefind, per language),
byte-identical rebuilds, and a failed build that leaves the last site alone.

Pages and figures named here are those of the synthetic set (`synthetic_built`); tests on the
real data (`built`) assert properties that hold whatever data/ holds."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from scoreboard import store
from scoreboard.derive import agencies, series
from scoreboard.pages import render
from scoreboard.pages.formatting import Locale
from scoreboard.site import build as site
from scoreboard.site import search

from .conftest import file_digests, make_synthetic_project, read_rows, write_rows


class Resources(HTMLParser):
    """Collects what a browser would load by itself (not links a reader may follow)."""

    def __init__(self):
        super().__init__()
        self.loads: list[str] = []
        self.lang = None
        self.alternate: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.loads.append(a["src"])
        if (
            tag == "link"
            and a.get("href")
            and set((a.get("rel") or "").split())
            & {"stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest"}
        ):
            self.loads.append(a["href"])
        if tag == "a" and "sb-lang__link" in (a.get("class") or ""):
            self.alternate.append(a["href"])


def parse(path):
    p = Resources()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def html_pages(built):
    return sorted(built.rglob("*.html"))


def test_every_page_exists_in_both_languages(built, dataset):
    vi = {
        p.relative_to(built).as_posix()
        for p in html_pages(built)
        if not p.relative_to(built).as_posix().startswith("en/")
    }
    en = {p.relative_to(built / "en").as_posix() for p in html_pages(built / "en")}
    assert vi == en
    expected = {"index.html", "agencies/index.html", "data/index.html", "methodology/index.html", "about/index.html"}
    expected |= {f"indicators/{i}/index.html" for i in dataset.indicators.index}
    expected |= {f"periods/{p}/index.html" for p in dataset.period_ids}
    expected |= {f"agencies/{a}/index.html" for a in dataset.agencies.index}
    expected |= {
        f"agencies/league-{t.period}-{agencies.GROUP_BREAKDOWN[t.group]}/index.html"
        for t in agencies.league_tables(dataset)
    }
    if len(dataset.grade_distribution):
        expected.add("agencies/grades/index.html")
    assert expected - vi == set()


def test_lang_attribute_is_right(synthetic_built):
    assert parse(synthetic_built / "index.html").lang == "vi"
    assert parse(synthetic_built / "en/index.html").lang == "en"
    assert parse(synthetic_built / "indicators/share-met/index.html").lang == "vi"
    assert parse(synthetic_built / "en/agencies/tinh-a/index.html").lang == "en"
    page = (synthetic_built / "en/indicators/share-met/index.html").read_text(encoding="utf-8")
    assert '<blockquote lang="vi">' in page  # quotations stay Vietnamese, marked as such


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "indicators/share-met/index.html",
        "agencies/league-2024-H1-provinces/index.html",
        "methodology/index.html",
    ],
)
def test_language_switch_leads_to_the_same_page(synthetic_built, page):
    for here, there in ((page, "en/" + page), ("en/" + page, page)):
        links = parse(synthetic_built / here).alternate
        assert len(links) == 1
        target = posixpath.normpath(posixpath.join(posixpath.dirname(here), links[0]))
        target = target + "/index.html" if not target.endswith(".html") else target
        assert posixpath.normpath(target) == posixpath.normpath(there), (here, links[0])


def test_no_request_to_any_other_host(built):
    for path in html_pages(built):
        for url in parse(path).loads:
            assert not re.match(r"^(https?:)?//", url), f"{path}: loads {url}"
    for css in built.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8")):
            assert not re.match(r"^['\"]?(https?:)?//", url.strip()), f"{css}: {url}"
    for page in html_pages(built)[:5]:
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8")


def test_charts_are_static_svg_with_translated_axes(synthetic_built):
    page = (synthetic_built / "indicators/share-met/index.html").read_text(encoding="utf-8")
    src = re.search(r'<img src="([^"]+\.svg)" alt="([^"]+)"', page)
    assert src and "Biểu đồ" in src.group(2) and "80\u00a0%" in src.group(2) and "75\u00a0%" in src.group(2)
    svg = (synthetic_built / "indicators/share-met" / src.group(1)).resolve().read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Phần trăm" in svg and "<script" not in svg
    en = (synthetic_built / "en/indicators/share-met.svg").read_text(encoding="utf-8")
    assert "Per cent" in en and "Phần trăm" not in en
    decimals = (synthetic_built / "indicators/share-more-than-above.svg").read_text(encoding="utf-8")
    assert "90,1" in decimals and "90.1" in (synthetic_built / "en/indicators/share-more-than-above.svg").read_text(
        encoding="utf-8"
    )


def test_every_indicator_page_has_a_data_table(built):
    for path in (built / "indicators").glob("*/index.html"):
        page = path.read_text(encoding="utf-8")
        assert 'id="data-table"' in page
        if "<img src=" in page:
            assert 'href="#data-table"' in page  # the chart's skip link points to its table


def test_every_shown_observation_appears_on_its_indicator_page_in_both_formats(built, dataset):
    """Whatever data/ holds: each shown figure is in its page's data table, as each locale
    writes it (vi 71,79 %, 1.418; en 71.79%, 1,418)."""
    observations = series.shown_observations(dataset).to_dict("records")
    assert observations
    for lang, prefix in (("vi", ""), ("en", "en/")):
        loc = Locale(lang)
        pages = {}
        for o in observations:
            i = o["indicator_id"]
            if i not in pages:
                pages[i] = (built / f"{prefix}indicators/{i}/index.html").read_text(encoding="utf-8")
            text = escape(loc.value(o, dataset.unit_of(i)))
            breakdown, value = escape(loc.t("breakdown." + o["breakdown"])), escape(loc.t("words.value"))
            # each cell carries its column's name (data-label) for the phone layout
            cell = f'>{breakdown}</td><td class="sb-num" data-label="{value}">{text}'
            assert cell in pages[i], (lang, i, o["period"], str(text))


def test_numbers_follow_each_language(synthetic_built):
    vi = (synthetic_built / "indicators/share-range-below/index.html").read_text(encoding="utf-8")
    en = (synthetic_built / "en/indicators/share-range-below/index.html").read_text(encoding="utf-8")
    assert "64,9\u00a0%" in vi and "64.9%" in en and "64.9\u00a0%" not in vi
    vi = (synthetic_built / "indicators/villages/index.html").read_text(encoding="utf-8")
    assert "477/832" in vi and "256/896" in vi


def test_downloads_are_identical_in_both_languages_with_stable_columns(built, dataset):
    for name in ("observations", "targets", "indicators", "agencies", "league-tables", "grade-distribution"):
        for ext in ("csv", "json"):
            vi, en = built / f"data/{name}.{ext}", built / f"en/data/{name}.{ext}"
            assert vi.read_bytes() == en.read_bytes(), name
    assert {"indicator_id", "period", "value"} <= set(read_rows(built / "data/observations.csv")[0])
    assert {"indicator_id", "year", "value", "low", "high"} <= set(read_rows(built / "data/targets.csv")[0])
    observations = json.loads((built / "data/observations.json").read_text(encoding="utf-8"))
    published = {(o["indicator_id"], o["period"], o["breakdown"], o["source_id"]): o["value"] for o in observations}
    data = {
        (o["indicator_id"], o["period"], o["breakdown"], o["source_id"]): o["value"]
        for o in dataset.observations.to_dict("records")
    }
    assert published.keys() == data.keys()
    assert all(published[k] == pytest.approx(v, nan_ok=True) for k, v in data.items())
    for period in dataset.period_ids:
        assert (built / f"data/packages/{period}/datapackage.json").exists()
    for indicator_id in dataset.indicators.index:
        assert (built / f"data/indicators/{indicator_id}.csv").exists()


def test_search_index_has_one_part_per_language_and_only_article_bodies(synthetic_built):
    """Pagefind's index (the browser tests search it): Vietnamese and English apart, each
    counting the pages whose article it indexes; no page carries Material's whole index."""
    entry = json.loads((synthetic_built / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"vi", "en"}
    for lang, folder in (("vi", synthetic_built), ("en", synthetic_built / "en")):
        pages = [p for p in folder.rglob("*.html") if lang == "en" or "en" not in p.relative_to(folder).parts[:1]]
        bodies = [p for p in pages if "data-pagefind-body" in p.read_text(encoding="utf-8")]
        assert entry["languages"][lang]["page_count"] == len(bodies) > 20
        for excluded in ("404.html", "embed/share-met/index.html"):
            assert "data-pagefind-body" not in (folder / excluded).read_text(encoding="utf-8")
    assert not list(synthetic_built.rglob("search_index.json"))
    assert "search_index" not in (synthetic_built / "index.html").read_text(encoding="utf-8")


def _indexed_text(site_dir: Path) -> dict[str, str]:
    """What Pagefind stored of each page it indexed: its fragments (gzip, after a marker)."""
    import gzip

    out = {}
    for fragment in (site_dir / "pagefind" / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
        out[data["url"]] = data["content"]
    return out


def test_search_indexes_the_article_words_but_not_data_tables_or_the_print_address(tmp_path):
    """Search finds pages by their words; a table's figures stay on the page, and the print-only
    address line is machine text (rule on made-up pages, so it holds for any data)."""
    page = (
        "<html lang='vi'><body><nav>Menu</nav><div data-pagefind-body><h1>Điện thoại</h1>"
        "<p class='sb-print-only' data-pagefind-ignore>Địa chỉ trang này: http://x/</p>"
        "<dl><div><dt>Đơn vị</dt> <dd>phần trăm</dd></div></dl><p>Văn bản</p>"
        "<div data-pagefind-ignore><table><tr><td>70,91</td><td>Kỳ 2022</td></tr></table></div>"
        "<p>Sau bảng</p></div></body></html>"
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "embed.html").write_text("<html lang='vi'><body><p>Nhúng biểu đồ</p></body></html>", encoding="utf-8")
    search.index(tmp_path, store.Store(None))
    (text,) = _indexed_text(tmp_path).values()  # the page without an article is not indexed
    assert "Điện thoại" in text and "Văn bản" in text and "Sau bảng" in text
    assert "Đơn vị phần trăm" in text  # two words, not "Đơn vịphần trăm"
    assert "70,91" not in text and "Địa chỉ" not in text and "Menu" not in text


def test_search_index_pieces_are_cut_at_the_set_number_of_words(tmp_path, monkeypatch):
    """A first search loads the index pieces its words need: pieces are cut at
    search.PIECE_WORDS words, so they stay small however large the site grows (made-up
    pages, each with its own words)."""
    for n in range(40):
        words = " ".join(f"tu{n:02d}x{k:03d}" for k in range(60))
        (tmp_path / f"p{n}").mkdir()
        (tmp_path / f"p{n}" / "index.html").write_text(
            f"<html lang='vi'><body><div data-pagefind-body><h1>Trang {n}</h1><p>{words}</p></div></body></html>",
            encoding="utf-8",
        )

    def pieces(words: int) -> int:
        monkeypatch.setattr(search, "PIECE_WORDS", words)
        output = tmp_path / f"index-{words}"
        search._write_index(tmp_path, output)
        return len(list((output / "index").glob("vi_*.pf_index")))

    assert pieces(100_000) == 1
    assert pieces(200) >= 10


def test_every_search_index_piece_is_small(built):
    """Whatever data/ holds, no index piece a query may need is over 25 KB (gzip), so a first
    search stays within issue 27's 150 KB (Pagefind's own files take about 85 KB)."""
    sizes = {p.name: p.stat().st_size for p in (built / "pagefind" / "index").iterdir()}
    assert sizes and max(sizes.values()) <= 25_000, sorted(sizes.items(), key=lambda x: -x[1])[:3]


def test_no_search_result_shows_the_print_only_address_or_the_share_blocks(synthetic_built):
    """Each page prints its address ("Address of this page: ...") for paper; search excerpts never
    show it (it was in 51 of the top five snippets of 88 searches), nor the download, embed and
    cite blocks that every page repeats (their HTML code and BibTeX once filled the snippets)."""
    texts = _indexed_text(synthetic_built)
    assert len(texts) > 40
    for lang, folder in (("vi", synthetic_built), ("en", synthetic_built / "en")):
        phrase = Locale(lang).t("print.address")
        assert phrase in (folder / "indicators/share-met/index.html").read_text(encoding="utf-8")
        assert [url for url, text in texts.items() if phrase in text] == []
    for machine_text in ("<iframe", "@misc{", "scoreboardEmbedHeight"):
        assert [url for url, text in texts.items() if machine_text in text] == [], machine_text


def test_the_templates_never_join_a_term_to_its_description():
    """Pagefind reads <dt>Unit</dt><dd>per cent</dd> as one word, "Unitper cent"."""
    for path in render.TEMPLATES.glob("*.j2"):
        assert "</dt><dd>" not in path.read_text(encoding="utf-8"), path.name


def test_heading_levels_never_skip(synthetic_built):
    """Each page starts at h1 and goes down one level at a time (h1 -> h3 is a skip)."""
    skips = []
    for path in sorted(synthetic_built.rglob("*.html")):
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", path.read_text(encoding="utf-8"))]
        for before, after in zip([0, *levels], levels):
            if after > before + 1:
                skips.append(f"{path.relative_to(synthetic_built)}: h{before} -> h{after}")
                break
    assert skips == []


def test_two_builds_are_byte_identical(synthetic_built, tmp_path):
    again = make_synthetic_project(tmp_path / "again")
    site.build(again)
    first, second = file_digests(synthetic_built), file_digests(again / "site")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_failed_build_leaves_the_previous_site_untouched(synthetic_project):
    project = synthetic_project
    previous = project / "site"
    previous.mkdir()
    (previous / "index.html").write_text("previous site", encoding="utf-8")
    rows = read_rows(project / "data/periods/2024-H1/observations.csv")
    rows[0]["value"] = "71,79"
    write_rows(project / "data/periods/2024-H1/observations.csv", rows)
    with pytest.raises(site.BuildError) as failure:
        site.build(project)
    assert any(p.kind == "comma-decimal" for p in failure.value.args[0])
    assert (previous / "index.html").read_text(encoding="utf-8") == "previous site"
    assert [p.name for p in project.iterdir() if p.name.startswith("site.")] == []


def test_agency_page_lists_the_facts_of_every_period(synthetic_built, synthetic):
    statuses, _ = agencies.agency_statuses(synthetic)
    known = statuses[(statuses["agency_id"] == "tinh-b") & (statuses["basis"] != "not_reported")]
    periods = set(known["period"])
    assert periods == {"2023", "2024-H1"}  # met by inference in 2023, named in 2024-H1
    page = (synthetic_built / "agencies/tinh-b/index.html").read_text(encoding="utf-8")
    for period in periods:
        assert f'id="period-{period}"' in page
    # the named fact quotes its source; the league table row is one click away
    assert "tỉnh B chưa ban hành" in page
    assert 'href="../league-2024-H1-provinces/#row-tinh-b"' in page
    assert page.count("Chưa đạt") >= 1
    merged = (synthetic_built / "agencies/tinh-d/index.html").read_text(encoding="utf-8")
    assert 'id="period-2023"' in merged and 'id="period-2024-H1"' not in merged


def test_an_indicator_counting_agencies_links_to_its_league_tables(synthetic_built):
    page = (synthetic_built / "en/indicators/plan-issued/index.html").read_text(encoding="utf-8")
    assert 'href="../../agencies/league-2024-H1-provinces/"' in page
    assert 'href="../../agencies/league-2024-H1-ministries/"' in page
    national = (synthetic_built / "en/indicators/share-met/index.html").read_text(encoding="utf-8")
    assert "league-" not in national


def _benchmark():
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "benchmark.py"
    spec = importlib.util.spec_from_file_location("scoreboard_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_first_visit_of_any_page_transfers_at_most_150_kb(built):
    """Issue 11's budget, on whatever data/ holds: HTML, CSS, JS and images, gzip-compressed."""
    weigh = _benchmark().page_weight
    heavy = []
    for page in sorted(built.rglob("*.html")):
        first, repeat = weigh(built, page)
        assert repeat < first
        if first > 150_000:
            heavy.append(f"{page.relative_to(built)}: {first / 1e3:.0f} KB")
    assert heavy == []


def test_page_weight_counts_what_a_page_references(synthetic_built):
    """The benchmark's weigher sees the theme's script and a chart image."""
    bench = _benchmark()
    page = synthetic_built / "indicators/share-met/index.html"
    first, repeat = bench.page_weight(synthetic_built, page)
    theme = sorted((synthetic_built / "assets/javascripts").glob("bundle.*.js"))[0]
    assert first > repeat + bench._gzip_size(theme) > 30_000
    chart = bench._gzip_size(synthetic_built / "indicators/share-met.svg")
    text = page.read_text(encoding="utf-8")
    img = re.search(r"<img [^>]*share-met\.svg[^>]*>", text).group(0)
    variants = {
        "none": text.replace(img, img.replace("share-met.svg", "none.svg")),
        # a lazy image in a closed <details> is fetched only when opened; in an open one, at once
        "closed": text.replace(img, f"<details><summary>x</summary>{img[:-1]} loading=lazy></details>"),
        "open": text.replace(img, f"<details open><summary>x</summary>{img[:-1]} loading=lazy></details>"),
    }
    weights = {}
    copy = page.with_name("variant.html")
    try:
        for name, html in variants.items():
            copy.write_text(html, encoding="utf-8")
            weights[name] = bench.page_weight(synthetic_built, copy)
    finally:
        copy.unlink()
    assert [w[0] - w[1] for w in weights.values()] == [first - repeat - chart] * 2 + [first - repeat]
