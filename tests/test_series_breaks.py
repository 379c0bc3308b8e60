"""Breaks in a series (data/reference/series_breaks.csv): figures on either side are not
comparable, so no change or trend is computed across them, and the indicator page says so.
Tested on the synthetic indicator `series-break` (40 in 2023, then 20 on a new method)."""

from __future__ import annotations

import re

from scoreboard.data import model
from scoreboard.derive import status
from tests.conftest import problems_of

from .conftest import read_rows, write_rows

BREAKS = "data/reference/series_breaks.csv"


def test_no_change_across_a_break_in_the_series(synthetic):
    rows = status.period_changes(synthetic)["2024-H1"]
    row = next(r for r in rows if r["observation"]["indicator_id"] == "series-break")
    assert row["previous"]["period"] == "2023" and row["change"] is None
    assert status.assess(synthetic, "series-break", "2024-H1").change is None


def test_without_the_break_the_change_is_computed(synthetic_project):
    (synthetic_project / BREAKS).write_text("indicator_id,breakdown,period,note_vi,note_en\n", encoding="utf-8")
    dataset = model.load(synthetic_project)
    assert status.assess(dataset, "series-break", "2024-H1").change == -20


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
