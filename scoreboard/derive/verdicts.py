"""Every target judged at its own deadline: met, not met, or no figure at the deadline.

The scoreboard's current statuses (derive.assess) look ahead, at targets not yet due; this
module looks back, so that a target whose deadline has passed gets a plain answer instead of
disappearing behind "no recent data". The rule is explained to readers on the methodology
page (site_src/pages/*/methodology.md, section "Targets at their deadline"); keep them in step.
"""

from __future__ import annotations

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import Dataset
from scoreboard.derive.status import meets

VERDICTS = ("met", "not_met", "no_figure", "not_due")
# A figure counts for a deadline if its period ends on the deadline or at most this many days
# before it: half a year at its longest (30 June to 31 December is 184 days), so a mid-year
# figure answers for a year-end target and a year-end figure for a mid-year one, but a figure
# a whole year old does not.
WINDOW_DAYS = 184


def judge(target: dict, series: list[dict], higher_is_better: bool, as_of: str) -> dict:
    """One target's verdict from its indicator's shown figures (same breakdown, period order).

    - not_due: the deadline ends after the as-of period (the current status covers it);
    - met / not_met: the last figure whose period ends on or before the deadline, if it ends
      within WINDOW_DAYS of it, reaches the target or not (basis 'at_deadline' when it ends on
      the deadline, else 'before_deadline');
    - no_figure: no such figure. last_before is then the newest earlier figure (older than the
      window) and first_after the first figure after the deadline: shown, never counted, as a
      later figure says nothing about whether a past deadline was met.
    """
    deadline = periods_mod.parse(target["target_period"]).end
    before = [o for o in series if periods_mod.parse(o["period"]).end <= deadline]
    after = [o for o in series if periods_mod.parse(o["period"]).end > deadline]
    last = before[-1] if before else None
    result = {
        "indicator_id": target["indicator_id"],
        "breakdown": target["breakdown"],
        "target_period": target["target_period"],
        "year": deadline.year,
        "target": target,
        "verdict": "not_due",
        "basis": None,
        "observation": None,
        "last_before": last,
        "first_after": after[0] if after else None,
    }
    if deadline > periods_mod.parse(as_of).end:
        return result
    if last is None or (deadline - periods_mod.parse(last["period"]).end).days > WINDOW_DAYS:
        result["verdict"] = "no_figure"
        return result
    reached = meets(last["value"], last["value_kind"], target, higher_is_better)
    result.update(
        verdict="met" if reached else "not_met",
        observation=last,
        basis="at_deadline" if periods_mod.parse(last["period"]).end == deadline else "before_deadline",
    )
    return result


def target_results(dataset: Dataset, as_of: str, observations: dict, targets: dict) -> list[dict]:
    """Every shown target with its verdict as of a period, in indicator then deadline order."""
    results = []
    for t in (t for rows in targets.values() for t in rows):  # by indicator id, then breakdown and deadline
        series = [o for o in observations.get(t["indicator_id"], []) if o["breakdown"] == t["breakdown"]]
        higher = bool(dataset.indicator(t["indicator_id"])["higher_is_better"])
        results.append(judge(t, series, higher, as_of))
    return results


def target_year_summary(results: list[dict]) -> list[dict]:
    """Per deadline year: how many targets were met, not met, had no figure at the deadline,
    or are not yet due; with the results themselves, for the list under the counts."""
    summary: dict[int, dict] = {}
    for r in results:
        row = summary.setdefault(
            r["year"], {"year": r["year"], "total": 0, "results": [], **dict.fromkeys(VERDICTS, 0)}
        )
        row["total"] += 1
        row[r["verdict"]] += 1
        row["results"].append(r)
    return [summary[y] for y in sorted(summary)]


def by_indicator_results(results: list[dict]) -> dict[str, list[dict]]:
    """Results grouped by indicator, in deadline order."""
    grouped: dict[str, list[dict]] = {}
    for r in results:
        grouped.setdefault(r["indicator_id"], []).append(r)
    return grouped


def attach(assessments: dict, results: list[dict]) -> None:
    """Give each indicator whose targets are all past due (status 'past_deadline') the verdict
    of its last target, which the home page shows in place of a current status."""
    grouped = by_indicator_results(results)
    for a in assessments.values():
        if a.status != "past_deadline":
            continue
        own = [r for r in grouped.get(a.indicator_id, []) if r["breakdown"] == a.breakdown]
        a.verdict = own[-1] if own else None
