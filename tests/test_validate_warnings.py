"""The derive stage's warnings: each asks one question about the data, is explained by a
row's note (then `validate` leaves it out and `validate --all` shows it), and names the file,
line and column to look at. On the synthetic set."""

from __future__ import annotations

import pytest

import build_site
from scoreboard.derive import quality

from .conftest import problems_of, read_rows, write_rows
from .test_validate import GRADES, OBS, _edit, _index

LATER = "data/periods/2025-H1/observations.csv"


@pytest.fixture
def project(synthetic_project):
    return synthetic_project


def _warnings(project, kind, explained=False):
    found = quality.check(project, explained=explained)[0]
    assert not any(p.is_error for p in found), [p.text() for p in found if p.is_error]
    return [p for p in found if p.kind == kind]


def _append(project, rel, line):
    with (project / rel).open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    return len(read_rows(project / rel)) + 1


def test_a_count_over_ministries_and_provinces_is_checked_against_both(project):
    index = _index(project, OBS, indicator_id="conn-both")
    assert _warnings(project, "denominator") == [] or all(p.row != index + 2 for p in _warnings(project, "denominator"))
    line = _edit(project, OBS, index, numerator="5", value="5", denominator="7", quote="5/7")
    (found,) = [p for p in _warnings(project, "denominator") if p.row == line]
    assert (found.path, found.column, found.value) == (OBS, "denominator", "7")
    assert "ministries and provinces at the end of 2024-H1 (2024-06-30): 6 existed then" in found.message


def test_the_warning_names_the_day_the_count_of_agencies_changed(project):
    agencies = project / "data/reference/agencies.csv"
    rows = read_rows(agencies)
    rows.append(dict(rows[0], id="tinh-f", statistical_code="06", name_vi="Tỉnh F", name_en="Province F"))
    rows[-1].update(valid_from="2024-07-01", valid_to="", note_vi="", note_en="")
    write_rows(agencies, rows)
    line = _edit(
        project,
        OBS,
        _index(project, OBS, indicator_id="conn-all"),
        value="5",
        numerator="5",
        denominator="5",
        quote="5/5",
    )
    (found,) = [p for p in _warnings(project, "denominator") if p.row == line]
    assert "4 existed then; 5 existed from 2024-07-01, when the count of agencies changed" in found.message
    assert "as they were from 2024-07-01" in found.hint


def test_a_note_on_a_grade_row_explains_its_total(project):
    rows = read_rows(project / GRADES)
    assert rows[0]["note_en"]  # the invented set explains its total of 2 provinces (of 4)
    write_rows(project / GRADES, [dict(r, note_vi="", note_en="") for r in rows])
    (found,) = [p for p in _warnings(project, "denominator") if p.path == GRADES]
    rows[0]["note_vi"] = ""
    rows[-1]["note_en"], rows[0]["note_en"] = rows[0]["note_en"], ""  # a note on any row of the group
    write_rows(project / GRADES, rows)
    assert [p for p in _warnings(project, "denominator") if p.path == GRADES] == []
    (kept,) = [p for p in _warnings(project, "denominator", explained=True) if p.path == GRADES]
    assert kept.explained and (kept.row, kept.column) == (found.row, found.column)
    assert "its note explains it" in kept.text()


def test_a_count_that_jumps_asks_whether_the_method_changed(project):
    line = _append(project, LATER, "count-nearly,2025-H1,nationwide,80,,,reported,synthetic,true,80,,")
    (found,) = _warnings(project, "series-jump")
    assert (found.path, found.row, found.column, found.value) == (LATER, line, "value", "80")
    assert "+100% since 2024-H1 (40, data/periods/2024-H1/observations.csv:8)" in found.message
    assert "data/reference/series_breaks.csv" in found.hint and "count-nearly,nationwide,2025-H1" in found.hint


# 40 in 2024-H1, then a figure a year later: a third per half year is 40 x (4/3)^2 = 71.1 up,
# 40 x (3/4)^2 = 22.5 down
@pytest.mark.parametrize("value, warned", [("71", False), ("72", True), ("23", False), ("22", True)])
def test_the_jump_is_a_third_per_half_year_either_way(project, value, warned):
    _append(project, LATER, f"count-nearly,2025-H1,nationwide,{value},,,reported,synthetic,true,{value},,")
    assert bool(_warnings(project, "series-jump")) == warned


def test_a_recorded_break_or_a_note_answers_the_jump(project):
    line = _append(project, LATER, "count-nearly,2025-H1,nationwide,80,,,reported,synthetic,true,80,,")
    breaks = project / "data/reference/series_breaks.csv"
    before = breaks.read_text(encoding="utf-8")
    breaks.write_text(before + "count-nearly,nationwide,2025-H1,Cách đếm mới.,A new count.\n", encoding="utf-8")
    assert _warnings(project, "series-jump", explained=True) == []
    breaks.write_text(before, encoding="utf-8")
    rows = read_rows(project / LATER)
    rows[-1]["note_vi"] = "Báo cáo nói số tăng do thêm đơn vị mới."
    write_rows(project / LATER, rows)
    assert _warnings(project, "series-jump") == []
    assert [p.row for p in _warnings(project, "series-jump", explained=True)] == [line]


def test_shares_and_x_of_y_counts_do_not_jump(project):
    _append(project, LATER, "share-met,2025-H1,nationwide,100,,,reported,synthetic,true,100,,")  # 80 -> 100
    _append(project, LATER, "conn-all,2025-H1,provinces,2,2,4,reported,synthetic,true,2/4,,")  # 4/4 -> 2/4
    assert _warnings(project, "series-jump") == []


def test_a_disagreement_that_the_rows_note_explains_is_not_repeated(project, monkeypatch, capsys):
    assert len(_warnings(project, "sources-disagree")) == 1
    index = _index(project, OBS, indicator_id="hostile-text", source_id="other")
    _edit(project, OBS, index, note_en="The other source counts differently.")
    assert _warnings(project, "sources-disagree") == []
    assert len(_warnings(project, "sources-disagree", explained=True)) == 1
    monkeypatch.setattr(build_site, "ROOT", project)
    build_site.main(["validate"])
    out, err = capsys.readouterr()
    assert "sources disagree" not in out and "2 more that the rows' notes explain" in err  # and the grades' total
    build_site.main(["validate", "--all"])
    out, err = capsys.readouterr()
    assert "warning (its note explains it): sources disagree" in out and "more that the rows' notes" not in err
    assert problems_of(project) == quality.check(project)[0]


def test_two_figures_from_one_sentence_of_one_report_are_compared_by_the_report_itself(project):
    """'16,4 triệu tài khoản, tăng 4,8 triệu so với năm 2023 (11,6 triệu)': the report gives
    both figures and the change between them, so the jump is no question about its method."""
    sentence = "gần 40 năm trước, nay 80"
    _edit(project, OBS, _index(project, OBS, indicator_id="count-nearly"), quote=sentence)
    _append(project, LATER, f'count-nearly,2025-H1,nationwide,80,,,reported,synthetic,true,"{sentence}",,')
    assert _warnings(project, "series-jump", explained=True) == []
    rows = read_rows(project / LATER)
    rows[-1]["quote"] = "nay 80"
    write_rows(project / LATER, rows)
    assert len(_warnings(project, "series-jump")) == 1


def test_a_target_whose_deadline_is_before_its_source_asks_about_it(project):
    targets = "data/reference/targets.csv"
    rows = read_rows(project / targets)
    index = next(i for i, r in enumerate(rows) if r["target_period"] == "2023" and r["source_id"] == "synthetic")
    assert _warnings(project, "target-after-deadline") == []
    sources = project / "data/reference/sources.csv"
    write_rows(sources, [dict(r, date="2024-01") if r["id"] == "synthetic" else r for r in read_rows(sources)])
    found = [p for p in _warnings(project, "target-after-deadline") if p.row == index + 2]
    assert [(p.path, p.column, p.value) for p in found] == [(targets, "target_period", "2023")]
    assert "before its source's date (2024-01)" in found[0].message
    write_rows(sources, [dict(r, date="2023-12-31") if r["id"] == "synthetic" else r for r in read_rows(sources)])
    assert index + 2 not in [p.row for p in _warnings(project, "target-after-deadline")]  # set on its last day
    write_rows(sources, [dict(r, date="2024") if r["id"] == "synthetic" else r for r in read_rows(sources)])
    _edit(project, targets, index, note_en="The report recalls the plan's target for 2023.")
    assert index + 2 not in [p.row for p in _warnings(project, "target-after-deadline")]
    assert index + 2 in [p.row for p in _warnings(project, "target-after-deadline", explained=True)]
