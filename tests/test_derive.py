"""The judgement rules (one verdict per target, which figures compare, changes), target years,
league tables and agency validity, on invented data (tests/fixtures/synthetic) built to
exercise each rule and its boundaries, and properties that hold for whatever data/ holds
(never its figures: maintainers change them every period)."""

from __future__ import annotations

import dataclasses

import pytest

from scoreboard.data import periods
from scoreboard.derive import agencies, derive_all, quality, series, verdicts
from tests.conftest import problems_of

from .conftest import make_synthetic_project


def test_synthetic_fixture_is_valid(tmp_path):
    root = make_synthetic_project(tmp_path / "p")
    assert [p.text() for p in problems_of(root) if p.is_error] == []


@pytest.fixture(scope="module")
def derived(synthetic):
    return derive_all(synthetic)


def _verdict(derived, indicator_id, deadline):
    return next(v for v in derived.verdicts if (v.indicator_id, v.target_period) == (indicator_id, deadline))


@pytest.mark.parametrize(
    "indicator_id, deadline, verdict, figure",
    [
        # due (deadline by the end of 2025-H1, the latest period): judged at the deadline
        ("verdict-not-met", "2023", "missed", "2023"),  # 73.5 against 85; 90 in 2024-H1 comes too late
        ("share-missed-falling", "2023", "met", "2023"),  # 60 against 50; 45 later does not undo it
        ("share-stale", "2022", "met", "2022-H1"),  # 90 at mid-2022, 184 days before the deadline
        ("verdict-year-before", "2023", "no_figure", None),  # 60 in 2022, a year before; 70 after
        ("share-missed", "2023", "no_figure", None),  # figures only after the deadline
        ("target-only", "2023", "no_figure", None),  # no figure at all
        ("lower-deadline", "2023", "missed", "2023"),  # 12 against at most 10
        ("lower-deadline", "2024-H1", "met", "2023"),  # 12 against at most 12, half a year before
        ("deadline-now", "2024-H1", "met", "2024-H1"),  # 80 against 70, at the deadline
        ("share-met", "2024", "met", "2024-H1"),  # 80 against 75
        ("share-at-target", "2024", "met", "2024-H1"),  # exactly 75
        ("share-range", "2024", "met", "2024-H1"),  # 66 in 65-70: from the low end
        ("share-range-low", "2024", "met", "2024-H1"),  # 65: the low end
        ("share-range-below", "2024", "missed", "2024-H1"),  # 64.9
        ("share-more-than", "2024", "missed", "2024-H1"),  # 90 is not more than 90
        ("share-more-than-above", "2024", "met", "2024-H1"),  # 90.1
        ("count-nearly", "2024", "missed", "2024-H1"),  # nearly 40 lies below 40
        ("count-nearly-above", "2024", "met", "2024-H1"),  # nearly 40.1 is above 40 whatever its value
        ("flow-revenue", "2024", "no_figure", None),  # a flow: the 2024-H1 half year does not judge a year
        # not yet due (2025): judged on the figures so far
        ("share-on-track", "2025", "on_track", "2023"),  # 40 -> 60 in a year reaches 75 by the end of 2025
        ("share-off-trend", "2025", "off_track", "2023"),  # 40 -> 42: about 46 by then
        ("deadline-now", "2025", "on_track", "2024-H1"),  # 40 -> 80 in half a year, against 90
        ("share-single", "2025", "too_little_data", "2024-H1"),  # one figure makes no trend
        ("share-stale", "2025", "too_little_data", "2022-H1"),  # 90 at mid-2022 is no recent figure
        ("lower-met", "2025", "met_early", "2024-H1"),  # 8 against at most 10
        ("lower-at-target", "2025", "met_early", "2024-H1"),  # exactly 10
        ("lower-nearly", "2025", "met_early", "2024-H1"),  # nearly 10 lies below 10
        ("lower-more-than", "2025", "too_little_data", "2024-H1"),  # more than 10: not met, one figure
        ("lower-on-track", "2025", "on_track", "2024-H1"),  # 30 -> 20 in half a year
        ("lower-off-track", "2025", "off_track", "2024-H1"),  # 30 -> 28: about 22 by the end of 2025
    ],
)
def test_one_verdict_per_target(derived, indicator_id, deadline, verdict, figure):
    v = _verdict(derived, indicator_id, deadline)
    assert v.verdict == verdict
    assert (v.figure or {}).get("period") == figure


def test_a_target_met_after_its_deadline_is_still_missed(derived):
    v = _verdict(derived, "verdict-not-met", "2023")
    assert v.verdict == "missed" and v.figure["value"] == 73.5
    later = derived.observations["verdict-not-met"][-1]
    assert later["period"] == "2024-H1" and later["value"] >= 85  # reached, but too late


def test_no_figure_at_the_deadline_shows_the_figures_around_it(derived):
    year_before = _verdict(derived, "verdict-year-before", "2023")
    # 60 at the end of 2022 reaches 50 but is a year old; 70 after the deadline never counts
    assert (year_before.last_before["period"], year_before.last_before["value"]) == ("2022", 60)
    assert year_before.first_after["period"] == "2024-H1"
    only_after = _verdict(derived, "share-missed", "2023")
    assert only_after.last_before is None and only_after.first_after["period"] == "2024-H1"
    nothing = _verdict(derived, "target-only", "2023")
    assert nothing.last_before is None and nothing.first_after is None
    flow = _verdict(derived, "flow-revenue", "2024")
    assert flow.last_before["period"] == "2023" and flow.other_length["period"] == "2024-H1"


def test_projections_extend_the_yearly_rate_and_stay_within_the_unit(derived):
    assert _verdict(derived, "share-on-track", "2025").projected == pytest.approx(60 + 20 * 2, abs=0.2)
    assert _verdict(derived, "lower-on-track", "2025").projected == 0  # a share never falls below 0
    assert _verdict(derived, "deadline-now", "2025").projected == 100  # nor rises above 100
    assert _verdict(derived, "lower-off-track", "2025").projected == pytest.approx(22, abs=0.1)


def _obs(period, value, kind="reported", segment=0):
    return {"period": period, "value": value, "value_kind": kind, "segment": segment, "denominator": None}


TARGET_80 = {"indicator_id": "x", "breakdown": "nationwide", "target_period": "2022", "value": 80.0}
TARGET_80 |= {"low": float("nan"), "high": float("nan"), "comparison": "at_least"}
LEVEL = {"higher_is_better": True, "measure": "level"}
FLOW = {"higher_is_better": True, "measure": "flow"}


@pytest.mark.parametrize(
    "figures, indicator, as_of, verdict",
    [
        ([_obs("2022-Q2", 85)], LEVEL, "2024", "met"),  # ends 30 June: 184 days before 31 December
        ([_obs("2022-Q1", 85)], LEVEL, "2024", "no_figure"),  # ends 31 March: 275 days before
        ([_obs("2021-H2", 85)], LEVEL, "2024", "no_figure"),  # a year before
        ([_obs("2022-H1", 90), _obs("2022", 70)], LEVEL, "2024", "missed"),  # reached early, fell back
        ([_obs("2022", 70), _obs("2023", 95)], LEVEL, "2024", "missed"),  # reached after the deadline
        ([_obs("2023", 95)], LEVEL, "2024", "no_figure"),
        ([_obs("2022", 80, "nearly")], LEVEL, "2024", "missed"),  # "nearly 80" lies below 80
        ([_obs("2022", 80, "more_than")], LEVEL, "2024", "met"),
        ([_obs("2022-H1", 85)], FLOW, "2024", "no_figure"),  # a half year's flow never judges a year
        ([_obs("2022", 85)], FLOW, "2024", "met"),
        ([_obs("2021", 60)], LEVEL, "2021", "too_little_data"),  # not yet due: one figure
        ([_obs("2020", 40), _obs("2021", 60)], LEVEL, "2021", "on_track"),
        ([_obs("2020", 40, segment=0), _obs("2021", 60, segment=1)], LEVEL, "2021", "too_little_data"),  # a break
        ([_obs("2021-H1", 40), _obs("2021", 60)], FLOW, "2021", "too_little_data"),  # no two years
        ([], LEVEL, "2021", "too_little_data"),
    ],
)
def test_verdict_rules_on_made_up_series(figures, indicator, as_of, verdict):
    reported = sorted({o["period"] for o in figures} | {as_of}, key=periods.sort_key)
    assert verdicts.judge(TARGET_80, figures, indicator, as_of, reported).verdict == verdict


def test_a_target_falls_due_with_the_period_that_ends_on_its_deadline(synthetic):
    rows = series.by_indicator(series.shown_observations(synthetic))["deadline-now"]
    targets = series.by_indicator(series.shown_targets(synthetic))["deadline-now"]
    target = next(t for t in targets if t["target_period"] == "2024-H1")  # 70 by mid-2024
    indicator = {"higher_is_better": True, "measure": "level"}
    before = verdicts.judge(target, rows, indicator, "2023", ["2023"])
    assert not before.is_due and before.verdict == "too_little_data"  # 40 in 2023: one figure so far
    assert verdicts.judge(target, rows, indicator, "2024-H1", ["2023", "2024-H1"]).verdict == "met"  # 80


@pytest.mark.parametrize(
    "figure, reported, as_of, recent",
    [
        ("2023", ["2024"], "2024", True),  # exactly a (leap) year, 366 days, before the newest year
        ("2022", ["2023"], "2023", True),  # exactly a year, 365 days
        ("2022", ["2024"], "2024", False),  # two years
        ("2023-Q3", ["2024-Q3"], "2024-Q3", True),  # 366 days
        ("2023-Q2", ["2024-Q3"], "2024-Q3", False),  # a year and a quarter
        ("2023", ["2025-H1"], "2025-H1", True),  # a yearly figure is not judged against a half year
        ("2023-H1", ["2025-H1"], "2025-H1", False),  # but a half-year figure is
        ("2022-H1", ["2023"], "2023", False),  # and against years too: 549 days
        ("2024-H1", ["2025-H1"], "2025-H1", True),  # 365 days
        ("2022-Q1", ["2023-H1"], "2023-H1", False),  # a quarter against a later half year
        ("2021", ["2024"], "2022", True),  # periods after the as-of period do not count
        ("2021", [], "2024", True),  # nothing newer of its kind: its own period is the newest
    ],
)
def test_recency_is_judged_against_the_newest_period_of_the_figures_kind(figure, reported, as_of, recent):
    assert series.is_recent(figure, reported, as_of) is recent


def test_changes_only_between_figures_that_compare(derived):
    change = derived.changes
    assert change[("share-met", "nationwide", "2024-H1")].value == 30  # 50 (2023) -> 80
    assert change[("share-met", "nationwide", "2024-H1")].previous["period"] == "2023"
    assert change[("share-single", "nationwide", "2024-H1")].reason == "first_figure"
    assert change[("villages", "nationwide", "2024-H1")].reason == "different_totals"  # 477/832, 256/896
    assert change[("series-break", "nationwide", "2024-H1")].reason == "series_break"  # 40, then 20 anew
    # a flow: a year against the year before, a half year against a half year, never one against the other
    assert change[("flow-revenue", "nationwide", "2022")].reason == "different_lengths"  # only 2022-H1 before it
    assert change[("flow-revenue", "nationwide", "2023")].value == 50  # 250 -> 300
    assert change[("flow-revenue", "nationwide", "2024-H1")].value == 60  # 100 (2022-H1) -> 160
    assert change[("flow-revenue", "nationwide", "2024-H1")].previous["period"] == "2022-H1"


def test_a_period_page_never_judges_a_past_deadline_with_a_later_figure(derived):
    rows = {r["observation"]["indicator_id"]: r for r in derived.period_rows["2024-H1"]}
    assert rows["verdict-not-met"]["target"] is None  # 90 in 2024-H1; its only target was due in 2023
    assert rows["share-missed"]["target"] is None
    assert rows["share-met"]["target"].key == "share-met/nationwide/2024"  # due after: read against it
    assert rows["share-met"]["target"] is _verdict(derived, "share-met", "2024")  # the same verdict, not a new one
    assert rows["flow-revenue"]["target"] is None  # a half year is not read against a yearly target
    earlier = {r["observation"]["indicator_id"]: r for r in derived.period_rows["2023"]}
    assert earlier["verdict-not-met"]["target"] is _verdict(derived, "verdict-not-met", "2023")


def test_series_segments_count_the_breaks(derived):
    breaks = [(o["period"], o["segment"], o["series_break"]) for o in derived.observations["series-break"]]
    assert breaks == [("2023", 0, False), ("2024-H1", 1, True)]


def test_headline_is_the_next_open_target_else_the_latest_due_one(derived):
    assert derived.headlines["deadline-now"].verdict.target_period == "2025"
    assert derived.headlines["share-met"].verdict.target_period == "2024"
    assert derived.headlines["share-none"].verdict is None
    assert derived.headlines["share-met"].latest["period"] == "2024-H1"


def test_verdicts_counted_by_deadline_year(derived):
    years = {row["year"]: row for row in verdicts.by_year(derived.verdicts)}
    assert {k: years[2023][k] for k in ("total", "met", "missed", "no_figure")} == {
        "total": 6,
        "met": 1,
        "missed": 2,
        "no_figure": 3,
    }
    assert sum(row["total"] for row in years.values()) == len(derived.verdicts)
    assert all(not v.is_due for v in years[2025]["verdicts"])


def test_every_target_gets_one_verdict_by_the_rules(dataset):
    """Property of whatever data/ holds: a target is due exactly when its deadline is no later
    than the latest period's end; a deciding figure is never after the deadline nor outside
    the window; a flow is judged only by figures as long as its target's period."""
    derived = derive_all(dataset)
    assert len(derived.verdicts) == len(series.shown_targets(dataset))
    as_of_end = periods.parse(derived.as_of).end
    for v in derived.verdicts:
        deadline = periods.parse(v.target_period).end
        assert v.verdict in verdicts.VERDICTS
        assert v.is_due == (deadline <= as_of_end), v.key
        if v.is_due and v.figure is not None:
            end = periods.parse(v.figure["period"]).end
            assert end <= deadline and (deadline - end).days <= verdicts.WINDOW_DAYS, v.key
        if v.figure is not None and dataset.indicator(v.indicator_id)["measure"] == "flow":
            assert periods.parse(v.figure["period"]).months == periods.parse(v.target_period).months, v.key
        if v.verdict == "too_little_data":
            assert v.reason in verdicts.TOO_LITTLE, v.key


def test_every_change_is_between_figures_that_compare(dataset):
    derived = derive_all(dataset)
    for (indicator_id, breakdown, period), c in derived.changes.items():
        if c.value is None:
            assert c.reason in series.NO_CHANGE_REASONS
            continue
        assert c.previous["breakdown"] == breakdown and c.previous["segment"] == next(
            o["segment"]
            for o in derived.observations[indicator_id]
            if (o["breakdown"], o["period"]) == (breakdown, period)
        )
        if dataset.indicator(indicator_id)["measure"] == "flow":
            assert periods.parse(c.previous["period"]).months == periods.parse(period).months


def _table(tables, period, group):
    return next(t for t in tables if t.period == period and t.group == group)


def test_league_table_follows_validity_dates(synthetic):
    tables = agencies.league_tables(synthetic)
    assert set(_table(tables, "2023", "local").rows["agency_id"]) == {"tinh-a", "tinh-b", "tinh-c", "tinh-d"}
    assert set(_table(tables, "2024-H1", "local").rows["agency_id"]) == {"tinh-a", "tinh-b", "tinh-c", "tinh-e"}


def test_league_table_statuses_and_counts(synthetic):
    table = _table(agencies.league_tables(synthetic), "2024-H1", "local")
    rows = table.rows.set_index("agency_id")
    assert table.criteria == ["plan", "conn", "named-only"]
    assert rows.at["tinh-b", "plan"] == "not_met"
    assert rows.at["tinh-a", "plan"] == "met"  # not in the list of those that have not
    assert rows.at["tinh-c", "named-only"] == "not_met"
    assert rows.at["tinh-a", "named-only"] == "unknown"  # a list with no total: others unknown
    assert (rows["conn"] == "met").all()  # 4/4
    assert rows.at["tinh-a", "met"] == 2 and rows.at["tinh-b", "met"] == 1 and rows.at["tinh-b", "not_met"] == 1
    assert list(table.rows["agency_id"])[0] in {"tinh-a", "tinh-e"}  # sorted by criteria met
    assert table.has_grades and rows.at["tinh-a", "grade"] == "A"


def test_count_disagreeing_with_named_list_is_flagged_not_fixed(synthetic):
    table = _table(agencies.league_tables(synthetic), "2024-H1", "local")
    note = table.summaries["plan"].discrepancy
    assert note == {"reported_met": 2, "total": 4, "named_not_met": 1, "implied_met": 3}
    central = _table(agencies.league_tables(synthetic), "2024-H1", "central")
    assert central.summaries["plan"].discrepancy is None  # 1/2 with one named: consistent
    assert central.rows.set_index("agency_id").at["co-quan-z", "plan"] == "not_met"
    warnings = quality.data_quality_warnings(synthetic)
    assert any(w.kind == "count-list-disagree" and "(2/4)" in w.message for w in warnings)


def test_merged_province_keeps_its_history(synthetic):
    statuses, _ = agencies.agency_statuses(synthetic)
    history = statuses[statuses["agency_id"] == "tinh-d"]
    assert set(history["period"]) == {"2023"}
    assert history.iloc[0]["status"] == "not_met"


# --- whatever data/ holds: properties, never figures -------------------------------------------


def test_every_league_table_counts_its_agencies_consistently(dataset):
    from scoreboard.data.model import agencies_valid_in

    named = dataset.agency_checks
    tables = agencies.league_tables(dataset)
    assert tables, "the data has no league table"
    for table in tables:
        valid = agencies_valid_in(dataset, table.period)
        assert sorted(table.rows["agency_id"]) == sorted(valid.index[valid["group"] == table.group])
        for _, row in table.rows.iterrows():
            cells = [row[c] for c in table.criteria]
            assert set(cells) <= {"met", "not_met", "unknown", "not_applicable"}
            assert (row["met"], row["not_met"], row["unknown"]) == (
                cells.count("met"),
                cells.count("not_met"),
                cells.count("unknown"),
            )
        rows = table.rows.set_index("agency_id")
        for check in named[named["period"] == table.period].to_dict("records"):
            if check["agency_id"] in rows.index and check["criterion_id"] in table.criteria:
                assert rows.at[check["agency_id"], check["criterion_id"]] == check["status"], check


def test_grade_distributions_sum_to_the_agencies_they_grade(dataset):
    from scoreboard.data.model import BREAKDOWN_KINDS, agencies_valid_in

    g = agencies.grade_distribution(dataset)
    for (period, group), rows in g.groupby(["period", "agency_group"]):
        assert set(rows["grade"]) == set("ABCDE"), (period, group)
        assert rows["count"].sum() == rows["total"].iloc[0] and rows["total"].nunique() == 1, (period, group)
        valid = agencies_valid_in(dataset, period)
        assert rows["total"].iloc[0] <= valid["kind"].isin(BREAKDOWN_KINDS[group]).sum(), (period, group)
    for grade in dataset.agency_grades.to_dict("records"):
        assert grade["agency_id"] in agencies_valid_in(dataset, grade["period"]).index, grade


def test_agency_statuses_are_worked_out_once_per_dataset(synthetic):
    """The validator's warnings and the league tables share one result; a dataset made with
    other rows (dataclasses.replace) gets its own."""
    first = agencies.agency_statuses(synthetic)
    assert agencies.agency_statuses(synthetic) is first
    assert (first[0]["basis"] == "named").any()
    without_checks = dataclasses.replace(synthetic, agency_checks=synthetic.agency_checks.iloc[:0])
    statuses, _ = agencies.agency_statuses(without_checks)
    assert not (statuses["basis"] == "named").any()  # no agency named when no check is listed
