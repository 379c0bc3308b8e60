"""Province maps: the committed boundaries, the units dissolved for a date by following the
successions, and the SVG maps with their labels, legend, text alternative and attribution.

The geometry rules are tested on a tiny invented topology; the real boundaries are checked
for properties (every feature is exactly one province of agencies.csv), never for figures
of a period."""

from __future__ import annotations

import json
import re
import shutil
from html import escape, unescape

import pandas as pd
import pytest

from scoreboard.data import layout, model
from scoreboard.derive import agencies, derive_all
from scoreboard.figures import textpaths
from scoreboard.figures.maps import draw, geometry
from scoreboard.figures.maps.geometry import Boundaries, fold_name, match_name, ring_area
from scoreboard.pages import maps as pages
from scoreboard.pages import render
from scoreboard.pages.formatting import Locale

from .conftest import make_synthetic_project

LOCAL = ("province", "municipality")
TOPOLOGY = json.loads((layout.ROOT / geometry.BOUNDARIES / geometry.TOPOLOGY_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real():
    ds = model.load(layout.ROOT)
    return ds, Boundaries.load(layout.ROOT, ds)


def local_agencies_on(ds, date: str) -> set[str]:
    a = ds.agencies
    ok = (a["valid_from"].eq("") | (a["valid_from"] <= date)) & (a["valid_to"].eq("") | (a["valid_to"] >= date))
    return set(a.index[ok & a["kind"].isin(LOCAL)])


# --- names and the committed file --------------------------------------------------------------


def test_names_fold_across_spellings():
    assert fold_name("Thanh Hoá") == fold_name("Thanh Hóa") == "thanh hoa"
    assert fold_name("TP HCM") == fold_name("Thành phố Hồ Chí Minh") == "ho chi minh"
    assert fold_name("TP Huế") == fold_name("Thừa Thiên Huế")
    assert fold_name("Bà Rịa - Vũng Tàu") == "ba ria vung tau"


def test_every_boundary_is_exactly_one_province(real):
    """The stored agency ids are the provinces of 2024, one each, and the names in the file
    match them again through the alias table (so the tool's matching is checked too)."""
    ds, _ = real
    before = local_agencies_on(ds, geometry.GEOMETRY_DATE)
    candidates = ds.agencies.loc[sorted(before)].to_dict("records")
    geometries = TOPOLOGY["objects"]["provinces"]["geometries"]
    ids = [g["properties"]["agency_id"] for g in geometries]
    assert len(ids) == len(set(ids)) == len(before) == 63
    assert set(ids) == before
    for g in geometries:
        assert match_name(g["properties"]["name"], candidates) == g["properties"]["agency_id"]


def test_boundaries_package_declares_its_own_licence():
    descriptor = json.loads((layout.ROOT / "data" / "boundaries" / "datapackage.json").read_text(encoding="utf-8"))
    assert [x["name"] for x in descriptor["licenses"]] == ["CC-BY-SA-4.0"]
    assert "Open Development Vietnam" in descriptor["attribution"]
    resource = descriptor["resources"][0]
    path = layout.ROOT / "data" / "boundaries" / resource["path"]
    assert resource["bytes"] == path.stat().st_size < 150_000


# --- geometry for a date --------------------------------------------------------------------------


def square(x: int, y: int) -> list[list[int]]:
    return [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]


def tiny_boundaries(successions: list[dict], agencies: list[dict]) -> Boundaries:
    """Three unit squares in a row (a | b | c) sharing borders as arcs, and an island of c."""
    arcs = [
        [[1, 0], [0, 0], [0, 1], [1, 1]],  # 0: a's outer side
        [[1, 1], [1, 0]],  # 1: a|b, downwards
        [[2, 0], [1, 0]],  # 2: b's bottom
        [[1, 1], [2, 1]],  # 3: b's top
        [[2, 1], [2, 0]],  # 4: b|c, downwards
        [[2, 0], [3, 0], [3, 1], [2, 1]],  # 5: c's outer side
        square(5, 5),  # 6: c's island
    ]
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[a[0]] + [[q[0] - p[0], q[1] - p[1]] for p, q in zip(a, a[1:])] for a in arcs],
        "objects": {
            "provinces": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"agency_id": "a"}},
                    {"type": "Polygon", "arcs": [[~1, 3, 4, 2]], "properties": {"agency_id": "b"}},
                    {"type": "MultiPolygon", "arcs": [[[~4, ~5]], [[6]]], "properties": {"agency_id": "c"}},
                ],
            }
        },
    }
    return Boundaries(topology, agencies, successions)


AGENCIES = [
    {"id": "a", "valid_from": "", "valid_to": "2025-06-30"},
    {"id": "b", "valid_from": "", "valid_to": "2025-06-30"},
    {"id": "c", "valid_from": "", "valid_to": "2025-06-30"},
    {"id": "ab", "valid_from": "2025-07-01", "valid_to": ""},
    {"id": "c2", "valid_from": "2025-07-01", "valid_to": ""},
]
MERGER = [
    {"predecessor_id": "a", "successor_id": "ab", "change": "merged_into", "date": "2025-07-01"},
    {"predecessor_id": "b", "successor_id": "ab", "change": "merged_into", "date": "2025-07-01"},
    {"predecessor_id": "c", "successor_id": "c2", "change": "became", "date": "2025-07-01"},
    {"predecessor_id": "c", "successor_id": "ab", "change": "functions_to", "date": "2025-07-01"},
]


def test_units_follow_the_successions_of_the_date():
    b = tiny_boundaries(MERGER, AGENCIES)
    assert [f.agency_id for f in b.features("2025-06-30")] == ["a", "b", "c"]
    after = {f.agency_id: f for f in b.features("2025-07-01")}
    assert sorted(after) == ["ab", "c2"]  # functions_to does not move territory
    # a and b dissolve into one ring around both squares: their shared border is gone
    assert len(after["ab"].rings) == 1
    assert ring_area(after["ab"].rings[0]) == pytest.approx(2)
    assert len(after["ab"].rings[0]) == 7  # the 6 corners of the 2x1 rectangle, closed
    # c keeps its island
    assert sorted(ring_area(r) for r in after["c2"].rings) == [1, 1]


def test_units_without_a_successor_or_shape_are_left_out():
    b = tiny_boundaries(MERGER[:2], AGENCIES)  # c's change not recorded
    assert [f.agency_id for f in b.features("2025-07-01")] == ["ab"]


def test_real_geometry_before_and_after_the_2025_reorganisation(real):
    ds, b = real
    for date, expected in (("2024-06-30", 63), ("2025-03-31", 63), ("2025-07-01", 34), ("2025-12-31", 34)):
        features = b.features(date)
        ids = [f.agency_id for f in features]
        assert len(ids) == expected == len(set(ids))
        assert set(ids) == local_agencies_on(ds, date)
    assert "thua-thien-hue" in {f.agency_id for f in b.features("2024-12-31")}
    assert "hue" in {f.agency_id for f in b.features("2025-01-01")}


def islands(feature, west: float, south: float, north: float) -> list:
    return [r for r in feature.rings if all(lon > west and south < lat < north for lon, lat in r)]


def test_dissolving_keeps_the_archipelagos_and_drops_inner_borders(real):
    _, b = real
    before = {f.agency_id: f for f in b.features("2025-06-30")}
    after = {f.agency_id: f for f in b.features("2025-07-01")}
    truong_sa = islands(before["khanh-hoa"], 111, 6, 12.5)
    hoang_sa = islands(before["da-nang"], 110.5, 15, 17.5)
    assert len(truong_sa) >= 10 and len(hoang_sa) >= 5
    assert len(islands(after["khanh-hoa-2025"], 111, 6, 12.5)) == len(truong_sa)
    assert len(islands(after["da-nang-2025"], 110.5, 15, 17.5)) == len(hoang_sa)
    # two inland provinces merged: one ring, the area of both
    merged = after["tuyen-quang-2025"]
    assert len(merged.rings) == 1
    parts = sum(ring_area(r) for a in ("ha-giang", "tuyen-quang") for r in before[a].rings)
    assert ring_area(merged.rings[0]) == pytest.approx(parts, rel=1e-9)


# --- maps -----------------------------------------------------------------------------------------


def table_for(ds, period: str, statuses=("met", "not_met", "unknown", "met")) -> agencies.LeagueTable:
    """A league table of provinces for a period, with invented statuses and grades."""
    date = pages.league_date(period)
    ids = sorted(local_agencies_on(ds, date))
    criterion = ds.criteria.index[0]
    rows = pd.DataFrame({"agency_id": ids, criterion: [statuses[i % len(statuses)] for i in range(len(ids))]})
    rows["grade"] = ["ABCDE"[i % 5] if i % 7 else "" for i in range(len(ids))]
    return agencies.LeagueTable(period=period, group="local", criteria=[criterion], rows=rows, has_grades=True)


LABELS = {
    "vi": ("Quần đảo Hoàng Sa", "Quần đảo Trường Sa"),
    "en": ("Hoang Sa (Paracel) Islands", "Truong Sa (Spratly) Islands"),
}


def archipelago_names(svg: str) -> list[str]:
    """The archipelago labels of a map, each label's lines joined (the italic group)."""
    size, group = re.search(
        r'<g font-size="([\d.]+)" fill="#333333"[^>]*font-style="italic">(.*?)</g>', svg, re.S
    ).groups()
    lines = re.findall(r'<text x="[\d.]+" y="([\d.]+)">([^<]*)</text>', group)
    names, last_y = [], None
    for y, text in lines:
        if last_y is not None and abs(float(y) - last_y) < 1.2 * float(size):  # the same label's next line
            names[-1] += " " + text
        else:
            names.append(text)
        last_y = float(y)
    return names


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("small", [False, True])
def test_archipelago_names_break_rather_than_cross_the_coast(real, lang, small):
    ds, b = real
    loc = Locale(lang)
    base = pages.basemap(b, "2024-06-30", small)
    size = pages.LOCATOR_LABEL_FONT if small else pages.LEAGUE_LABEL_FONT
    svg = draw.svg_map(base, {}, pages.archipelago_labels(loc), "t", label_size=size)
    assert archipelago_names(svg) == list(LABELS[lang])
    font = textpaths.font_directory()
    for key, lat, _ in draw.ARCHIPELAGO_LABELS:
        coast, _ = base.point(draw.COAST_LON, lat)
        for line in draw.label_lines(loc.t(f"maps.{key}"), size, base.width - 2 - coast):
            assert textpaths.text_width(line, size, font) <= base.width - 2 - coast, line
    # the English names are too long for one line on either map; the Vietnamese fit the league map
    assert ("(Paracel) Islands</text>" in svg) == (lang == "en")
    assert draw.label_lines("one two three four", 10, 40) == ["one two", "three four"]
    assert draw.label_lines("one two", 10, 1000) == ["one two"]


@pytest.mark.parametrize("period, units", [("2024-H1", 63), ("2025-H2", 34)])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_map_per_criterion_with_labels_symbols_and_summary(real, period, units, lang):
    ds, b = real
    loc = Locale(lang)
    table = table_for(ds, period)
    status_map, grade_map = pages.league_maps(b, table, ds, loc)
    svg = status_map.svg
    assert svg.count("<path ") == units
    assert archipelago_names(svg) == list(LABELS[lang])
    other = LABELS["en" if lang == "vi" else "vi"][0]
    assert other not in " ".join(archipelago_names(svg))
    statuses = list(table.rows[table.criteria[0]])
    # colour is not the only cue: a cross on each unit not met, a question mark on each unknown, hatching
    assert svg.count(">✖</text>") == statuses.count("not_met")
    assert svg.count(">?</text>") == statuses.count("unknown")
    assert svg.count('fill="url(#hatch)"') == statuses.count("not_met") and '<pattern id="hatch"' in svg
    assert len(svg.encode("utf-8")) < 100_000
    words = {x["style"]: (x["words"], x["count"]) for x in status_map.legend}
    assert words["met"] == (loc.t("agency_status.met"), statuses.count("met"))
    assert f"{loc.t('agency_status.not_met')}: {statuses.count('not_met')}" in status_map.alt
    assert grade_map.svg.count("<path ") == units
    grades = list(table.rows["grade"])
    assert {x["words"]: x["count"] for x in grade_map.legend}[loc.t("maps.no_grade")] == grades.count("")
    assert grade_map.svg.count(">A</text>") == grades.count("A")


def test_locator_maps_use_the_geometry_of_the_units_time(real):
    ds, b = real
    loc = Locale("vi")
    old = pages.locator(b, ds.agency("thua-thien-hue"), loc, "Thừa Thiên Huế")
    new = pages.locator(b, ds.agency("tuyen-quang-2025"), loc, "Tuyên Quang")
    assert old.svg.count("<path ") == 63 and new.svg.count("<path ") == 34
    for figure in (old, new):
        assert figure.svg.count('fill="#b3261e"') == 1  # only the unit is highlighted
        assert LABELS["vi"][1] in figure.svg and len(figure.svg.encode("utf-8")) < 100_000
    assert pages.locator(b, ds.agency(ds.agencies.index[ds.agencies["group"] == "central"][0]), loc, "x") is None


def test_build_without_boundaries_or_without_matching_provinces_has_no_maps(tmp_path):
    """Boundaries whose shapes name none of the data's provinces (the real ones, under the
    invented fixture) draw no map; without the boundaries package at all, the pages render too."""
    for keep in (True, False):
        root = make_synthetic_project(tmp_path / f"p{keep}")
        shutil.rmtree(root / "data" / "boundaries")
        if keep:
            shutil.copytree(layout.ROOT / "data" / "boundaries", root / "data" / "boundaries")
        ds = model.load(root)
        rendered = render.render_language(ds, derive_all(ds), "vi", root)
        assert rendered.maps == []
        league = next(text for page, text in rendered.pages.items() if page.endswith("-provinces.md"))
        assert "sb-map" not in league


def _has_maps(built) -> bool:
    """Maps are drawn where data/ has boundaries whose shapes name its provinces: the real data
    does; the invented set (SCOREBOARD_DATA_FROM_FIXTURE=1) does not, and then no map is drawn."""
    root = built.parent
    path = root / geometry.BOUNDARIES / geometry.TOPOLOGY_FILE
    if not path.exists():
        return False
    shapes = json.loads(path.read_text(encoding="utf-8"))["objects"]
    named = {g["properties"]["agency_id"] for layer in shapes.values() for g in layer["geometries"]}
    return bool(named & set(model.load(root).agencies.index))


def test_built_pages_show_maps_with_legend_alt_and_attribution(built):
    if not _has_maps(built):
        assert not list(built.glob("**/agencies/maps/*.svg"))
        return
    for prefix, lang in (("", "vi"), ("en/", "en")):
        loc = Locale(lang)
        league = sorted((built / prefix / "agencies").glob("league-*-provinces/index.html"))[-1]
        text = league.read_text(encoding="utf-8")
        assert 'class="sb-map"' in text and loc.t("maps.attribution") in text
        assert f"{loc.t('agency_status.not_met')}: " in text  # legend in words
        assert 'alt="' + loc.t("maps.alt", subject="", summary="").split(",")[0] in text
        src = text.split('class="sb-map__figure">')[1].split('src="')[1].split('"')[0]
        svg = (league.parent / src).resolve()
        assert svg.exists() and LABELS[lang][0] in archipelago_names(svg.read_text(encoding="utf-8"))
        first = re.search(r'<tr id="row-([^"]+)"', text).group(1)  # a province of the table
        province = (built / prefix / "agencies" / first / "index.html").read_text(encoding="utf-8")
        assert "sb-map--locator" in province and loc.t("maps.attribution") in province
    package = built / "data" / "packages" / "boundaries"
    assert (package / "datapackage.json").exists() and (package / geometry.TOPOLOGY_FILE).exists()


# --- downloads and embed pages (issue 12) ---------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_map_downloads_carry_their_texts_and_legend_and_list_who_did_not_meet_it(real, lang):
    from scoreboard.figures import frame

    ds, b = real
    loc = Locale(lang)
    status_map = pages.league_maps(b, table_for(ds, "2024-H1"), ds, loc)[0]
    locator = pages.locator(b, ds.agency("ha-noi"), loc, "Hà Nội")
    lines = [f"{loc.t('share.sources_label')}: Báo cáo thử", loc.t("share.licence"), loc.t("maps.attribution"), "U"]
    for f in (status_map, locator):
        legend = pages.frame_legend(f.legend)
        framed = frame.framed_svg(f.svg, "Bản đồ Hà Nội", lines, frame.PNG_FONT, legend)
        words = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", framed))  # wrapped lines joined
        for text in (
            "Bản đồ Hà Nội",
            "Báo cáo thử",
            loc.t("share.licence"),
            loc.t("maps.attribution"),
            LABELS[lang][0],
        ):
            assert escape(text) in words, text
        for entry in f.legend:  # the legend travels with the map: every entry's words
            assert escape(entry["words"]) in words, entry
        download = frame.download_svg(f.svg, "Bản đồ Hà Nội", lines, f.alt, legend)
        assert download == frame.download_svg(f.svg, "Bản đồ Hà Nội", lines, f.alt, legend)  # reproducible
    assert status_map.legend and status_map.not_met
    assert ", ".join(status_map.not_met) in status_map.alt  # the text alternative names them too


def test_maps_and_grade_charts_have_downloads_embed_pages_and_snippets(built):
    """Properties of the built site: every map and grade chart offers its files and an embed page."""
    if not _has_maps(built):
        assert not list(built.glob("**/embed/map-*"))
        return
    for prefix in ("", "en/"):
        league = sorted((built / prefix / "agencies").glob("league-*-provinces/index.html"))[-1]
        text = league.read_text(encoding="utf-8")
        slugs = re.findall(r'id="share-(map-[^"]+)"', text)
        assert slugs and len(slugs) == text.count('class="sb-map__figure"')
        for slug in slugs:
            assert (built / prefix / "embed" / slug / "index.html").exists(), slug
            assert f"embed/{slug}/" in text  # the iframe snippet
        first = re.search(r'<tr id="row-([^"]+)"', text).group(1)  # a province of the table
        province = (built / prefix / "agencies" / first / "index.html").read_text(encoding="utf-8")
        assert f'id="share-map-{first}"' in province and (built / prefix / f"embed/map-{first}/index.html").exists()
        # out of its page, a map says it is a map and which table (or which unit) it shows
        here = Locale("en" if prefix else "vi")
        league_title, province_name = (
            re.search(r"<h1[^>]*>([^<]*)<", page).group(1).strip() for page in (text, province)
        )
        map_word = here.t("maps.figure_title", subject="\0", table="\0").split("\0")[0]
        for slug in slugs:
            embedded = (built / prefix / "embed" / slug / "index.html").read_text(encoding="utf-8")
            heading = re.search(r"<h1[^>]*>([^<]*)</h1>", embedded).group(1)
            assert heading.startswith(escape(map_word)) and heading.endswith(f". {league_title}"), heading
        embedded = (built / prefix / f"embed/map-{first}/index.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1[^>]*>([^<]*)</h1>", embedded).group(1)
        assert heading == escape(here.t("maps.locator_title", name=unescape(province_name))), heading
        grades = (built / prefix / "agencies" / "grades" / "index.html").read_text(encoding="utf-8")
        grade_slugs = re.findall(r'id="share-(grades-[^"]+)"', grades)
        assert grade_slugs and len(grade_slugs) == grades.count('class="sb-chart"')
        for slug in grade_slugs:
            assert (built / prefix / "embed" / slug / "index.html").exists(), slug
        assert (built / prefix / "agencies" / "grades.card.png").exists()
        # a map's links say "map", a chart's say "chart", in the page's language
        loc = Locale("en" if prefix else "vi")
        for page, slug, noun in ((text, slugs[0], "map_"), (grades, grade_slugs[0], "")):
            block = page[page.index(f'id="share-{slug}"') :]
            block = block[: block.index("</div>")]
            for key in ("download_png", "download_svg", "embed_page", "embed_summary", "embed_label"):
                assert escape(loc.t(f"share.{noun}{key}"), quote=False) in block, (slug, key)
                other = "" if noun else "map_"
                assert escape(loc.t(f"share.{other}{key}"), quote=False) not in block, (slug, key)


def test_archipelago_names_only_where_the_map_reaches_their_sea():
    """A map of a few northern provinces ends before the archipelagos' latitudes: their
    names would fall outside it (and, framed for download, onto the footer)."""
    from scoreboard.figures.maps.geometry import Feature

    north = Feature("n", [[(103.0, 21.0), (106.0, 21.0), (106.0, 23.0), (103.0, 23.0)]])
    country = Feature("c", [[(103.0, 8.5), (109.0, 8.5), (109.0, 23.0), (103.0, 23.0)]])
    names = {"hoang_sa": "Quần đảo Hoàng Sa", "truong_sa": "Quần đảo Trường Sa"}
    for features, shown in (([north], 0), ([country], 2)):
        svg = draw.svg_map(draw.Basemap(features, 300, 1), {}, names, "t", label_size=15)
        assert archipelago_names(svg) == list(names.values())[:shown]
