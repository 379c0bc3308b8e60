"""Breaks in a series (data/reference/series_breaks.csv): figures on either side are not
comparable, so no change or trend is computed across them, the chart starts a new line
with a marker, and the indicator page says so. Tested on the synthetic indicator
`series-break` (40 in 2023, then 20 on a new method)."""

from __future__ import annotations

import re

from scoreboard.data import model
from scoreboard.derive import derive_all
from tests.conftest import problems_of

from .conftest import read_rows, write_rows

BREAKS = "data/reference/series_breaks.csv"


def test_no_change_across_a_break_in_the_series(synthetic):
    change = derive_all(synthetic).changes[("series-break", "nationwide", "2024-H1")]
    assert change.value is None and change.reason == "series_break" and change.previous["period"] == "2023"


def test_without_the_break_the_change_is_computed(synthetic_project):
    (synthetic_project / BREAKS).write_text("indicator_id,breakdown,period,note_vi,note_en\n", encoding="utf-8")
    change = derive_all(model.load(synthetic_project)).changes[("series-break", "nationwide", "2024-H1")]
    assert change.value == -20 and change.reason is None


def test_a_break_must_start_at_a_shown_figure(synthetic_project):
    rows = read_rows(synthetic_project / BREAKS)
    rows[0]["period"] = "2022"  # series-break has no figure in 2022
    write_rows(synthetic_project / BREAKS, rows)
    [problem] = [p for p in problems_of(synthetic_project) if p.kind == "series-break"]
    assert (problem.path, problem.row, problem.column, problem.value) == (BREAKS, 2, "period", "2022")
    assert problem.is_error


def test_the_indicator_page_says_where_the_series_breaks(synthetic_built):
    for page, words in (
        ("indicators/series-break/index.html", "Chuỗi số gián đoạn (Cả nước) từ 6 tháng đầu năm 2024"),
        ("en/indicators/series-break/index.html", "Break in the series (Nationwide) from First half of 2024"),
    ):
        html = (synthetic_built / page).read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", html)
        assert words in text


def _line_paths(svg: str) -> list[str]:
    """The paths Vega draws for a chart's line marks."""
    return (
        re.findall(r'aria-roledescription="line mark container"><path d="([^"]*)"', svg)
        + re.findall(r'aria-roledescription="line mark container">(?:<path d="[^"]*"[^>]*/>)+', svg)[:0]
    )


def test_the_chart_breaks_its_line_and_marks_the_new_series(synthetic_built):
    for prefix, word in (("", "Chuỗi mới"), ("en/", "New series")):
        svg = (synthetic_built / f"{prefix}indicators/series-break.svg").read_text(encoding="utf-8")
        assert word in svg  # the marker's label
        assert svg.count('stroke-dasharray="4,3"') == 1  # the marker: one dashed rule
        paths = _line_paths(svg)
        assert len(paths) == 2 and not any("L" in d for d in paths)  # two series, no segment across the break
        joined = _line_paths((synthetic_built / f"{prefix}indicators/share-on-track.svg").read_text(encoding="utf-8"))
        assert any("L" in d for d in joined)  # figures of one series are joined
