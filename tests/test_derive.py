"""Status rules, changes, target years, league tables and agency validity, on invented data
(tests/fixtures/synthetic) built to exercise each rule and its boundaries, and properties
that hold for whatever data/ holds (never its figures: maintainers change them every period)."""

from __future__ import annotations

import dataclasses

import pytest

from scoreboard.derive import agencies, quality, series, verdicts
from scoreboard.derive import status as status_mod
from tests.conftest import problems_of

from .conftest import make_synthetic_project


def status(dataset, indicator_id, as_of="2024-H1"):
    return status_mod.assess(dataset, indicator_id, as_of)


def test_synthetic_fixture_is_valid(tmp_path):
    root = make_synthetic_project(tmp_path / "p")
    assert [p.text() for p in problems_of(root) if p.is_error] == []


@pytest.mark.parametrize(
    "indicator_id, expected",
    [
        ("share-met", "met"),  # 80 against 75 due in 2024
        ("share-at-target", "met"),  # exactly 75 against "at least 75"
        ("share-on-track", "on_track"),  # 40 -> 60 in a year; 75 due at the end of 2025
        ("share-off-trend", "off_track"),  # 40 -> 42 in a year; 75 not reached by 2025 at that pace
        # every target due: judged at its deadline (verdicts.py), not given a current status
        ("share-missed", "past_deadline"),  # 30 after the 2023 deadline for 50
        ("share-missed-falling", "past_deadline"),  # 60 in 2023 met 50 at the deadline, 45 now
        ("lower-deadline", "past_deadline"),  # its 2024-H1 target falls due with 2024-H1
        ("target-only", "past_deadline"),  # no figure at all, and its 2023 deadline has passed
        ("share-single", "off_track"),  # one value below target: no trend to show it is on track
        ("share-stale", "no_recent_data"),  # a 2022-H1 figure, while 2023 has yearly figures
        ("share-none", "no_target"),
        ("share-range", "met"),  # 66 within the 65-70 range counts from its low end
        ("share-range-low", "met"),  # exactly the low end of 65-70
        ("share-range-below", "off_track"),  # 64.9: just below the low end
        ("share-more-than", "off_track"),  # exactly 90 is not "more than 90"
        ("share-more-than-above", "met"),  # 90.1 is more than 90
        ("count-nearly", "off_track"),  # "nearly 40" lies below a target of 40
        ("count-nearly-above", "met"),  # "nearly 40.1" is above 40 whatever its exact value
        # the 70 due at the end of 2024-H1 is due (judged at its deadline); 40 -> 80 in half a year
        # reaches the 90 due at the end of 2025
        ("deadline-now", "on_track"),
        # lower is better: at most 10 by 2025
        ("lower-met", "met"),  # 8
        ("lower-at-target", "met"),  # exactly 10
        ("lower-on-track", "on_track"),  # 30 -> 20 in half a year: below 10 well before 2025 ends
        ("lower-off-track", "off_track"),  # 30 -> 28 in half a year: about 22 at the end of 2025
        ("lower-nearly", "met"),  # "nearly 10" lies below 10
        ("lower-more-than", "off_track"),  # "more than 10" lies above 10
    ],
)
def test_status_rules(synthetic, indicator_id, expected):
    assert status(synthetic, indicator_id).status == expected


def test_a_target_due_at_the_as_of_period_leaves_the_current_status(synthetic):
    """The 70 due at the end of 2024-H1 falls due with 2024-H1: the status looks at the 90 due
    in 2025, and the 70 gets its verdict at the deadline instead."""
    a = status(synthetic, "deadline-now")
    assert (a.target["target_period"], a.target["value"]) == ("2025", 90)
    assert status(synthetic, "deadline-now", as_of="2023").target["target_period"] == "2024-H1"


def test_lower_is_better_projects_downwards(synthetic):
    assert status(synthetic, "lower-on-track").projected < 10 < status(synthetic, "lower-off-track").projected


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


def test_a_new_period_with_a_few_figures_leaves_the_other_indicators_alone(synthetic):
    """2025-H1 holds one figure (share-none); judged as of 2025-H1, every other indicator keeps
    the status it had as of 2024-H1: yearly 2023 figures and half-year 2024-H1 figures stay recent."""
    assert series.latest_period(synthetic) == "2025-H1"
    before = {a.indicator_id: a for a in status_mod.scoreboard(synthetic, "2024-H1")}
    after = {a.indicator_id: a for a in status_mod.scoreboard(synthetic)}
    # targets due at the end of 2024 fall due between the two; every other indicator is unchanged
    newly_due = {i for i, a in after.items() if a.status == "past_deadline" != before[i].status}
    assert newly_due == {i for i, a in before.items() if a.target and a.target["target_period"] == "2024"}
    assert {i: a.status for i, a in after.items() if i not in newly_due} == {
        i: a.status for i, a in before.items() if i not in newly_due
    }
    assert after["share-on-track"].status == "on_track"  # its latest figure is for the year 2023


def test_on_track_projection_extends_the_yearly_rate_to_the_deadline(synthetic):
    a = status(synthetic, "share-on-track")
    assert a.projected == pytest.approx(60 + 20 * 2, abs=0.2)  # two more years at ~20 points a year


def test_status_depends_on_the_as_of_period(synthetic):
    assert status(synthetic, "share-stale", as_of="2022-H1").status == "met"  # 90 against 80 due in 2022
    assert status(synthetic, "share-stale", as_of="2023").status == "no_recent_data"


def test_change_since_previous_observation(synthetic):
    a = status(synthetic, "share-met")
    assert (a.previous["period"], a.latest["period"], a.change) == ("2023", "2024-H1", 30)


def test_no_change_between_counts_over_different_totals(synthetic):
    a = status(synthetic, "villages")
    assert a.latest["denominator"] == 896 and a.previous["denominator"] == 832
    assert a.change is None


def test_missing_values_give_no_change(synthetic):
    assert status(synthetic, "share-single").change is None


def _verdicts(dataset, as_of=None):
    results = verdicts.target_results(dataset, as_of or series.latest_period(dataset))
    return {(r["indicator_id"], r["target_period"]): r for r in results}


@pytest.mark.parametrize(
    "indicator_id, deadline, verdict, basis, figure",
    [
        ("verdict-not-met", "2023", "not_met", "at_deadline", "2023"),  # 73.5 at the end of 2023, against 85
        ("share-missed-falling", "2023", "met", "at_deadline", "2023"),  # 60 against 50; 45 later
        ("share-stale", "2022", "met", "before_deadline", "2022-H1"),  # 90 at mid-2022, 184 days before
        ("verdict-year-before", "2023", "no_figure", None, None),  # 60 in 2022, a year before; 70 after
        ("share-missed", "2023", "no_figure", None, None),  # figures only after the deadline
        ("target-only", "2023", "no_figure", None, None),  # no figure at all
        ("lower-deadline", "2023", "not_met", "at_deadline", "2023"),  # 12 against at most 10
        ("lower-deadline", "2024-H1", "met", "before_deadline", "2023"),  # 12 against at most 12
        ("deadline-now", "2024-H1", "met", "at_deadline", "2024-H1"),  # 80 against 70
        ("deadline-now", "2025", "not_due", None, None),
        ("share-met", "2024", "met", "before_deadline", "2024-H1"),  # 80 against 75
        ("share-at-target", "2024", "met", "before_deadline", "2024-H1"),  # exactly 75
        ("share-range", "2024", "met", "before_deadline", "2024-H1"),  # 66 in 65-70
        ("share-range-low", "2024", "met", "before_deadline", "2024-H1"),  # 65: the low end
        ("share-range-below", "2024", "not_met", "before_deadline", "2024-H1"),  # 64.9
        ("share-more-than", "2024", "not_met", "before_deadline", "2024-H1"),  # 90 is not more than 90
        ("share-more-than-above", "2024", "met", "before_deadline", "2024-H1"),  # 90.1
        ("count-nearly", "2024", "not_met", "before_deadline", "2024-H1"),  # nearly 40, against 40
        ("count-nearly-above", "2024", "met", "before_deadline", "2024-H1"),  # nearly 40.1, against 40
        ("lower-more-than", "2025", "not_due", None, None),
    ],
)
def test_targets_are_judged_at_their_deadline(synthetic, indicator_id, deadline, verdict, basis, figure):
    r = _verdicts(synthetic)[(indicator_id, deadline)]
    assert (r["verdict"], r["basis"]) == (verdict, basis)
    assert (r["observation"] or {}).get("period") == figure


def test_no_figure_at_the_deadline_shows_the_figures_around_it(synthetic):
    r = _verdicts(synthetic)
    year_before = r[("verdict-year-before", "2023")]
    # 60 at the end of 2022 reaches 50 but is a year old; 70 after the deadline never counts
    assert (year_before["last_before"]["period"], year_before["last_before"]["value"]) == ("2022", 60)
    assert year_before["first_after"]["period"] == "2024-H1"
    only_after = r[("share-missed", "2023")]
    assert only_after["last_before"] is None and only_after["first_after"]["period"] == "2024-H1"
    nothing = r[("target-only", "2023")]
    assert nothing["last_before"] is None and nothing["first_after"] is None


def test_a_target_falls_due_with_the_period_that_ends_on_its_deadline(synthetic):
    assert _verdicts(synthetic, "2023")[("deadline-now", "2024-H1")]["verdict"] == "not_due"
    assert _verdicts(synthetic, "2024-H1")[("deadline-now", "2024-H1")]["verdict"] == "met"
    assert _verdicts(synthetic, "2024-H1")[("share-met", "2024")]["verdict"] == "not_due"


def _obs(period, value, kind="reported"):
    return {"period": period, "value": value, "value_kind": kind}


TARGET_80 = {"indicator_id": "x", "breakdown": "nationwide", "target_period": "2022", "value": 80.0}
TARGET_80 |= {"low": float("nan"), "high": float("nan"), "comparison": "at_least"}


@pytest.mark.parametrize(
    "series, verdict",
    [
        ([_obs("2022-Q2", 85)], "met"),  # ends 30 June: 184 days before 31 December, inside the window
        ([_obs("2022-Q1", 85)], "no_figure"),  # ends 31 March: 275 days before, outside
        ([_obs("2021-H2", 85)], "no_figure"),  # a year before
        ([_obs("2022-H1", 90), _obs("2022", 70)], "not_met"),  # reached early, fell back by the deadline
        ([_obs("2022", 70), _obs("2023", 95)], "not_met"),  # reached after the deadline: does not count
        ([_obs("2023", 95)], "no_figure"),
        ([_obs("2022", 80, "nearly")], "not_met"),  # "nearly 80" lies below 80
        ([_obs("2022", 80, "more_than")], "met"),
    ],
)
def test_verdict_window_and_later_figures(series, verdict):
    assert verdicts.judge(TARGET_80, series, True, "2024")["verdict"] == verdict


def test_target_year_summary_counts_verdicts_per_deadline_year(synthetic):
    results = verdicts.target_results(synthetic, series.latest_period(synthetic))
    summary = {row["year"]: row for row in verdicts.target_year_summary(results)}
    counts = {y: {k: row[k] for k in ("total", *verdicts.VERDICTS)} for y, row in summary.items()}
    assert counts[2022] == {"total": 1, "met": 1, "not_met": 0, "no_figure": 0, "not_due": 0}
    assert counts[2023] == {"total": 6, "met": 1, "not_met": 2, "no_figure": 3, "not_due": 0}
    assert counts[2024] == {"total": 11, "met": 8, "not_met": 3, "no_figure": 0, "not_due": 0}
    assert counts[2025]["not_due"] == counts[2025]["total"] > 0
    assert sum(len(row["results"]) for row in summary.values()) == len(results)


def test_every_due_target_gets_one_verdict_and_only_due_ones(dataset):
    """Property of whatever data/ holds: a target gets met/not_met/no_figure exactly when its
    deadline is no later than the latest period's end, and the figure judged is never after it."""
    from scoreboard.data import periods

    as_of = series.latest_period(dataset)
    results = verdicts.target_results(dataset, as_of)
    assert len(results) == len(series.shown_targets(dataset))
    for r in results:
        deadline = periods.parse(r["target_period"]).end
        due = deadline <= periods.parse(as_of).end
        assert (r["verdict"] != "not_due") == due, r["indicator_id"]
        if r["observation"] is not None:
            end = periods.parse(r["observation"]["period"]).end
            assert end <= deadline and (deadline - end).days <= verdicts.WINDOW_DAYS, r["indicator_id"]


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


def test_every_indicator_gets_a_status_that_agrees_with_its_figures(dataset):
    observations = series.by_indicator(series.shown_observations(dataset))
    targets = series.by_indicator(series.shown_targets(dataset))
    as_of = series.latest_period(dataset)
    for a in status_mod.scoreboard(dataset):
        assert a.status in status_mod.STATUSES
        assert (a.status == "no_target") == (a.indicator_id not in targets), a.indicator_id
        own = [o for o in observations.get(a.indicator_id, []) if o["breakdown"] == a.breakdown]
        latest = own[-1] if own else None
        assert (a.latest or {}).get("period") == (latest or {}).get("period"), a.indicator_id
        if a.status == "no_recent_data" and a.latest is not None:
            assert not series.is_recent(a.latest["period"], series.reported_periods(dataset), as_of)
        if a.status in ("met", "on_track", "off_track"):
            higher = bool(dataset.indicator(a.indicator_id)["higher_is_better"])
            met = status_mod.meets(a.latest["value"], a.latest["value_kind"], a.target, higher)
            assert met == (a.status == "met"), a.indicator_id


def test_period_changes_give_previous_figure_target_and_result(synthetic):
    changes = status_mod.period_changes(synthetic)
    assert set(changes) == {"2022-H1", "2022", "2023", "2024-H1", "2025-H1"}
    row = next(r for r in changes["2024-H1"] if r["observation"]["indicator_id"] == "share-met")
    assert (row["previous"]["period"], row["change"], row["target"]["value"], row["meets"]) == ("2023", 30, 75, True)
    first = next(r for r in changes["2022"] if r["observation"]["indicator_id"] == "share-on-track")
    assert first["previous"] is None and first["change"] is None and first["meets"] is False
    villages = next(r for r in changes["2024-H1"] if r["observation"]["indicator_id"] == "villages")
    assert villages["previous"]["period"] == "2023" and villages["change"] is None  # different totals


def test_agency_statuses_are_worked_out_once_per_dataset(synthetic):
    """The validator's warnings and the league tables share one result; a dataset made with
    other rows (dataclasses.replace) gets its own."""
    first = agencies.agency_statuses(synthetic)
    assert agencies.agency_statuses(synthetic) is first
    assert (first[0]["basis"] == "named").any()
    without_checks = dataclasses.replace(synthetic, agency_checks=synthetic.agency_checks.iloc[:0])
    statuses, _ = agencies.agency_statuses(without_checks)
    assert not (statuses["basis"] == "named").any()  # no agency named when no check is listed
