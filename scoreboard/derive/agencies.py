"""Agencies: every agency's status on every criterion, league tables per period and group,
who succeeded whom, and names that need a date to tell them apart."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import BREAKDOWN_KINDS, GROUP_BREAKDOWN, Dataset, agencies_valid_in, is_missing
from scoreboard.data.model import records as as_records

# The columns of every agency's status (agency_statuses), as data/league-tables.csv has them
STATUS_COLUMNS = ("period", "group", "agency_id", "criterion_id", "status", "basis", "source_id", "quote")
# How a status is known (see agency_statuses)
BASES = ("named", "all", "not_in_list", "not_reported")


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
    return pd.DataFrame(records, columns=list(STATUS_COLUMNS)), summaries


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
