"""Stage 2, derive: everything the site judges or computes from the data, once per build.

`derive_all(dataset)` returns a `Derived` that every later stage reads (pages, figures,
downloads, feeds): a rule lives in one module of this folder and nowhere else.

    series.py    the shown figures in period order, and the scoreboard's "now"
    status.py    status against targets, changes between periods
    verdicts.py  every target judged at its deadline
    agencies.py  agency statuses, league tables, successions
    quality.py   data-quality warnings for maintainers
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import Dataset
from scoreboard.derive import agencies, quality, series, status, verdicts


@dataclass
class Derived:
    """Everything computed from the dataset once and shared by both languages."""

    as_of: str
    assessments: dict
    target_years: list
    target_results: list
    observations: dict  # indicator id -> shown rows in period order
    all_observations: dict  # indicator id -> every row, shown first within a period
    targets: dict  # indicator id -> shown targets by deadline
    all_targets: dict
    period_rows: dict
    league_tables: list
    statuses: pd.DataFrame
    disagreements: list
    grades: pd.DataFrame
    agency_history: dict
    name_qualifiers: dict  # agency id -> ('until' | 'from', date) where names repeat
    agency_facts: dict  # agency id -> period -> known statuses (not 'not_reported')


def derive_all(dataset: Dataset) -> Derived:
    shown = series.shown_observations(dataset)
    observations = series.by_indicator(shown)
    targets = series.by_indicator(series.shown_targets(dataset))
    reported = periods_mod.sorted_ids(shown["period"])
    as_of = reported[-1]
    statuses, summaries = agencies.agency_statuses(dataset)
    results = verdicts.target_results(dataset, as_of, observations, targets)
    assessments = {
        a.indicator_id: a for a in status.scoreboard(dataset, as_of, observations, targets, reported)
    }
    verdicts.attach(assessments, results)
    facts: dict[str, dict[str, list[dict]]] = {}
    for row in statuses[statuses["basis"] != "not_reported"].to_dict("records"):
        facts.setdefault(row["agency_id"], {}).setdefault(row["period"], []).append(row)
    return Derived(
        as_of=as_of,
        assessments=assessments,
        target_years=verdicts.target_year_summary(results),
        target_results=results,
        period_rows=status.period_changes(dataset, observations, targets),
        observations=observations,
        all_observations=series.by_indicator(series.all_rows(dataset.observations, "period")),
        targets=targets,
        all_targets=series.by_indicator(series.all_rows(dataset.targets, "target_period")),
        league_tables=agencies.league_tables(dataset, statuses, summaries),
        statuses=statuses,
        disagreements=quality.source_disagreements(dataset),
        grades=agencies.grade_distribution(dataset),
        agency_history=agencies.agency_history(dataset),
        name_qualifiers=agencies.name_qualifiers(dataset),
        agency_facts=facts,
    )
