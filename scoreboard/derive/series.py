"""The figures the site shows, as series, and which of them compare.

A series is one indicator's shown figures for one breakdown, in time order. Two figures
compare (a change between them means something) only if:

- no recorded break in the series lies between them (data/reference/series_breaks.csv
  names the first figure of each new series; rows carry `segment`, which counts breaks);
- for an indicator that is a flow (a quantity accumulated or measured over its period:
  revenue in the period, a share of the period's dossiers, growth on a year earlier), their
  periods have the same length: a half year is never compared with a year;
- for x/y figures, both count out of the same total (477/832 villages, then 256/896).

The methodology page states these rules for readers; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import Dataset, column_values, is_missing
from scoreboard.data.model import records as as_records

# A figure is recent if it ends within a year (366 days, for leap years) of the newest period,
# at least as long as the figure's own, that has any figure: see recency_reference().
RECENT_DAYS = 366
BREAKDOWN_ORDER = ("nationwide", "ministries", "provinces", "ministries_and_provinces")
MEASURES = ("level", "flow")  # indicators.csv `measure`
# Why no change is given beside a figure (the words are in the translation tables, change.*).
NO_CHANGE_REASONS = ("first_figure", "series_break", "different_lengths", "different_totals")
# Indicators that count tasks of the National Committee's plans, shown together on period pages.
TASK_INDICATORS = (
    "plan-targets-met",
    "plan-tasks-completed",
    "plan-tasks-due-completed",
    "plan-tasks-completed-early",
    "pm-conclusion-tasks-completed",
    "pm-conclusion-tasks-due-completed",
)


def ordered(frame: pd.DataFrame, period_column: str = "period") -> pd.DataFrame:
    """The one order of figures (and targets): by indicator, then time, then breakdown
    (nationwide first), the shown row first, then source. Pages, series and downloads all
    list rows in this order."""
    frame = frame.assign(_breakdown=frame["breakdown"].map(BREAKDOWN_ORDER.index))
    by = ["indicator_id", period_column, "_breakdown", "shown", "source_id"]
    return periods_mod.sort_frame(frame, by, ascending=[True, True, True, False, True]).drop(columns="_breakdown")


def shown_observations(dataset: Dataset) -> pd.DataFrame:
    """The figures the site shows, in order. `series_break` marks a figure that starts a new
    series; `segment` numbers the series of an indicator and breakdown (0, then 1 after the
    first break...): figures in different segments never compare."""
    obs = ordered(dataset.observations)
    obs = obs[obs["shown"]]
    key = ["indicator_id", "breakdown", "period"]
    breaks = set(zip(*column_values(dataset.series_breaks[key])))
    starts = [k in breaks for k in zip(*column_values(obs[key]))]
    segments, seen = [], {}
    for (indicator_id, breakdown, _), start in zip(zip(*column_values(obs[key])), starts):
        series = (indicator_id, breakdown)
        seen[series] = seen.get(series, 0) + (1 if start and series in seen else 0)
        segments.append(seen[series])
    return obs.assign(series_break=starts, segment=segments)


def shown_targets(dataset: Dataset) -> pd.DataFrame:
    targets = dataset.targets
    return ordered(targets[targets["shown"]], "target_period")


def by_indicator(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """Rows of an ordered frame as plain dicts, grouped by indicator (in period order)."""
    groups: dict[str, list[dict]] = {}
    for row in as_records(frame):
        groups.setdefault(row["indicator_id"], []).append(row)
    return groups


def recency_reference(period_id: str, reported: list[str], as_of: str) -> periods_mod.Period:
    """The period a figure for period_id is judged against for recency: the newest period,
    no later than as_of and at least as long as period_id (a yearly figure against years, a
    half-year against halves and years), that has any figure. Judging each figure against
    periods of its own kind means that a new period holding only a few figures (or only
    half-year figures) does not make every other indicator look stale."""
    own = periods_mod.parse(period_id)
    as_of_end = periods_mod.parse(as_of).end
    candidates = [periods_mod.parse(p) for p in reported] + [own]
    return max(
        (p for p in candidates if p.end <= as_of_end and p.months >= own.months),
        key=lambda p: p.end,
    )


def is_recent(period_id: str, reported: list[str], as_of: str) -> bool:
    reference = recency_reference(period_id, reported, as_of)
    return (reference.end - periods_mod.parse(period_id).end).days <= RECENT_DAYS


def headline_breakdown(observations: list[dict], targets: list[dict]) -> str:
    """The breakdown an indicator is summed up by: nationwide when it has figures or targets."""
    present = {r["breakdown"] for r in observations} | {t["breakdown"] for t in targets}
    return next((b for b in BREAKDOWN_ORDER if b in present), "nationwide")


def months(period_id: str) -> int:
    return periods_mod.parse(period_id).months


def end(period_id: str):
    return periods_mod.parse(period_id).end


# --- comparability and change ------------------------------------------------------------------


def why_not_comparable(later: dict, earlier: dict, measure: str) -> str | None:
    """None when two figures of one series compare; otherwise the reason (NO_CHANGE_REASONS)."""
    if later["segment"] != earlier["segment"]:
        return "series_break"
    if measure == "flow" and months(later["period"]) != months(earlier["period"]):
        return "different_lengths"
    totals = (later.get("denominator"), earlier.get("denominator"))
    if not any(is_missing(d) for d in totals) and totals[0] != totals[1]:
        return "different_totals"
    return None


@dataclass(frozen=True)
class Change:
    """The change of a figure since the last figure it compares with, or why there is none.

    previous: that earlier figure (for a flow, the last one of the same length), or, when
    none compares, the figure just before (so a page can say what it cannot be compared
    with); reason: None when `value` is given, else one of NO_CHANGE_REASONS."""

    value: float | None
    previous: dict | None
    reason: str | None


def change(series: list[dict], index: int, measure: str) -> Change:
    """The change of series[index] (one indicator and breakdown, in time order)."""
    figure = series[index]
    earlier = [o for o in series[:index] if end(o["period"]) < end(figure["period"])]
    if not earlier:
        return Change(None, None, "first_figure")
    candidates = (
        earlier if measure == "level" else [o for o in earlier if months(o["period"]) == months(figure["period"])]
    )
    if not candidates:
        return Change(None, earlier[-1], "different_lengths")
    previous = candidates[-1]
    reason = why_not_comparable(figure, previous, measure)
    if reason is not None:
        return Change(None, previous, reason)
    return Change(round(float(figure["value"]) - float(previous["value"]), 10), previous, None)


def changes(observations: dict[str, list[dict]], measure_of: dict[str, str]) -> dict[tuple, Change]:
    """Every shown figure's change: (indicator, breakdown, period) -> Change."""
    out = {}
    for indicator_id, rows in observations.items():
        for breakdown in {r["breakdown"] for r in rows}:
            series = [r for r in rows if r["breakdown"] == breakdown]
            for i, row in enumerate(series):
                out[(indicator_id, breakdown, row["period"])] = change(series, i, measure_of[indicator_id])
    return out


def chart_line(row: dict, measure: str) -> tuple:
    """Which line of a chart a figure belongs to: one per breakdown and series (a break starts
    a new line), and for a flow one per length of period (halves and years apart)."""
    return (row["breakdown"], row["segment"], months(row["period"]) if measure == "flow" else 0)
