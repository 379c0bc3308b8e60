"""The figures the site shows, as series: shown rows in period order, grouped by indicator,
and which period is the scoreboard's "now".

Functions take a Dataset (or plain values) and return plain data; nothing here reads
files or writes pages.
"""

from __future__ import annotations

import pandas as pd

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import Dataset, column_values
from scoreboard.data.model import records as as_records

# A figure is recent if it ends within a year (366 days, for leap years) of the newest period,
# at least as long as the figure's own, that has any figure: see recency_reference().
RECENT_DAYS = 366
BREAKDOWN_ORDER = ("nationwide", "ministries", "provinces")
# Indicators that count tasks of the National Committee's plans, shown together on period pages.
TASK_INDICATORS = (
    "plan-targets-met",
    "plan-tasks-completed",
    "plan-tasks-due-completed",
    "plan-tasks-completed-early",
    "pm-conclusion-tasks-completed",
    "pm-conclusion-tasks-due-completed",
)


def shown_observations(dataset: Dataset) -> pd.DataFrame:
    """The figures the site shows, in period order; `series_break` marks a figure that starts
    a new series (data/reference/series_breaks.csv): nothing is compared across it."""
    obs = dataset.observations
    obs = obs[obs["shown"]]
    b = dataset.series_breaks
    key = ["indicator_id", "breakdown", "period"]
    breaks = set(zip(*column_values(b[key])))
    keys = zip(*column_values(obs[key]))
    obs = obs.assign(series_break=[key in breaks for key in keys])
    return periods_mod.sort_frame(obs, ["indicator_id", "breakdown", "period"])


def shown_targets(dataset: Dataset) -> pd.DataFrame:
    targets = dataset.targets
    return periods_mod.sort_frame(targets[targets["shown"]], ["indicator_id", "breakdown", "target_period"])


def by_indicator(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """Rows of an ordered frame as plain dicts, grouped by indicator (in period order)."""
    groups: dict[str, list[dict]] = {}
    for row in as_records(frame):
        groups.setdefault(row["indicator_id"], []).append(row)
    return groups


def latest_period(dataset: Dataset) -> str:
    """The newest period with any shown observation: the scoreboard's 'now'."""
    return periods_mod.sorted_ids(shown_observations(dataset)["period"])[-1]


def reported_periods(dataset: Dataset) -> list[str]:
    """Periods with at least one shown observation, in time order."""
    return periods_mod.sorted_ids(shown_observations(dataset)["period"])


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
    present = {r["breakdown"] for r in observations} | {t["breakdown"] for t in targets}
    return next((b for b in BREAKDOWN_ORDER if b in present), "nationwide")


def all_rows(frame: pd.DataFrame, period_column: str) -> pd.DataFrame:
    """Every row (shown or not), in time order; nationwide first, then the shown row, within a
    period: the order of an indicator page's tables and of the downloads."""
    frame = frame.assign(_breakdown=frame["breakdown"].map(BREAKDOWN_ORDER.index))
    by = ["indicator_id", period_column, "_breakdown", "shown", "source_id"]
    return periods_mod.sort_frame(frame, by, ascending=[True, True, True, False, True]).drop(columns="_breakdown")
