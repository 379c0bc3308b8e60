"""Data-quality warnings that need the model: sources that disagree, counts that disagree
with a named list, totals that are not the number of agencies at the period's end. They are
warnings for maintainers (never fixes), added to validation's own problems."""

from __future__ import annotations

from pathlib import Path

from scoreboard.data import validate
from scoreboard.data.model import BREAKDOWN_KINDS, Dataset, agencies_valid_in, is_missing
from scoreboard.data.model import records as as_records
from scoreboard.data.problems import Problem
from scoreboard.derive.agencies import agency_statuses


def check(root: Path) -> tuple[list[Problem], Dataset | None]:
    """Validation's problems and, when there is no error, the warnings that need the model;
    with the loaded dataset (None when the data has errors). What `validate` prints and what
    a build starts from."""
    problems, dataset = validate.validate_and_load(root)
    if dataset is not None:
        problems = sorted(set(problems + data_quality_warnings(dataset)))
    return problems, dataset


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
