"""The built site as a reader gets it: both languages, same-page language switch, nothing
fetched from other hosts, charts as static SVG, stable downloads, accent-folded search,
byte-identical rebuilds, and a failed build that leaves the last site alone."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from html.parser import HTMLParser

import pytest

from scoreboard import site

from .conftest import copy_project, read_rows, write_rows


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


def test_every_page_exists_in_both_languages(built):
    vi = {
        p.relative_to(built).as_posix()
        for p in html_pages(built)
        if not p.relative_to(built).as_posix().startswith("en/")
    }
    en = {p.relative_to(built / "en").as_posix() for p in html_pages(built / "en")}
    assert vi == en
    assert len(vi) > 190
    for page in (
        "index.html",
        "indicators/fibre-households/index.html",
        "periods/2024-H1/index.html",
        "agencies/league-2024-H1-provinces/index.html",
        "agencies/grades/index.html",
        "agencies/hai-phong/index.html",
        "data/index.html",
        "methodology/index.html",
        "about/index.html",
    ):
        assert page in vi


def test_lang_attribute_is_right(built):
    assert parse(built / "index.html").lang == "vi"
    assert parse(built / "en/index.html").lang == "en"
    assert parse(built / "indicators/fibre-households/index.html").lang == "vi"
    assert parse(built / "en/agencies/hai-phong/index.html").lang == "en"
    page = (built / "en/indicators/fibre-households/index.html").read_text(encoding="utf-8")
    assert '<blockquote lang="vi">' in page  # quotations stay Vietnamese, marked as such


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "indicators/fibre-households/index.html",
        "agencies/league-2024-H1-provinces/index.html",
        "methodology/index.html",
    ],
)
def test_language_switch_leads_to_the_same_page(built, page):
    for here, there in ((page, "en/" + page), ("en/" + page, page)):
        links = parse(built / here).alternate
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


def test_charts_are_static_svg_with_translated_axes(built):
    page = (built / "indicators/fibre-households/index.html").read_text(encoding="utf-8")
    src = re.search(r'<img src="([^"]+\.svg)" alt="([^"]+)"', page)
    assert src and "Biểu đồ" in src.group(2) and "82,2" in src.group(2)
    svg = (built / "indicators/fibre-households" / src.group(1)).resolve().read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Phần trăm" in svg and "82,2" in svg and "<script" not in svg
    en = (built / "en/indicators/fibre-households.svg").read_text(encoding="utf-8")
    assert "Per cent" in en and "82.2%" in en


def test_every_indicator_page_has_a_data_table(built):
    for path in (built / "indicators").glob("*/index.html"):
        page = path.read_text(encoding="utf-8")
        assert 'id="data-table"' in page
        if "<img src=" in page:
            assert 'href="#data-table"' in page  # the chart's skip link points to its table


def test_numbers_follow_each_language(built):
    vi = (built / "indicators/fibre-households/index.html").read_text(encoding="utf-8")
    en = (built / "en/indicators/fibre-households/index.html").read_text(encoding="utf-8")
    assert "82,2\u00a0%" in vi and "82.2%" in en
    vi_ict = (built / "indicators/ict-revenue/index.html").read_text(encoding="utf-8")
    assert "1.928.311" in vi_ict and "1,928,311" in (built / "en/indicators/ict-revenue/index.html").read_text(
        encoding="utf-8"
    )


def test_downloads_are_identical_in_both_languages_with_stable_columns(built):
    for name in ("observations", "targets", "indicators", "agencies", "league-tables", "grade-distribution"):
        for ext in ("csv", "json"):
            vi, en = built / f"data/{name}.{ext}", built / f"en/data/{name}.{ext}"
            assert vi.read_bytes() == en.read_bytes(), name
    assert {"indicator_id", "period", "value"} <= set(read_rows(built / "data/observations.csv")[0])
    assert {"indicator_id", "year", "value", "low", "high"} <= set(read_rows(built / "data/targets.csv")[0])
    observations = json.loads((built / "data/observations.json").read_text(encoding="utf-8"))
    fibre = [o for o in observations if o["indicator_id"] == "fibre-households" and o["period"] == "2024-H1"]
    assert fibre == [dict(fibre[0], value=82.2)]
    assert (built / "data/packages/2024-H1/datapackage.json").exists()
    assert (built / "data/indicators/fibre-households.csv").exists()


def test_vietnamese_search_index_finds_words_without_tone_marks(built):
    index = json.loads((built / "search/search_index.json").read_text(encoding="utf-8"))
    smartphone = [d for d in index["docs"] if d["location"].startswith("indicators/smartphone-adults/")]
    assert smartphone and "dien thoai thong minh" in smartphone[0]["text"]
    en = json.loads((built / "en/search/search_index.json").read_text(encoding="utf-8"))
    assert all("điện thoại thông minh" not in d["title"] for d in en["docs"])


def _tree_hash(folder):
    digest = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def test_two_builds_are_byte_identical(built, tmp_path):
    again = copy_project(tmp_path / "again")
    site.build(again)
    first, second = _tree_hash(built), _tree_hash(again / "site")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_failed_build_leaves_the_previous_site_untouched(project):
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


def test_agency_page_lists_the_facts_of_every_period(built, dataset):
    from scoreboard import derive

    statuses, _ = derive.agency_statuses(dataset)
    known = statuses[(statuses["agency_id"] == "hai-phong") & (statuses["basis"] != "not_reported")]
    periods = set(known["period"])
    assert periods == {"2022-H1", "2022", "2024-H1"}
    page = (built / "agencies/hai-phong/index.html").read_text(encoding="utf-8")
    for period in periods:
        assert f'id="period-{period}"' in page
    # the named fact quotes its footnote; the league table row is one click away
    assert "Các địa phương chưa ban hành: Bình Định" in page
    assert 'href="../league-2024-H1-provinces/#row-hai-phong"' in page
    assert page.count("Chưa đạt") >= 2  # 2024 plan and open-data plan


def test_an_indicator_counting_agencies_links_to_its_league_tables(built):
    page = (built / "en/indicators/annual-plan-2024-issued/index.html").read_text(encoding="utf-8")
    assert 'href="../../agencies/league-2024-H1-provinces/"' in page
    assert 'href="../../agencies/league-2024-H1-ministries/"' in page
    national = (built / "en/indicators/fibre-households/index.html").read_text(encoding="utf-8")
    assert "league-" not in national
