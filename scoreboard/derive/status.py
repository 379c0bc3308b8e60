"""Status against targets and changes between periods (see the methodology page,
site_src/pages/*/methodology.md; keep the two in step)."""

from __future__ import annotations

from dataclasses import dataclass

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import Dataset, is_missing
from scoreboard.derive.series import (
    BREAKDOWN_ORDER,
    by_indicator,
    headline_breakdown,
    is_recent,
    reported_periods,
    shown_observations,
    shown_targets,
)

# 'past_deadline': every target's deadline has passed; the verdict at the deadline (verdicts.py)
# is shown instead of a current status.
STATUSES = ("met", "on_track", "off_track", "no_target", "no_recent_data", "past_deadline")


def threshold(target) -> float:
    return target["low"] if is_missing(target["value"]) else target["value"]


def meets(value: float, value_kind: str, target, higher_is_better: bool = True) -> bool:
    """Does a value reach the target? A range counts from its low end.

    'more_than' targets need a value strictly beyond the threshold (above it, or below it
    where lower is better). A bound counts only when the true value is surely on the good
    side: 'nearly x' lies below x and 'more than x' above it, so x itself must be strictly
    beyond the threshold when the bound points the wrong way.
    """
    limit = threshold(target)
    wrong_way = "nearly" if higher_is_better else "more_than"
    strict = target["comparison"] == "more_than" or value_kind == wrong_way
    if higher_is_better:
        return value > limit if strict else value >= limit
    return value < limit if strict else value <= limit


def change(latest, previous) -> float | None:
    """Difference from the previous figure; none across a break in the series, nor between
    x/y figures over different totals, which count different things (e.g. 477/832 villages,
    then 256/896 villages with power)."""
    if latest is None or previous is None or latest.get("series_break"):
        return None
    denominators = (latest.get("denominator"), previous.get("denominator"))
    if not any(is_missing(d) for d in denominators) and denominators[0] != denominators[1]:
        return None
    return round(float(latest["value"]) - float(previous["value"]), 10)


@dataclass
class Assessment:
    """An indicator's standing on the scoreboard as of a period."""

    indicator_id: str
    breakdown: str
    status: str
    latest: dict | None = None
    previous: dict | None = None
    change: float | None = None
    target: dict | None = None
    projected: float | None = None
    verdict: dict | None = None  # for 'past_deadline': the last target's verdict (verdicts.attach)


def assess(
    dataset: Dataset,
    indicator_id: str,
    as_of: str,
    observations: list[dict] | None = None,
    targets: list[dict] | None = None,
    breakdown: str | None = None,
    reported: list[str] | None = None,
) -> Assessment:
    """Apply the status rule (see the methodology page) to one indicator.

    Only targets not yet due (deadline after the as-of period's end) count here; a target
    falls due with the period that ends on its deadline and is then judged at its deadline
    (verdicts.py), so that a missed deadline is never hidden behind a current status.

    - no_target: no target has ever been set;
    - past_deadline: every target is due (the verdict of the last one is shown instead);
    - no_recent_data: no observation, or the latest ends more than a year before the newest
      period of its kind with any figure (is_recent);
    - met: the latest value already reaches the next target not yet due;
    - off_track: the trend from the previous observation, extended to the deadline, falls
      short (or there is no trend yet);
    - on_track: that extended trend reaches the target by its deadline.

    observations and targets are the indicator's shown rows in period order; they are
    looked up when not given, as are reported (the periods with any figure).
    """
    if observations is None:
        observations = by_indicator(shown_observations(dataset)).get(indicator_id, [])
    if targets is None:
        targets = by_indicator(shown_targets(dataset)).get(indicator_id, [])
    as_of_end = periods_mod.parse(as_of).end
    observations = [o for o in observations if periods_mod.parse(o["period"]).end <= as_of_end]
    breakdown = breakdown or headline_breakdown(observations, targets)
    rows = [o for o in observations if o["breakdown"] == breakdown]
    targets = [t for t in targets if t["breakdown"] == breakdown]

    latest = rows[-1] if rows else None
    previous = rows[-2] if len(rows) > 1 else None
    result = Assessment(indicator_id, breakdown, "no_target", latest, previous, change(latest, previous))
    if not targets:
        return result
    upcoming = [t for t in targets if periods_mod.parse(t["target_period"]).end > as_of_end]
    if not upcoming:
        result.target = targets[-1]
        result.status = "past_deadline"
        return result
    target = result.target = upcoming[0]
    if latest is None:
        result.status = "no_recent_data"
        return result
    latest_end = periods_mod.parse(latest["period"]).end
    if reported is None:
        reported = reported_periods(dataset)
    if not is_recent(latest["period"], reported, as_of):
        result.status = "no_recent_data"
        return result
    higher = bool(dataset.indicator(indicator_id)["higher_is_better"])
    if meets(latest["value"], latest["value_kind"], target, higher):
        result.status = "met"
        return result
    deadline = periods_mod.parse(target["target_period"]).end
    if previous is None or result.change is None:
        result.status = "off_track"
        return result
    previous_end = periods_mod.parse(previous["period"]).end
    years = (latest_end - previous_end).days / 365.25
    rate = result.change / years if years > 0 else 0.0
    result.projected = latest["value"] + rate * (deadline - latest_end).days / 365.25
    result.status = "on_track" if meets(result.projected, "reported", target, higher) else "off_track"
    return result


def scoreboard(
    dataset: Dataset, as_of: str, observations: dict, targets: dict, reported: list[str]
) -> list[Assessment]:
    """Every indicator's assessment as of a period, from the shown rows by indicator."""
    return [
        assess(dataset, i, as_of, observations.get(i, []), targets.get(i, []), reported=reported)
        for i in dataset.indicators.index
    ]


def status_counts(assessments: list[Assessment]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for a in assessments:
        counts[a.status] += 1
    return counts


def period_changes(dataset: Dataset, observations: dict, targets: dict) -> dict[str, list[dict]]:
    """For every period: each shown observation with its previous observation (same indicator
    and breakdown, ended earlier) and its target (due next, else the last one)."""
    by_period: dict[str, list[dict]] = {p: [] for p in dataset.period_ids}
    for indicator_id, series in observations.items():
        higher = bool(dataset.indicator(indicator_id)["higher_is_better"])
        for o in series:
            end = periods_mod.parse(o["period"]).end
            earlier = [
                p for p in series if p["breakdown"] == o["breakdown"] and periods_mod.parse(p["period"]).end < end
            ]
            previous = earlier[-1] if earlier else None
            own = [t for t in targets.get(indicator_id, []) if t["breakdown"] == o["breakdown"]]
            due = [t for t in own if periods_mod.parse(t["target_period"]).end >= end]
            target = due[0] if due else (own[-1] if own else None)
            by_period.setdefault(o["period"], []).append(
                {
                    "observation": o,
                    "previous": previous,
                    "change": change(o, previous),
                    "target": target,
                    "meets": None if target is None else meets(o["value"], o["value_kind"], target, higher),
                }
            )
    order = {i: n for n, i in enumerate(dataset.indicators.index)}
    for rows in by_period.values():
        rows.sort(
            key=lambda r: (
                order[r["observation"]["indicator_id"]],
                BREAKDOWN_ORDER.index(r["observation"]["breakdown"]),
            )
        )
    return by_period
