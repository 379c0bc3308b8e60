"""The rules that must never break silently, called directly on made-up inputs, each result
compared whole (a verdict with its evidence, a change with the figure it is taken from, a
message as printed): the status rules, which figures compare, the one rule for numbers, the
escaping of messages and summaries, and the checks before a swap into site/.

Tests elsewhere reach the same code through whole projects; these pin each rule on its own
(benchmarks/mutation.py runs them against mutants of the code)."""

from __future__ import annotations

import errno
import math

import pytest

from scoreboard.data import escaping, numbers, periods
from scoreboard.data.problems import Problem, escape_data, summary_markdown
from scoreboard.derive import series, verdicts
from scoreboard.derive.series import Change
from scoreboard.derive.verdicts import Verdict
from scoreboard.maintain import diff
from scoreboard.site import publish

NAN = float("nan")


def obs(period, value, kind="reported", segment=0, denominator=None):
    return {"period": period, "value": value, "value_kind": kind, "segment": segment, "denominator": denominator}


def target(period="2022", value=80.0, low=NAN, high=NAN, comparison="at_least"):
    return {
        "indicator_id": "x",
        "breakdown": "nationwide",
        "target_period": period,
        "value": value,
        "low": low,
        "high": high,
        "comparison": comparison,
    }


LEVEL = {"higher_is_better": True, "measure": "level"}
FLOW = {"higher_is_better": True, "measure": "flow"}
LOWER = {"higher_is_better": False, "measure": "level"}


# --- a value against a target ---------------------------------------------------------------


def test_the_threshold_is_the_value_or_the_low_end_of_a_range():
    assert verdicts.threshold(target(value=80.0)) == 80.0
    assert verdicts.threshold(target(value=NAN, low=65.0, high=70.0)) == 65.0
    assert verdicts.threshold(target(value=None, low=65.0, high=70.0)) == 65.0


@pytest.mark.parametrize(
    "value, kind, comparison, higher, met",
    [
        (80, "reported", "at_least", True, True),
        (79.9, "reported", "at_least", True, False),
        (80, "reported", "more_than", True, False),
        (80.1, "reported", "more_than", True, True),
        (80, "nearly", "at_least", True, False),  # "nearly 80" lies below 80
        (80.1, "nearly", "at_least", True, True),
        (80, "more_than", "at_least", True, True),  # "more than 80" lies above it
        (80, "reported", "at_least", False, True),  # lower is better: at the target is met
        (80.1, "reported", "at_least", False, False),
        (80, "reported", "more_than", False, False),  # lower is better, strictly
        (79.9, "reported", "more_than", False, True),
        (80, "more_than", "at_least", False, False),  # "more than 80" lies on the wrong side
        (79.9, "more_than", "at_least", False, True),
        (80, "nearly", "at_least", False, True),  # "nearly 80" is below: fine where lower is better
    ],
)
def test_a_value_meets_its_target(value, kind, comparison, higher, met):
    assert verdicts.meets(value, kind, target(comparison=comparison), higher) is met


def test_higher_is_better_unless_said():
    assert verdicts.meets(81, "reported", target()) is True
    assert verdicts.meets(79, "reported", target()) is False


# --- one target's verdict, with its evidence --------------------------------------------------


def judge(t, figures, indicator, as_of, bounds=(None, None)):
    reported = periods.sorted_ids({o["period"] for o in figures} | {as_of})
    return verdicts.judge(t, figures, indicator, as_of, reported, bounds)


def test_due_and_met_by_the_last_figure_within_half_a_year():
    t, q2 = target(), obs("2022-Q2", 85)
    assert judge(t, [obs("2021", 10), q2], LEVEL, "2024") == Verdict(t, "met", figure=q2)


def test_due_and_missed_where_lower_is_better():
    t, last = target(value=10.0), obs("2022", 12)
    assert judge(t, [last], LOWER, "2024") == Verdict(t, "missed", figure=last)
    below = obs("2022", 8)
    assert judge(t, [below], LOWER, "2024") == Verdict(t, "met", figure=below)


def test_no_figure_at_the_deadline_names_the_figures_around_it():
    """A yearly flow target: the year before is too old, the year after never counts, and a
    half year ending on the deadline is another length (shown, not counted)."""
    t = target()
    before, half, after = obs("2021", 60), obs("2022-H2", 85), obs("2023", 90)
    found = judge(t, [before, half, after], FLOW, "2024")
    assert found == Verdict(t, "no_figure", last_before=before, first_after=after, other_length=half)


def test_no_figure_and_nothing_around_it():
    t = target()
    assert judge(t, [], LEVEL, "2024") == Verdict(t, "no_figure")


def test_not_yet_due_without_a_figure_of_its_length():
    t, half = target("2025"), obs("2023-H1", 50)
    assert judge(t, [half], FLOW, "2023-H1") == Verdict(t, "too_little_data", reason="no_figure", other_length=half)
    assert judge(t, [], FLOW, "2023") == Verdict(t, "too_little_data", reason="no_figure")


def test_met_early_by_the_latest_figure_as_written():
    t, latest = target("2025"), obs("2023", 81)
    assert judge(t, [obs("2022", 70), latest], LEVEL, "2023") == Verdict(t, "met_early", figure=latest)
    nearly = obs("2023", 80, "nearly")  # "nearly 80" has not reached 80 yet: one figure, no trend
    assert judge(t, [nearly], LEVEL, "2023").verdict == "too_little_data"


def test_met_early_where_lower_is_better():
    t, latest = target("2025", value=10.0), obs("2023", 9)
    assert judge(t, [latest], LOWER, "2023") == Verdict(t, "met_early", figure=latest)


def test_one_figure_makes_no_trend_and_a_newer_figure_of_another_length_is_shown():
    t, year, newer = target("2025"), obs("2023", 60), obs("2024-H1", 70)
    assert judge(t, [year, newer], FLOW, "2024-H1") == Verdict(
        t, "too_little_data", figure=year, reason="one_figure", other_length=newer
    )
    same_end = obs("2023-H2", 30)  # ends with the yearly figure: not newer, not shown
    assert judge(t, [same_end, year], FLOW, "2023") == Verdict(t, "too_little_data", figure=year, reason="one_figure")


def test_an_old_figure_is_not_recent():
    t, old = target("2026"), obs("2021", 60)
    assert judge(t, [old], LEVEL, "2024") == Verdict(t, "too_little_data", figure=old, reason="not_recent")


def test_figures_across_a_break_make_no_trend():
    t, before, after = target("2025"), obs("2022", 40), obs("2023", 60, segment=1)
    assert judge(t, [before, after], LEVEL, "2023") == Verdict(
        t, "too_little_data", figure=after, previous=before, reason="not_comparable"
    )


def test_a_trend_is_the_yearly_rate_of_the_two_latest_figures_carried_to_the_deadline():
    t = target("2025", value=70.0)
    first, previous, latest = obs("2021", 10), obs("2022", 50), obs("2023", 58)
    found = judge(t, [first, previous, latest], LEVEL, "2023")
    years = (series.end("2023") - series.end("2022")).days / 365.25
    projected = 58 + (58 - 50) / years * (series.end("2025") - series.end("2023")).days / 365.25
    assert found == Verdict(t, "on_track", latest, previous, found.projected)
    assert found.projected == pytest.approx(projected, rel=1e-12) and 74 < projected < 74.1


def test_a_trend_that_falls_short_is_off_track_and_a_projection_stays_in_the_units_range():
    t = target("2025", value=99.0)
    previous, latest = obs("2022", 40), obs("2023", 90)
    off = judge(t, [previous, latest], LEVEL, "2023", bounds=(0, 95))
    assert off == Verdict(t, "off_track", latest, previous, 95.0)  # 190 without the bound
    low = judge(target("2025", value=10.0), [obs("2022", 40), obs("2023", 20)], LOWER, "2023", bounds=(5, None))
    assert low.verdict == "on_track" and low.projected == 5.0  # -20 without the bound


def test_lower_is_better_trends():
    t = target("2025", value=10.0)
    falling = judge(t, [obs("2022", 30), obs("2023", 20)], LOWER, "2023")
    assert falling.verdict == "on_track" and falling.projected == pytest.approx(0.0, abs=0.2)
    rising = judge(t, [obs("2022", 20), obs("2023", 30)], LOWER, "2023")
    assert rising.verdict == "off_track" and rising.projected == pytest.approx(50.0, abs=0.2)


def test_a_trend_is_taken_between_figures_of_different_ends():
    """A half year and the year ending on the same day: the trend starts from the figure
    before them (no rate over zero days)."""
    t = target("2025")
    start, half, year = obs("2022", 50), obs("2023-H2", 60), obs("2023", 60)
    found = judge(t, [start, half, year], LEVEL, "2023")
    assert (found.previous, found.figure) == (start, year)


# --- which figures compare, and their change ----------------------------------------------------


def test_why_two_figures_do_not_compare():
    a, b = obs("2023", 5), obs("2022", 4)
    assert series.why_not_comparable(a, b, "level") is None
    assert series.why_not_comparable(obs("2023", 5, segment=1), b, "level") == "series_break"
    assert series.why_not_comparable(a, obs("2023-H1", 4), "flow") == "different_lengths"
    assert series.why_not_comparable(a, obs("2023-H1", 4), "level") is None
    assert series.why_not_comparable(a, obs("2022-H2", 4), "flow") == "different_lengths"
    assert series.why_not_comparable(a, obs("2022", 4), "flow") is None
    x, y = obs("2023", 5, denominator=20.0), obs("2022", 4, denominator=21.0)
    assert series.why_not_comparable(x, y, "level") == "different_totals"
    assert series.why_not_comparable(x, obs("2022", 4, denominator=20.0), "level") is None
    assert series.why_not_comparable(x, obs("2022", 4, denominator=None), "level") is None
    assert series.why_not_comparable(obs("2023", 5, denominator=None), y, "level") is None
    assert series.why_not_comparable(x, obs("2022", 4, denominator=NAN), "level") is None


def test_the_change_of_a_figure_since_the_last_one_it_compares_with():
    first, second, third = obs("2021", 10.0), obs("2022", 12.5), obs("2023", 1.00000000004)
    line = [first, second, third]
    assert series.change(line, 0, "level") == Change(None, None, "first_figure")
    assert series.change(line, 1, "level") == Change(2.5, first, None)
    assert series.change(line, 2, "level") == Change(round(1.00000000004 - 12.5, 10), second, None)
    assert series.change([obs("2022", 0.0), obs("2023", 1.00000000004)], 1, "level").value == 1.0  # 10 places


def test_a_figure_ending_with_the_one_before_has_no_change_from_it():
    half, year = obs("2023-H2", 50.0), obs("2023", 60.0)
    assert series.change([half, year], 1, "level") == Change(None, None, "first_figure")


def test_a_flow_changes_from_the_last_figure_of_its_length():
    year, half, next_year = obs("2022", 100.0), obs("2023-H1", 40.0), obs("2023", 130.0)
    assert series.change([year, half, next_year], 2, "flow") == Change(30.0, year, None)
    assert series.change([year, half], 1, "flow") == Change(None, year, "different_lengths")
    assert series.change([year, half, next_year], 2, "level") == Change(90.0, half, None)


def test_no_change_across_a_break_or_between_totals():
    before, after = obs("2022", 40.0), obs("2023", 20.0, segment=1)
    assert series.change([before, after], 1, "level") == Change(None, before, "series_break")
    x, y = obs("2022", 477.0, denominator=832.0), obs("2023", 256.0, denominator=896.0)
    assert series.change([x, y], 1, "level") == Change(None, x, "different_totals")


# --- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [("71.79", 71.79), ("-3", -3.0), ("1e3", 1000.0), ("", None), (None, None)])
def test_a_cell_is_read_as_its_number(text, value):
    assert numbers.parse(text) == value


@pytest.mark.parametrize("text", ["1e999", "-1e999", "8_2", "nan", "inf"])
def test_no_number_from_what_is_not_a_finite_number(text):
    assert numbers.parse(text) is None
    assert not math.isinf(numbers.parse("1e308") or 0)


# --- messages, annotations and summaries ------------------------------------------------------------


def test_a_message_as_printed():
    full = Problem("a.csv", 3, "value", "bad", "x", "fix it", kind="k")
    assert full.body() == "value: bad (x) -> fix it" and full.text() == "a.csv:3: value: bad (x) -> fix it"
    bare = Problem("a.csv", 0, "", "bad")
    assert bare.body() == "bad" and bare.text() == "a.csv: bad"
    warning = Problem("a.csv", 2, "", "odd", "0", "", severity="warning")
    assert warning.body() == "warning: odd (0)"
    explained = Problem("a.csv", 2, "total", "odd", "", "look", severity="warning", explained=True)
    assert explained.body() == "total: warning (its note explains it): odd -> look"


def test_an_annotation_as_github_reads_it():
    p = Problem("d/a,b.csv", 4, "value", "50% off\nnext", "", "fix", kind="k")
    assert p.github() == "::error file=d/a%2Cb.csv,line=4,title=value%3A k::50%25 off%0Anext -> fix"
    w = Problem("a.csv", 0, "", "odd", "v", "", severity="warning", kind="")
    assert w.github() == "::warning file=a.csv,title=warning::odd (v)"
    assert Problem("a.csv", 0, "", "odd", kind="k").github() == "::error file=a.csv,title=k::odd"


def test_workflow_command_text_escapes_percent_and_line_breaks_and_shows_the_rest():
    assert escape_data("a%b\r\nc\x07") == "a%25b%0D%0Ac\\x07"


def test_summary_cells_show_pipes_and_empty_values_as_written():
    text = summary_markdown([Problem("a|b.csv", 1, "c", "m", "x|y", "h")])
    assert "| `a\\|b.csv` | 1 | c | m (`x\\|y`) | h |" in text
    assert "| `a.csv` | 1 | c | m |  |" in summary_markdown([Problem("a.csv", 1, "c", "m")])


def test_code_spans():
    assert escaping.code_span("a") == "`a`"
    assert escaping.code_span("") == "`  `"
    assert escaping.code_span("a|b") == "`a|b`" and escaping.code_span("a|b", in_table=True) == "`a\\|b`"
    assert escaping.code_span("`x") == "`` `x ``" and escaping.code_span("x`") == "`` x` ``"
    assert escaping.code_span(" x") == "`  x `" and escaping.code_span("x ") == "` x  `"
    assert escaping.code_span("a``b") == "```a``b```" and escaping.code_span("a`b``") == "``` a`b`` ```"


def test_runs_of_backticks():
    assert escaping._backtick_runs("a``b`c```") == ["``", "`", "```"]
    assert escaping._backtick_runs("``a") == ["``"] and escaping._backtick_runs("") == []


def test_visible_escapes_by_code_point():
    assert escaping.visible("\x85\u0100") == "\\x85\u0100"
    assert escaping.visible("\u2028") == "\\u2028"


# --- the pull-request summary -----------------------------------------------------------------------


def test_the_data_diff_as_markdown_and_text():
    fc = diff.FileChanges("data/periods/2024/observations.csv", "observations")
    row = {"indicator_id": "x", "period": "2024", "breakdown": "nationwide", "source_id": "s", "value": "1.5"}
    fc.added.append(row)
    assert diff.format_markdown([fc], "main") == "\n".join(
        [
            "## Thay đổi dữ liệu / Data changes",
            "",
            "So với / Compared with `main`.",
            "",
            "| Tệp / File | Thêm / Added | Xoá / Removed | Sửa / Changed |",
            "|---|---|---|---|",
            "| `data/periods/2024/observations.csv` | 1 | 0 | 0 |",
            "",
            "### `data/periods/2024/observations.csv`",
            "",
            "- added   indicator x\\, period 2024 \\(nationwide\\, s\\)\\: 1\\,5",
            "",
        ]
    )
    assert diff.format_markdown([], None) == "\n".join(
        ["## Thay đổi dữ liệu / Data changes", "", "Không có thay đổi dữ liệu. / No data changes.", ""]
    )
    assert diff.format_text([fc]) == (
        "data/periods/2024/observations.csv: 1 added, 0 removed, 0 changed\n"
        "  added   indicator x, period 2024 (nationwide, s): 1,5"
    )
    assert diff.format_text([]) == "No data changes."
    pipe = diff.FileChanges("data/a|b.csv", "x", added=[{}])
    assert "| `data/a\\|b.csv` | 1 | 0 | 0 |" in diff.format_markdown([pipe], None)


@pytest.mark.parametrize(
    "path, group",
    [
        ("data/periods/2024/observations.csv", None),
        ("data/schemas/odd.csv", "schemas"),
        ("data/periods/2024/datapackage.json", diff.DESCRIPTORS),
        ("data/periods/2024/x/datapackage.json", "schemas"),
        ("data/periods/2024/observations.json", "other"),
        ("data/reference/datapackage.json", diff.DESCRIPTORS),
        ("notes.txt", "other"),
    ],
)
def test_review_groups(path, group):
    assert diff.group_of(path) == group


# --- before a swap into site/ ------------------------------------------------------------------------


def test_a_file_where_the_site_or_its_folder_belongs_is_named(tmp_path):
    (tmp_path / "site").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError) as found:
        publish.check_target(tmp_path / "site")
    assert (found.value.errno, found.value.strerror, found.value.filename) == (
        errno.ENOTDIR,
        "a file stands where the site folder belongs",
        str(tmp_path / "site"),
    )
    (tmp_path / "parent").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError) as found:
        publish.check_target(tmp_path / "parent" / "site")
    assert (found.value.errno, found.value.strerror, found.value.filename) == (
        errno.ENOTDIR,
        "a file stands where a folder belongs",
        str(tmp_path / "parent"),
    )
    publish.check_target(tmp_path / "fresh" / "site")  # nothing in the way: no error
