"""Derive what the site shows from the model: status against targets, changes,
per-year target results, agency league tables and data-quality notes.

Functions take a Dataset (or plain values) and return plain data; nothing here
reads files or writes pages. The rules are explained to readers on the
methodology page (site_src/pages/*/methodology.md); keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import (
    BREAKDOWN_KINDS,
    GROUP_BREAKDOWN,
    Dataset,
    agencies_valid_in,
    column_values,
    is_missing,
)
from scoreboard.data.model import records as as_records
from scoreboard.data.problems import Problem

# 'past_deadline': every target's deadline has passed; the verdict at the deadline (verdicts.py)
# is shown instead of a current status.
STATUSES = ("met", "on_track", "off_track", "no_target", "no_recent_data", "past_deadline")
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


# --- observations and targets ----------------------------------------------------------------


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


def headline_breakdown(observations: list[dict], targets: list[dict]) -> str:
    present = {r["breakdown"] for r in observations} | {t["breakdown"] for t in targets}
    return next((b for b in BREAKDOWN_ORDER if b in present), "nationwide")


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


def scoreboard(dataset: Dataset, as_of: str | None = None) -> list[Assessment]:
    as_of = as_of or latest_period(dataset)
    observations = by_indicator(shown_observations(dataset))
    targets = by_indicator(shown_targets(dataset))
    reported = reported_periods(dataset)
    return [
        assess(dataset, i, as_of, observations.get(i, []), targets.get(i, []), reported=reported)
        for i in dataset.indicators.index
    ]


def status_counts(assessments: list[Assessment]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for a in assessments:
        counts[a.status] += 1
    return counts


def period_changes(dataset: Dataset) -> dict[str, list[dict]]:
    """For every period: each shown observation with its previous observation (same indicator
    and breakdown, ended earlier) and its target (due next, else the last one)."""
    observations = by_indicator(shown_observations(dataset))
    targets = by_indicator(shown_targets(dataset))
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


# --- agencies ---------------------------------------------------------------------------------


@dataclass
class CriterionSummary:
    """What one report says about one criterion for one group of agencies in a period."""

    period: str
    group: str
    criterion_id: str
    count: dict | None  # the shown observation counting agencies, if any
    discrepancy: dict | None = None  # when the count and the named list disagree


@dataclass
class LeagueTable:
    period: str
    group: str
    criteria: list[str]  # criteria shown as columns, in the order of criteria.csv
    rows: pd.DataFrame  # one row per agency: agency_id, statuses, met, not_met, unknown, grade
    summaries: dict[str, CriterionSummary] = field(default_factory=dict)
    count_only: list[dict] = field(default_factory=list)  # counts with no agency named
    has_grades: bool = False


def _is_all(count, unit: str, population: int) -> bool:
    if count is None:
        return False
    if unit == "percent":
        return count["value"] == 100
    numerator, denominator = count["numerator"], count["denominator"]
    return not is_missing(denominator) and numerator == denominator == population


def agency_statuses(dataset: Dataset) -> tuple[pd.DataFrame, list[CriterionSummary]]:
    """Every agency's status on every criterion in every period, with how it is known.

    basis: 'named' (the report names the agency), 'all' (the report says all of them,
    e.g. 63/63 or 100%), 'not_in_list' (the report lists those that have not, and gives
    the total, so the others are counted as met), or 'not_reported'.

    Worked out once per dataset: the validator's warnings and the league tables both need
    it, and a dataset is not changed once loaded (like its lookups, Dataset._rows).
    """
    known = dataset.__dict__.get("_agency_statuses")
    if known is None:
        known = dataset.__dict__["_agency_statuses"] = _agency_statuses(dataset)
    return known


def _agency_statuses(dataset: Dataset) -> tuple[pd.DataFrame, list[CriterionSummary]]:
    checks: dict[tuple, list[dict]] = {}
    for row in as_records(dataset.agency_checks):
        checks.setdefault((row["period"], row["criterion_id"]), []).append(row)
    counts = {
        (o["indicator_id"], o["period"], o["breakdown"]): o
        for o in as_records(dataset.observations[dataset.observations["shown"]])
    }
    criteria = as_records(dataset.criteria)
    records: list[dict] = []
    summaries: list[CriterionSummary] = []
    period_ids = sorted({p for p, _ in checks} | set(dataset.observations["period"]), key=periods_mod.sort_key)
    for period_id in period_ids:
        valid = agencies_valid_in(dataset, period_id)
        for group, breakdown in GROUP_BREAKDOWN.items():
            members = valid.index[valid["group"] == group].tolist()
            member_set = set(members)
            in_breakdown = [a for a in members if dataset.agency(a)["kind"] in BREAKDOWN_KINDS[breakdown]]
            for criterion in criteria:
                named = {
                    r["agency_id"]: r
                    for r in checks.get((period_id, criterion["id"]), [])
                    if r["agency_id"] in member_set
                }
                indicator_id = criterion["indicator_id"]
                count = counts.get((indicator_id, period_id, breakdown)) if indicator_id else None
                if not named and count is None:
                    continue
                not_concerned = {a for a, r in named.items() if r["status"] == "not_applicable"}
                reported = [a for a in in_breakdown if a not in not_concerned]
                unit = dataset.indicator(indicator_id)["unit"] if indicator_id else ""
                not_met = [a for a, r in named.items() if r["status"] == "not_met"]
                inference = "none"
                if _is_all(count, unit, len(reported)):
                    inference = "all"
                elif (
                    count is not None
                    and not_met
                    and not is_missing(count["denominator"])
                    and count["denominator"] == len(reported)
                ):
                    inference = "not_in_list"
                summary = CriterionSummary(period_id, group, criterion["id"], count)
                if inference == "not_in_list":
                    named_in_population = len(set(not_met) & set(reported))
                    implied = len(reported) - named_in_population
                    reported_met = count["value"] if is_missing(count["numerator"]) else count["numerator"]
                    if implied != reported_met:
                        summary.discrepancy = {
                            "reported_met": reported_met,
                            "total": count["denominator"],
                            "named_not_met": named_in_population,
                            "implied_met": implied,
                        }
                summaries.append(summary)
                if inference == "none" and not named:
                    continue  # a count with no names: shown as a count, not spread over agencies
                reported_set = set(reported)
                for agency_id in members:
                    row = named.get(agency_id)
                    if row is not None:
                        status, basis, source, quote = row["status"], "named", row["source_id"], row["quote"]
                    elif inference != "none" and agency_id in reported_set:
                        status, basis, source, quote = "met", inference, count["source_id"], count["quote"]
                    else:
                        status, basis, source, quote = "unknown", "not_reported", "", ""
                    records.append(
                        {
                            "period": period_id,
                            "group": group,
                            "agency_id": agency_id,
                            "criterion_id": criterion["id"],
                            "status": status,
                            "basis": basis,
                            "source_id": source,
                            "quote": quote,
                        }
                    )
    columns = ["period", "group", "agency_id", "criterion_id", "status", "basis", "source_id", "quote"]
    return pd.DataFrame(records, columns=columns), summaries


def league_tables(
    dataset: Dataset, statuses: pd.DataFrame | None = None, summaries: list[CriterionSummary] | None = None
) -> list[LeagueTable]:
    """One table per period and agency group, from agency_statuses() (computed if not given)."""
    if statuses is None or summaries is None:
        statuses, summaries = agency_statuses(dataset)
    grades = dataset.agency_grades
    tables = []
    order = {c: i for i, c in enumerate(dataset.criteria.index)}
    by_group: dict[tuple, dict[str, CriterionSummary]] = {}
    for s in summaries:
        by_group.setdefault((s.period, s.group), {})[s.criterion_id] = s

    def counts_only(key, criteria) -> list[dict]:
        """Criteria reported as a count only: shown as counts, not spread over agencies."""
        return [
            {"criterion_id": c, "count": s.count}
            for c, s in by_group.get(key, {}).items()
            if c not in criteria and s.count is not None
        ]

    for (period_id, group), rows in statuses.groupby(["period", "group"], sort=False):
        criteria = sorted(rows["criterion_id"].unique(), key=order.get)
        wide = rows.pivot(index="agency_id", columns="criterion_id", values="status")[criteria]
        valid = agencies_valid_in(dataset, period_id)
        table = pd.DataFrame({"agency_id": valid.index[valid["group"] == group]})
        table = table.join(wide, on="agency_id").fillna("unknown")
        cells = table[criteria].to_numpy(dtype=object)  # counted in numpy: pandas' str comparisons are slow
        table["met"] = (cells == "met").sum(axis=1)
        table["not_met"] = (cells == "not_met").sum(axis=1)
        table["unknown"] = (cells == "unknown").sum(axis=1)
        g = dict(
            zip(
                grades.loc[grades["period"] == period_id, "agency_id"],
                grades.loc[grades["period"] == period_id, "grade"],
            )
        )
        table["grade"] = [g.get(a, "") for a in table["agency_id"]]
        table = table.sort_values(["met", "not_met", "agency_id"], ascending=[False, True, True], kind="stable")
        own = by_group.get((period_id, group), {})
        tables.append(
            LeagueTable(
                period_id,
                group,
                criteria,
                table.reset_index(drop=True),
                {c: own[c] for c in criteria if c in own},
                counts_only((period_id, group), criteria),
                bool((table["grade"] != "").any()),
            )
        )
    # periods with counts only (no agency named) still get a page listing those counts
    covered = {(t.period, t.group) for t in tables}
    for period_id, group in by_group:
        only = counts_only((period_id, group), [])
        if (period_id, group) in covered or not only:
            continue
        valid = agencies_valid_in(dataset, period_id)
        members = valid.index[valid["group"] == group]
        empty = pd.DataFrame({"agency_id": members, "met": 0, "not_met": 0, "unknown": 0, "grade": ""})
        tables.append(LeagueTable(period_id, group, [], empty, {}, only))
    return sorted(tables, key=lambda t: (periods_mod.sort_key(t.period), t.group))


def agency_history(dataset: Dataset) -> dict[str, dict[str, list[dict]]]:
    """For each agency, the changes that ended or formed it: 'successors' (who took over from
    it) and 'predecessors' (whom it took over from), each a succession row, in date order."""
    history: dict[str, dict[str, list[dict]]] = {}
    rows = dataset.agency_successions.sort_values(["date", "predecessor_id", "successor_id"], kind="stable")
    for row in as_records(rows):
        history.setdefault(row["predecessor_id"], {"successors": [], "predecessors": []})["successors"].append(row)
        history.setdefault(row["successor_id"], {"successors": [], "predecessors": []})["predecessors"].append(row)
    return history


def current_agencies(dataset: Dataset) -> pd.DataFrame:
    """Agencies that have not ended: today's units, whatever the build date."""
    return dataset.agencies[dataset.agencies["valid_to"].eq("")]


def name_qualifiers(dataset: Dataset) -> dict[str, tuple[str, str]]:
    """Agencies that share a name with another one get a date to tell them apart:
    ('until', valid_to) for the one that ended, ('from', valid_from) for the one that began.
    Two units of the same name never show without it (Hải Phòng until 30/6/2025)."""
    agencies = dataset.agencies
    qualifiers: dict[str, tuple[str, str]] = {}
    for column in ("name_vi", "name_en"):
        for _, same in agencies.groupby(column, sort=False):
            if len(same) < 2:
                continue
            for row in as_records(same):
                if row["valid_to"]:
                    qualifiers[row["id"]] = ("until", row["valid_to"])
                elif row["valid_from"]:
                    qualifiers[row["id"]] = ("from", row["valid_from"])
    return qualifiers


def grade_distribution(dataset: Dataset) -> pd.DataFrame:
    return periods_mod.sort_frame(dataset.grade_distribution, ["period", "agency_group", "grade"])


# --- data quality -------------------------------------------------------------------------------


def source_disagreements(dataset: Dataset) -> list[dict]:
    """Groups of rows where sources give different values for the same figure."""
    found = []
    keyed = (
        (dataset.observations, ("indicator_id", "period", "breakdown"), "observation"),
        (dataset.targets, ("indicator_id", "target_period", "breakdown"), "target"),
    )
    for frame, key, kind in keyed:
        frame = frame[frame.duplicated(list(key), keep=False)]  # a figure from one row cannot disagree
        for group, rows in frame.groupby(list(key), sort=True):
            if len(rows) < 2:
                continue
            values = {(r["value"], r.get("low"), r.get("high")) for r in as_records(rows)}
            values = {tuple(None if is_missing(v) else v for v in triple) for triple in values}
            if len(values) > 1:
                found.append({"kind": kind, "key": dict(zip(key, group)), "rows": as_records(rows)})
    return found


def data_quality_warnings(dataset: Dataset) -> list[Problem]:
    warnings = []
    for d in source_disagreements(dataset):
        shown = next((r for r in d["rows"] if r["shown"]), d["rows"][0])
        for r in d["rows"]:
            if r is shown:
                continue
            warnings.append(
                Problem(
                    r["_file"],
                    int(r["_line"]),
                    "value",
                    f"sources disagree on this {d['kind']}: {_show(r)} ({r['source_id']}) vs {_show(shown)} "
                    f"({shown['source_id']}, shown)",
                    "",
                    "keep both rows; check that shown=true is on the row the site should show and that the notes explain "
                    "the difference",
                    severity="warning",
                    kind="sources-disagree",
                )
            )
    warnings += denominator_warnings(dataset)
    _, summaries = agency_statuses(dataset)
    for s in summaries:
        if s.discrepancy:
            c, d = s.count, s.discrepancy
            warnings.append(
                Problem(
                    c["_file"],
                    int(c["_line"]),
                    "numerator",
                    f"the reported count ({_num(d['reported_met'])}/{_num(d['total'])}) disagrees with the named list: "
                    f"{d['named_not_met']} agencies are named as not meeting '{s.criterion_id}', which implies "
                    f"{d['implied_met']}",
                    "",
                    "keep both; the site shows both numbers with their sources",
                    severity="warning",
                    kind="count-list-disagree",
                )
            )
    return warnings


def denominator_warnings(dataset: Dataset) -> list[Problem]:
    """Counts of ministries or provinces out of a total that is not the number of such agencies
    at the period's end. Reports sometimes leave agencies out on purpose; a note saying so
    silences the warning on an observation."""
    warnings = []
    population: dict[tuple, int] = {}

    def agencies_at_end(period_id: str, breakdown: str) -> int:
        key = (period_id, breakdown)
        if key not in population:
            population[key] = len(agencies_valid_in(dataset, period_id, BREAKDOWN_KINDS[breakdown]))
        return population[key]

    obs = dataset.observations
    counted = obs[obs["breakdown"].isin(list(BREAKDOWN_KINDS)) & obs["denominator"].notna()]
    for row in as_records(counted):
        expected = agencies_at_end(row["period"], row["breakdown"])
        if row["denominator"] == expected or row["note_vi"] or row["note_en"]:
            continue
        warnings.append(_denominator_warning(row, "denominator", row["denominator"], expected))
    grades = dataset.grade_distribution
    for row in as_records(grades.drop_duplicates(["period", "agency_group", "total"])):
        expected = agencies_at_end(row["period"], row["agency_group"])
        if not is_missing(row["total"]) and row["total"] != expected:
            warnings.append(_denominator_warning(row, "total", row["total"], expected))
    return warnings


def _denominator_warning(row: dict, column: str, total, expected: int) -> Problem:
    breakdown = row.get("breakdown") or row.get("agency_group")
    return Problem(
        row["_file"],
        int(row["_line"]),
        column,
        f"the total is not the number of {breakdown} at the end of {row['period']}: {expected} existed then "
        "(data/reference/agencies.csv)",
        _num(total),
        "if the report leaves some out on purpose, keep the figure and say why in note_vi/note_en; otherwise check "
        "the figure, and the agencies' valid_from/valid_to",
        severity="warning",
        kind="denominator",
    )


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _show(row) -> str:
    if is_missing(row.get("value")):
        return f"{_num(row['low'])}-{_num(row['high'])}"
    return _num(row["value"])
