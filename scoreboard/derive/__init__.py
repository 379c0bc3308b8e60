"""Stage 2, derive: everything the site judges or computes from the data, once per build.

`derive_all(dataset)` returns a `Derived` that every later stage reads (pages, figures,
downloads, feeds): a rule lives in one module of this folder and nowhere else.

    series.py    the shown figures in order, their series, which compare, their changes
    verdicts.py  one verdict per target (met, missed, no figure; met early, on track,
                 off track, too little data)
    agencies.py  agency statuses, league tables, successions
    quality.py   data-quality warnings for maintainers
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import Dataset, is_missing
from scoreboard.derive import agencies, quality, series, verdicts
from scoreboard.derive.series import Change
from scoreboard.derive.verdicts import Verdict


@dataclass(frozen=True)
class Headline:
    """An indicator as the home page and its own page lead with it: its latest figure (for
    the breakdown it is summed up by), that figure's change, and its headline verdict."""

    indicator_id: str
    breakdown: str
    latest: dict | None
    change: Change | None
    verdict: Verdict | None


@dataclass
class Derived:
    """Everything computed from the dataset once and shared by both languages."""

    as_of: str  # the newest period with any figure: the scoreboard's "now"
    observations: dict  # indicator id -> shown rows in order (with series_break, segment)
    all_observations: dict  # indicator id -> every row, shown first within a period
    targets: dict  # indicator id -> shown targets by deadline
    all_targets: dict
    changes: dict  # (indicator, breakdown, period) -> series.Change
    verdicts: list  # every shown target's Verdict
    verdicts_by_indicator: dict  # indicator id -> its Verdicts
    headlines: dict  # indicator id -> Headline
    period_rows: dict  # period -> [{"observation", "change", "target"}] for the period page
    league_tables: list
    statuses: pd.DataFrame
    disagreements: list
    grades: pd.DataFrame
    agency_history: dict
    name_qualifiers: dict  # agency id -> ('until' | 'from', date) where names repeat
    agency_facts: dict  # agency id -> period -> known statuses (not 'not_reported')

    def due(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.is_due]

    def open(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.is_due]


def derive_all(dataset: Dataset) -> Derived:
    shown = series.shown_observations(dataset)
    observations = series.by_indicator(shown)
    targets = series.by_indicator(series.shown_targets(dataset))
    reported = periods_mod.sorted_ids(shown["period"])
    as_of = reported[-1]
    indicators = dataset.indicators.to_dict("index")
    measure_of = {i: row["measure"] for i, row in indicators.items()}
    changes = series.changes(observations, measure_of)
    bounds = {i: _bounds(dataset.unit_of(i)) for i in indicators}
    target_verdicts = verdicts.target_verdicts(indicators, observations, targets, as_of, reported, bounds)
    by_indicator: dict[str, list[Verdict]] = {}
    for v in target_verdicts:
        by_indicator.setdefault(v.indicator_id, []).append(v)
    headlines = {}
    for indicator_id in dataset.indicators.index:
        rows, own = observations.get(indicator_id, []), targets.get(indicator_id, [])
        breakdown = series.headline_breakdown(rows, own)
        mine = [o for o in rows if o["breakdown"] == breakdown]
        latest = mine[-1] if mine else None
        headlines[indicator_id] = Headline(
            indicator_id,
            breakdown,
            latest,
            changes[(indicator_id, breakdown, latest["period"])] if latest else None,
            verdicts.headline(by_indicator.get(indicator_id, []), breakdown),
        )
    statuses, summaries = agencies.agency_statuses(dataset)
    facts: dict[str, dict[str, list[dict]]] = {}
    for row in statuses[statuses["basis"] != "not_reported"].to_dict("records"):
        facts.setdefault(row["agency_id"], {}).setdefault(row["period"], []).append(row)
    return Derived(
        as_of=as_of,
        observations=observations,
        all_observations=series.by_indicator(series.ordered(dataset.observations)),
        targets=targets,
        all_targets=series.by_indicator(series.ordered(dataset.targets, "target_period")),
        changes=changes,
        verdicts=target_verdicts,
        verdicts_by_indicator=by_indicator,
        headlines=headlines,
        period_rows=_period_rows(dataset, observations, changes, by_indicator, measure_of),
        league_tables=agencies.league_tables(dataset, statuses, summaries),
        statuses=statuses,
        disagreements=quality.source_disagreements(dataset),
        grades=agencies.grade_distribution(dataset),
        agency_history=agencies.agency_history(dataset),
        name_qualifiers=agencies.name_qualifiers(dataset),
        agency_facts=facts,
    )


def _bounds(unit: dict) -> tuple:
    """A unit's range (units.csv minimum and maximum), None where open."""
    return tuple(None if is_missing(unit.get(k)) else float(unit[k]) for k in ("minimum", "maximum"))


def _period_rows(dataset, observations, changes, by_indicator, measure_of) -> dict[str, list[dict]]:
    """For every period: each shown figure with its change and the target it is read
    against (verdicts.target_for), in the order of the indicator list then breakdown."""
    by_period: dict[str, list[dict]] = {p: [] for p in dataset.period_ids}
    for indicator_id in dataset.indicators.index:
        for o in observations.get(indicator_id, []):
            by_period.setdefault(o["period"], []).append(
                {
                    "observation": o,
                    "change": changes[(indicator_id, o["breakdown"], o["period"])],
                    "target": verdicts.target_for(o, by_indicator.get(indicator_id, []), measure_of[indicator_id]),
                }
            )
    return by_period
