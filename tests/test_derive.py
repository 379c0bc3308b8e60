"""Status rules, changes, target years, league tables and agency validity, on invented data
(tests/fixtures/synthetic) built to exercise each rule, and on the real data where the
issue fixes the expected answer (the 2024-H1 league table and grade distribution)."""

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
        ("share-on-track", "on_track"),  # 40 -> 60 in a year; 75 due at the end of 2025
        ("share-off-trend", "off_track"),  # 40 -> 42 in a year; 75 not reached by 2025 at that pace
        ("share-missed", "off_track"),  # 30 after the 2023 deadline for 50
        ("share-single", "off_track"),  # one value below target: no trend to show it is on track
        ("share-stale", "no_recent_data"),  # last value in 2022, 18 months before mid-2024
        ("share-none", "no_target"),
        ("share-range", "met"),  # 66 within the 65-70 range counts from its low end
        ("share-more-than", "off_track"),  # exactly 90 is not "more than 90"
        ("count-nearly", "off_track"),  # "nearly 40" lies below a target of 40
    ],
)
def test_status_rules(synthetic, indicator_id, expected):
    assert status(synthetic, indicator_id).status == expected


def test_on_track_projection_extends_the_yearly_rate_to_the_deadline(synthetic):
    a = status(synthetic, "share-on-track")
    assert a.projected == pytest.approx(60 + 20 * 2, abs=0.2)  # two more years at ~20 points a year


def test_status_depends_on_the_as_of_period(synthetic):
    assert status(synthetic, "share-stale", as_of="2022").status == "met"


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
        "met": 1,
        "not_met": 0,
        "provisional_met": 0,
        "provisional_not_met": 0,
        "not_assessed": 0,
    }
    assert summary[2023]["not_assessed"] == 1  # share-missed has no 2023 figure
    # 2024 targets are judged on mid-year figures only: provisional
    assert summary[2024]["provisional_met"] == 2 and summary[2024]["provisional_not_met"] == 2
    assert summary[2024]["met"] == summary[2024]["not_met"] == 0


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


# --- the real data, where the issue states the answer -----------------------------------------


def test_real_2024_h1_province_league_table(dataset):
    table = _table(derive.league_tables(dataset), "2024-H1", "local")
    rows = table.rows.set_index("agency_id")
    assert len(rows) == 63
    not_issued = set(rows.index[rows["annual-plan-2024"] == "not_met"])
    assert not_issued == {
        "binh-dinh",
        "binh-duong",
        "binh-thuan",
        "nam-dinh",
        "ninh-thuan",
        "phu-tho",
        "phu-yen",
        "tay-ninh",
        "thai-nguyen",
        "hai-phong",
        "tra-vinh",
        "vinh-phuc",
    }
    criteria = table.criteria
    for _agency_id, row in rows.iterrows():
        assert row["met"] == sum(row[c] == "met" for c in criteria)
        assert row["not_met"] == sum(row[c] == "not_met" for c in criteria)
    # Nam Dinh is named in three footnotes (plan, database catalogue, open data)
    assert rows.at["nam-dinh", "not_met"] == 3
    assert table.summaries["annual-plan-2024"].discrepancy["reported_met"] == 50
    assert table.summaries["annual-plan-2024"].discrepancy["implied_met"] == 51
    # counts given without names stay counts
    assert {x["criterion_id"] for x in table.count_only} >= {"time-reduction-policy", "e-data-store-connected"}


def test_real_grade_distribution_totals(dataset):
    g = derive.grade_distribution(dataset)
    g = g[g["period"] == "2024-H1"]
    by_group = g.groupby("agency_group")["count"].sum().to_dict()
    assert by_group == {"ministries": 21, "provinces": 63}
    ministries = g[g["agency_group"] == "ministries"].set_index("grade")["count"].to_dict()
    assert ministries == {"A": 0, "B": 0, "C": 5, "D": 1, "E": 15}
    provinces = g[g["agency_group"] == "provinces"].set_index("grade")["count"].to_dict()
    assert provinces == {"A": 0, "B": 0, "C": 39, "D": 15, "E": 9}
    assert len(dataset.agency_grades) == 0  # the reports name no per-agency grade


def test_real_scoreboard_statuses(dataset):
    by_id = {a.indicator_id: a for a in derive.scoreboard(dataset)}
    assert by_id["fibre-households"].status == "met"  # 82.2% against the 2022 target of 75%
    assert by_id["smartphone-adults"].status == "no_recent_data"  # last figure mid-2022
    assert by_id["digital-economy-gdp-share"].status == "on_track"  # 10.41 -> 18.3, 20% due 2025
    assert by_id["fee-reduction-policy"].latest["value"] == 63  # the shown source of two


def test_period_changes_give_previous_figure_target_and_result(synthetic):
    changes = derive.period_changes(synthetic)
    assert set(changes) == {"2022", "2023", "2024-H1"}
    row = next(r for r in changes["2024-H1"] if r["observation"]["indicator_id"] == "share-met")
    assert (row["previous"]["period"], row["change"], row["target"]["value"], row["meets"]) == ("2023", 30, 75, True)
    first = next(r for r in changes["2022"] if r["observation"]["indicator_id"] == "share-on-track")
    assert first["previous"] is None and first["change"] is None and first["meets"] is False
    villages = next(r for r in changes["2024-H1"] if r["observation"]["indicator_id"] == "villages")
    assert villages["previous"]["period"] == "2023" and villages["change"] is None  # different totals
