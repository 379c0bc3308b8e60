"""Status rules, changes, target years, league tables and agency validity, on invented data
(tests/fixtures/synthetic) built to exercise each rule and its boundaries, and properties
that hold for whatever data/ holds (never its figures: maintainers change them every period)."""

from __future__ import annotations

import pytest

from scoreboard import derive, validate

from .conftest import make_synthetic_project


def status(dataset, indicator_id, as_of="2024-H1"):
    return derive.assess(dataset, indicator_id, as_of)


def test_synthetic_fixture_is_valid(tmp_path):
    root = make_synthetic_project(tmp_path / "p")
    assert [p.text() for p in validate.validate(root) if p.is_error] == []


@pytest.mark.parametrize(
    "indicator_id, expected",
    [
        ("share-met", "met"),  # 80 against 75 due in 2024
        ("share-at-target", "met"),  # exactly 75 against "at least 75"
        ("share-on-track", "on_track"),  # 40 -> 60 in a year; 75 due at the end of 2025
        ("share-off-trend", "off_track"),  # 40 -> 42 in a year; 75 not reached by 2025 at that pace
        ("share-missed", "off_track"),  # 30 after the 2023 deadline for 50
        ("share-missed-falling", "off_track"),  # 60 in 2023 met 50 at the deadline, 45 now: past due
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
        # 80 against the 70 due at the end of 2024-H1, the figure's own period (not the 90 due in 2025)
        ("deadline-now", "met"),
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


def test_deadline_at_the_figures_period_end_uses_that_target(synthetic):
    a = status(synthetic, "deadline-now")
    assert (a.target["target_period"], a.target["value"]) == ("2024-H1", 70)


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
    assert derive.is_recent(figure, reported, as_of) is recent


def test_a_new_period_with_a_few_figures_leaves_the_other_indicators_alone(synthetic):
    """2025-H1 holds one figure (share-none); judged as of 2025-H1, every other indicator keeps
    the status it had as of 2024-H1: yearly 2023 figures and half-year 2024-H1 figures stay recent."""
    assert derive.latest_period(synthetic) == "2025-H1"
    before = {a.indicator_id: a.status for a in derive.scoreboard(synthetic, "2024-H1")}
    after = {a.indicator_id: a.status for a in derive.scoreboard(synthetic)}
    assert after == before
    assert after["share-on-track"] == "on_track"  # its latest figure is for the year 2023


def test_on_track_projection_extends_the_yearly_rate_to_the_deadline(synthetic):
    a = status(synthetic, "share-on-track")
    assert a.projected == pytest.approx(60 + 20 * 2, abs=0.2)  # two more years at ~20 points a year


def test_status_depends_on_the_as_of_period(synthetic):
    assert status(synthetic, "share-stale", as_of="2022").status == "met"  # 184 days before 2022's end
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


def test_target_year_summary_separates_final_provisional_and_missing(synthetic):
    summary = {row["year"]: row for row in derive.target_year_summary(derive.target_results(synthetic))}
    assert summary[2022] == {
        "year": 2022,
        "total": 1,
        "met": 0,
        "not_met": 0,
        "provisional_met": 1,  # share-stale: 90 at mid-2022 against 80 due at the end of 2022
        "provisional_not_met": 0,
        "not_assessed": 0,
    }
    assert summary[2023]["not_assessed"] == 1  # share-missed has no 2023 figure
    # full-year 2024 targets are judged on mid-year figures only: provisional (met: share-met,
    # -at-target, -range, -range-low, -more-than-above, count-nearly-above; not met: share-more-than,
    # -range-below, count-nearly); deadline-now's target falls due on its 2024-H1 figure: final
    assert summary[2024]["provisional_met"] == 6 and summary[2024]["provisional_not_met"] == 3
    assert summary[2024]["met"] == 1 and summary[2024]["not_met"] == 0
    assert summary[2025]["not_assessed"] == summary[2025]["total"]  # no 2025 figure has a target


def _table(tables, period, group):
    return next(t for t in tables if t.period == period and t.group == group)


def test_league_table_follows_validity_dates(synthetic):
    tables = derive.league_tables(synthetic)
    assert set(_table(tables, "2023", "local").rows["agency_id"]) == {"tinh-a", "tinh-b", "tinh-c", "tinh-d"}
    assert set(_table(tables, "2024-H1", "local").rows["agency_id"]) == {"tinh-a", "tinh-b", "tinh-c", "tinh-e"}


def test_league_table_statuses_and_counts(synthetic):
    table = _table(derive.league_tables(synthetic), "2024-H1", "local")
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
    table = _table(derive.league_tables(synthetic), "2024-H1", "local")
    note = table.summaries["plan"].discrepancy
    assert note == {"reported_met": 2, "total": 4, "named_not_met": 1, "implied_met": 3}
    central = _table(derive.league_tables(synthetic), "2024-H1", "central")
    assert central.summaries["plan"].discrepancy is None  # 1/2 with one named: consistent
    assert central.rows.set_index("agency_id").at["co-quan-z", "plan"] == "not_met"
    warnings = derive.data_quality_warnings(synthetic)
    assert any(w.kind == "count-list-disagree" and "(2/4)" in w.message for w in warnings)


def test_merged_province_keeps_its_history(synthetic):
    statuses, _ = derive.agency_statuses(synthetic)
    history = statuses[statuses["agency_id"] == "tinh-d"]
    assert set(history["period"]) == {"2023"}
    assert history.iloc[0]["status"] == "not_met"


# --- whatever data/ holds: properties, never figures -------------------------------------------


def test_every_league_table_counts_its_agencies_consistently(dataset):
    from scoreboard.model import agencies_valid_in

    named = dataset.agency_checks
    tables = derive.league_tables(dataset)
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
    from scoreboard.model import BREAKDOWN_KINDS, agencies_valid_in

    g = derive.grade_distribution(dataset)
    for (period, group), rows in g.groupby(["period", "agency_group"]):
        assert set(rows["grade"]) == set("ABCDE"), (period, group)
        assert rows["count"].sum() == rows["total"].iloc[0] and rows["total"].nunique() == 1, (period, group)
        valid = agencies_valid_in(dataset, period)
        assert rows["total"].iloc[0] <= valid["kind"].isin(BREAKDOWN_KINDS[group]).sum(), (period, group)
    for grade in dataset.agency_grades.to_dict("records"):
        assert grade["agency_id"] in agencies_valid_in(dataset, grade["period"]).index, grade


def test_every_indicator_gets_a_status_that_agrees_with_its_figures(dataset):
    observations = derive.by_indicator(derive.shown_observations(dataset))
    targets = derive.by_indicator(derive.shown_targets(dataset))
    as_of = derive.latest_period(dataset)
    for a in derive.scoreboard(dataset):
        assert a.status in derive.STATUSES
        assert (a.status == "no_target") == (a.indicator_id not in targets), a.indicator_id
        own = [o for o in observations.get(a.indicator_id, []) if o["breakdown"] == a.breakdown]
        latest = own[-1] if own else None
        assert (a.latest or {}).get("period") == (latest or {}).get("period"), a.indicator_id
        if a.status == "no_recent_data" and a.latest is not None:
            assert not derive.is_recent(a.latest["period"], derive.reported_periods(dataset), as_of)
        if a.status in ("met", "on_track", "off_track"):
            higher = bool(dataset.indicator(a.indicator_id)["higher_is_better"])
            met = derive.meets(a.latest["value"], a.latest["value_kind"], a.target, higher)
            assert met == (a.status == "met"), a.indicator_id


def test_period_changes_give_previous_figure_target_and_result(synthetic):
    changes = derive.period_changes(synthetic)
    assert set(changes) == {"2022-H1", "2022", "2023", "2024-H1", "2025-H1"}
    row = next(r for r in changes["2024-H1"] if r["observation"]["indicator_id"] == "share-met")
    assert (row["previous"]["period"], row["change"], row["target"]["value"], row["meets"]) == ("2023", 30, 75, True)
    first = next(r for r in changes["2022"] if r["observation"]["indicator_id"] == "share-on-track")
    assert first["previous"] is None and first["change"] is None and first["meets"] is False
    villages = next(r for r in changes["2024-H1"] if r["observation"]["indicator_id"] == "villages")
    assert villages["previous"]["period"] == "2023" and villages["change"] is None  # different totals
