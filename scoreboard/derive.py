"""Derive what the site shows from the model: status against targets, changes,
per-year target results, agency league tables and data-quality notes.

Functions take a Dataset (or plain values) and return plain data; nothing here
reads files or writes pages. The rules are explained to readers on the
methodology page (site_src/pages/*/methodology.md); keep the two in step.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from . import periods as periods_mod
from .model import BREAKDOWN_KINDS, GROUP_BREAKDOWN, Dataset, agencies_valid_in
from .problems import Problem

STATUSES = ("met", "on_track", "off_track", "no_target", "no_recent_data")
RECENT_DAYS = 366  # an observation is recent if it ends within a year of the latest period's end
BREAKDOWN_ORDER = ("nationwide", "ministries", "provinces")
# Indicators that count tasks of the National Committee's plans, shown together on period pages.
TASK_INDICATORS = (
    "plan-targets-met",
    "plan-tasks-completed",
    "plan-tasks-due-completed",
    "pm-conclusion-tasks-completed",
    "pm-conclusion-tasks-due-completed",
)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


# --- observations and targets ----------------------------------------------------------------


def shown_observations(dataset: Dataset) -> pd.DataFrame:
    obs = dataset.observations[dataset.observations["shown"]].copy()
    obs["_order"] = obs["period"].map(periods_mod.sort_key)
    return obs.sort_values(["indicator_id", "breakdown", "_order"]).drop(columns="_order")


def shown_targets(dataset: Dataset) -> pd.DataFrame:
    t = dataset.targets[dataset.targets["shown"]].copy()
    t["_order"] = t["target_period"].map(periods_mod.sort_key)
    return t.sort_values(["indicator_id", "breakdown", "_order"]).drop(columns="_order")


def latest_period(dataset: Dataset) -> str:
    """The newest period with any shown observation: the scoreboard's 'now'."""
    return periods_mod.sorted_ids(shown_observations(dataset)["period"])[-1]


def threshold(target) -> float:
    return target["low"] if _missing(target["value"]) else target["value"]


def meets(value: float, value_kind: str, target, higher_is_better: bool = True) -> bool:
    """Does a value reach the target? A range counts from its low end.

    'more_than' targets need a strictly larger value; a value reported as
    'nearly x' lies below x, so it must itself exceed the threshold.
    """
    limit = threshold(target)
    strict = target["comparison"] == "more_than" or value_kind == "nearly"
    if higher_is_better:
        return value > limit if strict else value >= limit
    return value < limit if strict else value <= limit


def change(latest, previous) -> float | None:
    if latest is None or previous is None:
        return None
    return round(float(latest["value"]) - float(previous["value"]), 10)


def headline_breakdown(obs: pd.DataFrame, targets: pd.DataFrame) -> str:
    present = set(obs["breakdown"]) | set(targets["breakdown"])
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


def assess(dataset: Dataset, indicator_id: str, as_of: str, breakdown: str | None = None) -> Assessment:
    """Apply the status rule (see the methodology page) to one indicator.

    - no_target: no target has ever been set;
    - no_recent_data: no observation ending within a year of the as-of period;
    - met: the latest value reaches the target due next (or the last one, once all are due);
    - off_track: a deadline passed without the target being reached, or the trend from the
      previous observation, extended to the deadline, falls short (or there is no trend yet);
    - on_track: that extended trend reaches the target by its deadline.
    """
    indicator = dataset.indicators.loc[indicator_id]
    as_of_period = periods_mod.parse(as_of)
    obs = shown_observations(dataset)
    obs = obs[(obs["indicator_id"] == indicator_id)]
    obs = obs[obs["period"].map(lambda p: periods_mod.parse(p).end <= as_of_period.end)]
    targets = shown_targets(dataset)
    targets = targets[targets["indicator_id"] == indicator_id]
    breakdown = breakdown or headline_breakdown(obs, targets)
    obs = obs[obs["breakdown"] == breakdown]
    targets = targets[targets["breakdown"] == breakdown]

    rows = obs.to_dict("records")
    latest = rows[-1] if rows else None
    previous = rows[-2] if len(rows) > 1 else None
    result = Assessment(indicator_id, breakdown, "no_target", latest, previous, change(latest, previous))
    if targets.empty:
        return result
    if latest is None:
        result.target = targets.to_dict("records")[-1]
        result.status = "no_recent_data"
        return result
    latest_end = periods_mod.parse(latest["period"]).end
    upcoming = [t for t in targets.to_dict("records") if periods_mod.parse(t["target_period"]).end >= latest_end]
    target = upcoming[0] if upcoming else targets.to_dict("records")[-1]
    result.target = target
    if (as_of_period.end - latest_end).days > RECENT_DAYS:
        result.status = "no_recent_data"
        return result
    higher = bool(indicator["higher_is_better"])
    if meets(latest["value"], latest["value_kind"], target, higher):
        result.status = "met"
        return result
    deadline = periods_mod.parse(target["target_period"]).end
    if deadline <= latest_end or previous is None:
        result.status = "off_track"
        return result
    previous_end = periods_mod.parse(previous["period"]).end
    years = (latest_end - previous_end).days / 365.25
    rate = (latest["value"] - previous["value"]) / years if years > 0 else 0.0
    result.projected = latest["value"] + rate * (deadline - latest_end).days / 365.25
    on_track = meets(result.projected, "reported", target, higher)
    result.status = "on_track" if on_track else "off_track"
    return result


def scoreboard(dataset: Dataset, as_of: str | None = None) -> list[Assessment]:
    as_of = as_of or latest_period(dataset)
    return [assess(dataset, indicator_id, as_of) for indicator_id in dataset.indicators.index]


def status_counts(assessments: list[Assessment]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for a in assessments:
        counts[a.status] += 1
    return counts


def target_results(dataset: Dataset) -> pd.DataFrame:
    """Each shown target judged at its own deadline, from the observations of its year.

    'final' when an observation ends on the deadline; otherwise the latest earlier
    observation of that year gives a provisional result; with none, 'not_assessed'.
    """
    obs = shown_observations(dataset)
    records = []
    for t in shown_targets(dataset).to_dict("records"):
        deadline = periods_mod.parse(t["target_period"])
        year_start = deadline.end.replace(month=1, day=1)
        candidates = obs[(obs["indicator_id"] == t["indicator_id"]) & (obs["breakdown"] == t["breakdown"])]
        candidates = [
            o for o in candidates.to_dict("records")
            if year_start <= periods_mod.parse(o["period"]).end <= deadline.end
        ]
        result = {"indicator_id": t["indicator_id"], "target_period": t["target_period"],
                  "year": deadline.end.year, "breakdown": t["breakdown"], "target": t,
                  "observation": None, "result": "not_assessed", "final": False}
        if candidates:
            o = candidates[-1]
            higher = bool(dataset.indicators.at[t["indicator_id"], "higher_is_better"])
            result.update(observation=o, final=periods_mod.parse(o["period"]).end == deadline.end,
                          result="met" if meets(o["value"], o["value_kind"], t, higher) else "not_met")
        records.append(result)
    return pd.DataFrame(records)


def target_year_summary(dataset: Dataset) -> list[dict]:
    results = target_results(dataset)
    summary = []
    for year, rows in results.groupby("year", sort=True):
        summary.append({
            "year": int(year),
            "total": len(rows),
            "met": int((rows["result"] == "met").sum()),
            "not_met": int((rows["result"] == "not_met").sum()),
            "not_assessed": int((rows["result"] == "not_assessed").sum()),
            "provisional": int(((rows["result"] != "not_assessed") & ~rows["final"]).sum()),
        })
    return summary


def period_changes(dataset: Dataset, period_id: str) -> list[dict]:
    """Every shown observation of a period with its previous observation and target."""
    obs = shown_observations(dataset)
    targets = shown_targets(dataset)
    end = periods_mod.parse(period_id).end
    rows = []
    for o in obs[obs["period"] == period_id].to_dict("records"):
        same = obs[(obs["indicator_id"] == o["indicator_id"]) & (obs["breakdown"] == o["breakdown"])]
        earlier = [p for p in same.to_dict("records") if periods_mod.parse(p["period"]).end < end]
        previous = earlier[-1] if earlier else None
        t = targets[(targets["indicator_id"] == o["indicator_id"]) & (targets["breakdown"] == o["breakdown"])]
        due = [x for x in t.to_dict("records") if periods_mod.parse(x["target_period"]).end >= end]
        target = due[0] if due else (t.to_dict("records")[-1] if len(t) else None)
        higher = bool(dataset.indicators.at[o["indicator_id"], "higher_is_better"])
        rows.append({
            "observation": o, "previous": previous, "change": change(o, previous), "target": target,
            "meets": None if target is None else meets(o["value"], o["value_kind"], target, higher),
        })
    return rows


# --- agencies ---------------------------------------------------------------------------------


@dataclass
class CriterionSummary:
    """What one report says about one criterion for one group of agencies in a period."""

    period: str
    group: str
    criterion_id: str
    count: dict | None  # the shown observation counting agencies, if any
    population: int  # agencies the count refers to, after removing those not concerned
    named_not_met: int
    named_met: int
    inference: str  # "all", "not_in_list" or "none": how unnamed agencies are judged
    discrepancy: dict | None = None


@dataclass
class LeagueTable:
    period: str
    group: str
    criteria: list[str]  # criteria shown as columns, in the order of criteria.csv
    rows: pd.DataFrame  # one row per agency: agency_id, statuses, met, not_met, unknown, grade
    summaries: dict[str, CriterionSummary] = field(default_factory=dict)
    count_only: list[dict] = field(default_factory=list)  # counts with no agency named
    has_grades: bool = False


def _count_observation(dataset: Dataset, criterion, period_id: str, breakdown: str):
    indicator_id = criterion["indicator_id"]
    if not indicator_id:
        return None
    obs = dataset.observations
    hit = obs[(obs["indicator_id"] == indicator_id) & (obs["period"] == period_id)
              & (obs["breakdown"] == breakdown) & obs["shown"]]
    return hit.iloc[0].to_dict() if len(hit) else None


def _is_all(count, unit: str, population: int) -> bool:
    if count is None:
        return False
    if unit == "percent":
        return count["value"] == 100
    numerator, denominator = count["numerator"], count["denominator"]
    return not _missing(denominator) and numerator == denominator == population


def agency_statuses(dataset: Dataset) -> tuple[pd.DataFrame, list[CriterionSummary]]:
    """Every agency's status on every criterion in every period, with how it is known.

    basis: 'named' (the report names the agency), 'all' (the report says all of them,
    e.g. 63/63 or 100%), 'not_in_list' (the report lists those that have not, the others
    are counted as met), or 'not_reported'.
    """
    records: list[dict] = []
    summaries: list[CriterionSummary] = []
    checks = dataset.agency_checks
    period_ids = sorted(set(checks["period"]) | set(dataset.observations["period"]), key=periods_mod.sort_key)
    for period_id in period_ids:
        for group, breakdown in GROUP_BREAKDOWN.items():
            members = agencies_valid_in(dataset, period_id)
            members = members[members["group"] == group]
            for criterion in dataset.criteria.to_dict("records"):
                named = checks[(checks["period"] == period_id) & (checks["criterion_id"] == criterion["id"])
                               & checks["agency_id"].isin(members.index)]
                count = _count_observation(dataset, criterion, period_id, breakdown)
                if named.empty and count is None:
                    continue
                n_a = set(named.loc[named["status"] == "not_applicable", "agency_id"])
                reported = [a for a in members.index if members.at[a, "kind"] in BREAKDOWN_KINDS[breakdown]
                            and a not in n_a]
                unit = dataset.indicators.at[criterion["indicator_id"], "unit"] if criterion["indicator_id"] else ""
                not_met_in_population = int(named["agency_id"].isin(reported)[named["status"] == "not_met"].sum())
                inference = "none"
                if _is_all(count, unit, len(reported)):
                    inference = "all"
                elif count is not None and (named["status"] == "not_met").any() and not _missing(count["denominator"]) \
                        and count["denominator"] == len(reported):
                    inference = "not_in_list"
                summary = CriterionSummary(period_id, group, criterion["id"], count, len(reported),
                                           int((named["status"] == "not_met").sum()),
                                           int((named["status"] == "met").sum()), inference)
                if inference == "not_in_list":
                    implied = len(reported) - not_met_in_population
                    reported_met = count["numerator"] if not _missing(count["numerator"]) else count["value"]
                    if implied != reported_met:
                        summary.discrepancy = {"reported_met": reported_met, "total": count["denominator"],
                                               "named_not_met": not_met_in_population, "implied_met": implied}
                summaries.append(summary)
                if inference == "none" and named.empty:
                    continue  # a count with no names: shown as a count, not spread over agencies
                named_by_agency = {r["agency_id"]: r for r in named.to_dict("records")}
                for agency_id in members.index:
                    row = named_by_agency.get(agency_id)
                    if row is not None:
                        status, basis, source, quote = row["status"], "named", row["source_id"], row["quote"]
                    elif inference != "none" and agency_id in reported:
                        status, basis = "met", inference
                        source, quote = count["source_id"], count["quote"]
                    else:
                        status, basis, source, quote = "unknown", "not_reported", "", ""
                    records.append({"period": period_id, "group": group, "agency_id": agency_id,
                                    "criterion_id": criterion["id"], "status": status, "basis": basis,
                                    "source_id": source, "quote": quote})
    columns = ["period", "group", "agency_id", "criterion_id", "status", "basis", "source_id", "quote"]
    return pd.DataFrame(records, columns=columns), summaries


def league_tables(dataset: Dataset) -> list[LeagueTable]:
    statuses, summaries = agency_statuses(dataset)
    grades = dataset.agency_grades
    tables = []
    order = {c: i for i, c in enumerate(dataset.criteria.index)}
    for (period_id, group), rows in statuses.groupby(["period", "group"], sort=False):
        criteria = sorted(rows["criterion_id"].unique(), key=order.get)
        wide = rows.pivot(index="agency_id", columns="criterion_id", values="status")[criteria]
        members = agencies_valid_in(dataset, period_id)
        members = members[members["group"] == group]
        table = pd.DataFrame({"agency_id": members.index})
        table = table.join(wide, on="agency_id").fillna("unknown")
        table["met"] = (table[criteria] == "met").sum(axis=1)
        table["not_met"] = (table[criteria] == "not_met").sum(axis=1)
        table["unknown"] = (table[criteria] == "unknown").sum(axis=1)
        g = grades[grades["period"] == period_id].set_index("agency_id")["grade"]
        table["grade"] = table["agency_id"].map(g).fillna("")
        table["name_vi"] = table["agency_id"].map(dataset.agencies["name_vi"])
        table = table.sort_values(["met", "not_met", "agency_id"], ascending=[False, True, True], kind="stable")
        own = {s.criterion_id: s for s in summaries if s.period == period_id and s.group == group}
        count_only = [
            {"criterion_id": s.criterion_id, "count": s.count}
            for s in own.values() if s.criterion_id not in criteria and s.count is not None
        ]
        tables.append(LeagueTable(period_id, group, criteria, table.reset_index(drop=True),
                                  {c: own[c] for c in criteria if c in own}, count_only,
                                  bool((table["grade"] != "").any())))
    # periods that have only counts (no agency-level facts) still get a table of counts
    covered = {(t.period, t.group) for t in tables}
    for s in summaries:
        if (s.period, s.group) not in covered and s.count is not None:
            covered.add((s.period, s.group))
            members = agencies_valid_in(dataset, s.period)
            members = members[members["group"] == s.group]
            empty = pd.DataFrame({"agency_id": members.index, "met": 0, "not_met": 0, "unknown": 0, "grade": ""})
            tables.append(LeagueTable(s.period, s.group, [], empty, {}, [
                {"criterion_id": x.criterion_id, "count": x.count}
                for x in summaries if x.period == s.period and x.group == s.group and x.count is not None]))
    return sorted(tables, key=lambda t: (periods_mod.sort_key(t.period), t.group))


def grade_distribution(dataset: Dataset) -> pd.DataFrame:
    g = dataset.grade_distribution.copy()
    g["_order"] = g["period"].map(periods_mod.sort_key)
    return g.sort_values(["_order", "agency_group", "grade"]).drop(columns="_order")


# --- data quality -------------------------------------------------------------------------------


def source_disagreements(dataset: Dataset) -> list[dict]:
    """Groups of rows where sources give different values for the same figure."""
    found = []
    keyed = (
        (dataset.observations, ("indicator_id", "period", "breakdown"), "observation"),
        (dataset.targets, ("indicator_id", "target_period", "breakdown"), "target"),
    )
    for frame, key, kind in keyed:
        for group, rows in frame.groupby(list(key), sort=True):
            if len(rows) < 2:
                continue
            values = {(r["value"], r.get("low"), r.get("high")) for r in rows.to_dict("records")}
            values = {tuple(None if _missing(v) else v for v in triple) for triple in values}
            if len(values) > 1:
                found.append({"kind": kind, "key": dict(zip(key, group)), "rows": rows.to_dict("records")})
    return found


def data_quality_warnings(dataset: Dataset) -> list[Problem]:
    warnings = []
    for d in source_disagreements(dataset):
        shown = next((r for r in d["rows"] if r["shown"]), d["rows"][0])
        for r in d["rows"]:
            if r is shown:
                continue
            warnings.append(Problem(
                r["_file"], int(r["_line"]), "value",
                f"sources disagree on this {d['kind']}: {_show(r)} ({r['source_id']}) vs {_show(shown)} "
                f"({shown['source_id']}, shown)", "",
                "keep both rows; check that shown=true is on the row the site should show and that the notes explain "
                "the difference", severity="warning", kind="sources-disagree"))
    _, summaries = agency_statuses(dataset)
    for s in summaries:
        if s.discrepancy:
            c, d = s.count, s.discrepancy
            warnings.append(Problem(
                c["_file"], int(c["_line"]), "numerator",
                f"the reported count ({_num(d['reported_met'])}/{_num(d['total'])}) disagrees with the named list: "
                f"{d['named_not_met']} agencies are named as not meeting '{s.criterion_id}', which implies "
                f"{d['implied_met']}", "",
                "keep both; the site shows both numbers with their sources", severity="warning",
                kind="count-list-disagree"))
    return warnings


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _show(row) -> str:
    if _missing(row.get("value")):
        return f"{_num(row['low'])}-{_num(row['high'])}"
    return _num(row["value"])
