"""Rendering: numbers in each page's locale, text from CSVs never becomes markup, and
per-agency grades appear only where data has them (synthetic fixture, built once in conftest)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from markupsafe import escape

from scoreboard.data import model
from scoreboard.derive import derive_all
from scoreboard.pages import render, urls
from scoreboard.pages.formatting import Locale

from .conftest import ROOT, make_synthetic_project

PERCENT = {"id": "percent", "symbol_vi": "%", "symbol_en": "%"}
COUNT = {"id": "count", "symbol_vi": "", "symbol_en": ""}
BILLION = {"id": "vnd_billion", "symbol_vi": "tỷ đồng", "symbol_en": "billion dong"}
MILLION = {"id": "million", "symbol_vi": "triệu", "symbol_en": "million"}


def obs(value, kind="reported", **extra):
    return {"value": value, "value_kind": kind, **extra}


@pytest.mark.parametrize(
    "lang, unit, row, expected",
    [
        ("vi", PERCENT, obs(71.79), "71,79\u00a0%"),
        ("en", PERCENT, obs(71.79), "71.79%"),
        ("vi", COUNT, obs(1418), "1.418"),
        ("en", COUNT, obs(1418), "1,418"),
        ("vi", BILLION, obs(1928311, "estimate"), "1.928.311\u00a0tỷ đồng (ước tính)"),
        ("en", BILLION, obs(1928311, "estimate"), "VND\u00a01,928,311\u00a0billion (estimate)"),
        ("vi", MILLION, obs(86.3, "more_than"), "hơn 86,3\u00a0triệu"),
        ("en", MILLION, obs(2.6, "nearly"), "nearly 2.6\u00a0million"),
        ("vi", COUNT, obs(477, numerator=477, denominator=832), "477/832"),
        (
            "en",
            {"id": "agencies", "symbol_vi": "cơ quan", "symbol_en": "agencies"},
            obs(50, numerator=50, denominator=63),
            "50/63",
        ),
    ],
)
def test_values_follow_the_page_locale(lang, unit, row, expected):
    assert Locale(lang).value(row, unit) == expected


def test_changes_ranges_periods_and_dates_per_locale():
    vi, en = Locale("vi"), Locale("en")
    assert vi.change(2.6, PERCENT) == "+2,6\u00a0điểm %" and en.change(-2.6, PERCENT) == "−2.6\u00a0pp"
    target = {"value": float("nan"), "low": 65, "high": 70, "comparison": "at_least"}
    assert vi.target(target, PERCENT) == "65–70\u00a0%" and en.target(target, PERCENT) == "65–70%"
    assert vi.period("2024-H1") == "6 tháng đầu năm 2024" and en.period("2024-H1") == "First half of 2024"
    assert vi.period("2023-Q2", "deadline") == "hết quý 2/2023"
    assert vi.date("2022-12-25") == "25/12/2022" and en.date("2022-08") == "August 2022"


def test_markdown_escaping_keeps_text_as_text():
    assert str(render.md("**bold** [a](b) <i>")) == r"\*\*bold\*\* \[a\]\(b\) &lt;i&gt;"


def _site_markdown():
    """Python-Markdown with the extensions of mkdocs.yml, as MkDocs converts the pages."""
    config = yaml.safe_load(
        (ROOT / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .split("\nvalidation:")[0]
        .split("markdown_extensions:")[1]
        .join(["x:", ""])
    )
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["x"]]
    return markdown.Markdown(extensions=names)


def test_md_escapes_exactly_what_python_markdown_honours():
    assert set(render.MD_ESCAPED) == set(_site_markdown().ESCAPED_CHARS)


class _Parts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


HOSTILE_TEXT = [
    "a = b ~ c ^ d | e",
    "Tỉnh = Thành phố",
    "x\\=y \\~ \\^",
    "**bold** _it_ `code` [a](b) ![i](j) <b>x</b> &amp; &#65;",
    "# heading #",
    "1. list",
    "- item",
    "+ item",
    "> quote",
    "name\n===",
    "name\n---\n- x",
    "line one\r\nline two",
    "    indented code",
    "{: #id .class}",
    "a \\ b \\",
    "trailing spaces  \nnext",
    "<https://example.org> www.example.org",
    "*",
    "\\",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
@pytest.mark.parametrize("where", ["# {}", "## {} {{#anchor}}", "{}", "Source: {}."])
def test_text_from_the_data_never_becomes_markup_and_shows_no_backslash(text, where):
    """In a heading or a paragraph, md() text is one element whose words are the text, on one
    line, with no backslash that the text did not have."""
    html = _site_markdown().convert(where.format(render.md(text)))
    parts = _Parts()
    parts.feed(html)
    assert len(parts.tags) == 1 and parts.tags[0] in ("h1", "h2", "p"), html
    before, after = where.format("\0").split("\0")
    expected = before.lstrip("# ") + re.sub(r"[\r\n]+", " ", text).strip() + after.split(" {#")[0]
    assert "".join(parts.text) == expected, html


def test_relative_links_between_generated_pages():
    assert urls.relative("indicators/x.md", "periods/2024-H1.md") == "../../periods/2024-H1/"
    assert urls.relative("index.md", "indicators/index.md") == "indicators/"
    assert urls.relative("indicators/x.md", "data/indicators/x.csv") == "../../data/indicators/x.csv"


def test_script_and_markdown_from_a_csv_show_as_text(synthetic_built):
    for page in ("indicators/hostile-text/index.html", "en/indicators/hostile-text/index.html"):
        html = (synthetic_built / page).read_text(encoding="utf-8")
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the name, shown as text
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # the quote, shown as text
        assert "<strong>không đậm</strong>" not in html and "<strong>not bold</strong>" not in html
        assert '<a href="https://example.org">' not in html
        assert "**not bold**" in html or "**không đậm**" in html
    home = (synthetic_built / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in home


def test_per_agency_grades_are_shown_where_the_data_has_them(synthetic_built):
    league = (synthetic_built / "agencies/league-2024-H1-provinces/index.html").read_text(encoding="utf-8")
    header = re.search(r"<thead>.*?</thead>", league, re.S).group(0)
    assert "Xếp loại" in header
    row_a = re.search(r'<tr id="row-tinh-a".*?</tr>', league, re.S).group(0)
    assert '<td class="sb-crit">A</td>' in row_a
    agency = (synthetic_built / "en/agencies/tinh-a/index.html").read_text(encoding="utf-8")
    assert "Grade" in agency and "<strong>A</strong>" in agency


@pytest.fixture(scope="module")
def same_names(tmp_path_factory):
    """The synthetic set with city E (from 2024) renamed after province D (until 2023)."""
    project = make_synthetic_project(tmp_path_factory.mktemp("names") / "project")
    agencies = project / "data/reference/agencies.csv"
    text = agencies.read_text(encoding="utf-8")
    agencies.write_text(
        text.replace("Thành phố Thử Nghiệm E,Test City E", "Tỉnh Thử Nghiệm D,Test Province D"), encoding="utf-8"
    )
    dataset = model.load(project)
    return dataset, derive_all(dataset), project


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_league_rows_name_units_plainly_and_say_once_that_a_name_repeats(same_names, lang):
    dataset, derived, project = same_names
    loc = Locale(lang)
    pages = render.render_language(dataset, derived, lang, project).pages
    older, newer = pages["agencies/league-2023-provinces.md"], pages["agencies/league-2024-H1-provinces.md"]
    plain = loc.agency_name(dataset.agency("tinh-d"))
    row = re.search(r'<tr id="row-tinh-d".*?</tr>', older, re.S).group(0)
    assert f">{escape(plain)}</a>" in row  # no "(until ...)" in the row
    until = loc.t("league.names_until", count=loc.number(1), date=loc.date("2023-12-31"))
    assert older.count(str(escape(until))) == 1
    since = loc.t("league.names_from", count=loc.number(1), date=loc.date("2024-01-01"))
    assert newer.count(str(escape(since))) == 1 and str(escape(until)) not in newer
    ministries = pages["agencies/league-2024-H1-ministries.md"]
    assert str(escape(until)) not in ministries and str(escape(since)) not in ministries  # no name repeats there
    # where units of different dates meet, the name still carries its date
    assert escape(loc.agency_name(dataset.agency("tinh-d"), ("until", "2023-12-31"))) in pages["agencies/tinh-d.md"]


def test_league_table_filter_data_is_folded(synthetic_built):
    league = (synthetic_built / "agencies/league-2024-H1-provinces/index.html").read_text(encoding="utf-8")
    assert 'data-name="tinh thu nghiem a test province a"' in league


def test_the_grades_page_shows_a_groups_note_once(synthetic_built):
    """The invented set's 2024-H1 grades say why 2 of 4 provinces are graded (a note on one row)."""
    for page, note in (
        ("agencies/grades/index.html", "Báo cáo thử chỉ xếp loại 2 trong 4 tỉnh (giả định)."),
        ("en/agencies/grades/index.html", "The test report grades 2 of the 4 provinces (invented)."),
    ):
        html = (synthetic_built / page).read_text(encoding="utf-8")
        assert html.count(note) == 1 and 'class="sb-note sb-grade-note"' in html


def test_no_grade_column_without_per_agency_grades(synthetic_built):
    # the synthetic set grades agencies in 2024-H1 only
    league = (synthetic_built / "agencies/league-2023-provinces/index.html").read_text(encoding="utf-8")
    header = re.search(r"<thead>.*?</thead>", league, re.S).group(0)
    assert "Xếp loại" not in header


# --- charts on phones (issue 11) ------------------------------------------------------------------


def _chart_job(lang: str):
    from scoreboard.derive.verdicts import Verdict
    from scoreboard.figures import charts
    from scoreboard.pages.formatting import Locale

    obs = [
        {"period": p, "breakdown": "nationwide", "value": v, "denominator": float("nan"), "value_kind": "reported"}
        for p, v in (("2022-H1", 70.9), ("2022-H2", 73.1), ("2023-Q3", 75.5))
    ]
    target = {"indicator_id": "x", "breakdown": "nationwide", "target_period": "2025", "value": 85.0}
    target |= {"low": float("nan"), "high": float("nan"), "comparison": "at_least"}
    unit = {"id": "percent", "name_vi": "phần trăm", "name_en": "percent"}
    return charts.indicator_spec(
        [o | {"segment": 0} for o in obs], [Verdict(target, "on_track")], unit, "level", [], Locale(lang)
    )


def test_vietnamese_chart_axes_name_periods_in_vietnamese():
    from scoreboard.figures import charts

    job = _chart_job("vi")
    labels = [label for _, label in job["axis"]["ticks"]]
    assert labels[-2:] == ["Quý 3\n2023", "2025"]  # the latest always; the first two stand close
    assert set(labels) <= {"6 tháng đầu\n2022", "6 tháng cuối\n2022", "Quý 3\n2023", "2025"}
    svg = charts.draw(job)
    assert "H1" not in svg and "Q3" not in svg and "6 tháng" in svg and "Quý 3" in svg


def test_narrow_chart_text_stays_at_least_11_px_when_shown_on_a_phone():
    """The narrow variant is shown at its own width on a 360 px screen (content about 328 px)."""
    import re

    from scoreboard.figures import charts
    from scoreboard.pages.formatting import Locale

    for job, loc in (
        (_chart_job("vi"), Locale("vi")),
        (charts.grade_spec([{"grade": "A", "count": 3, "agency_group": "ministries"}], Locale("en")), Locale("en")),
    ):
        svg = charts.draw(charts.narrow(job, loc))
        width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
        sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)px"', svg)]
        assert sizes and min(sizes) * min(1, 328 / width) >= 11, (min(sizes), width)


def test_grade_bars_name_their_group_in_words_not_only_by_colour():
    from scoreboard.figures import charts
    from scoreboard.pages.formatting import Locale

    rows = [
        {"grade": "A", "count": 3, "agency_group": "ministries"},
        {"grade": "B", "count": 12, "agency_group": "provinces"},
    ]
    svg = charts.draw(charts.grade_spec(rows, Locale("vi")))
    assert "3 · Bộ, ngành" in svg and "12 · Địa phương" in svg


def test_links_between_pages_are_relative_to_the_page_folder():
    """A page's links climb out of its own folder (a page x.md is served as x/)."""
    assert urls.relative("agencies/league-2024-H1-provinces.md", "indicators/x.md") == "../../indicators/x/"
    assert urls.relative("index.md", "index.md") == "./"
    assert urls.relative("index.md", "data/indicators.csv") == "data/indicators.csv"
    assert urls.relative("indicators/x.md", "indicators/y.md") == "../y/"
    assert urls.relative("indicators/x.md", "indicators/x.svg") == "../x.svg"
