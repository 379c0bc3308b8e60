"""Data-quality warnings that need the model: sources that disagree, counts that disagree
with a named list, totals that are not the number of agencies at the period's end. They are
warnings for maintainers (never fixes), added to validation's own problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scoreboard.data import periods as periods_mod
from scoreboard.data import validate
from scoreboard.data.model import BREAKDOWN_KINDS, Dataset, agencies_valid_in, agencies_valid_on, is_missing
from scoreboard.data.model import records as as_records
from scoreboard.data.problems import Problem, unexplained
from scoreboard.derive import series
from scoreboard.derive.agencies import agency_statuses


def check(root: Path, explained: bool = False, reports_dir: Path | None = None) -> tuple[list[Problem], Dataset | None]:
    """Validation's problems and, when there is no error, the warnings that need the model;
    with the loaded dataset (None when the data has errors). What `validate` prints and what
    a build starts from. Warnings that their rows' notes explain are left out unless
    `explained` (`validate --all`). reports_dir: another archive of report texts than the project's."""
    problems, dataset = validate.validate_and_load(root, reports_dir)
    if dataset is not None:
        problems = sorted(set(problems + data_quality_warnings(dataset)))
    return (problems if explained else unexplained(problems)), dataset


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
                    explained=has_note(r),
                )
            )
    warnings += denominator_warnings(dataset)
    warnings += jump_warnings(dataset)
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
                    explained=has_note(c),
                )
            )
    return warnings


def has_note(row: dict) -> bool:
    """Whether a row says something in note_vi or note_en (a warning it explains is not repeated)."""
    return any(not is_missing(row.get(column)) and str(row[column]).strip() for column in ("note_vi", "note_en"))


def denominator_warnings(dataset: Dataset) -> list[Problem]:
    """Counts of ministries or provinces (or both) out of a total that is not the number of
    such agencies at the period's end. Reports sometimes leave agencies out on purpose, or
    count the units after a reorganisation: a note saying so explains the warning (on an
    observation, or on any row of a group's grades)."""
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
        if row["denominator"] != expected:
            warnings.append(
                _denominator_warning(dataset, row, "denominator", row["denominator"], expected, has_note(row))
            )
    groups: dict[tuple, list[dict]] = {}  # a period's grades of one group, in file order
    for row in as_records(dataset.grade_distribution):
        groups.setdefault((row["period"], row["agency_group"]), []).append(row)
    for rows in groups.values():
        row = rows[0]  # one warning per group, on its first row; a note on any row explains it
        expected = agencies_at_end(row["period"], row["agency_group"])
        if not is_missing(row["total"]) and row["total"] != expected:
            noted = any(has_note(r) for r in rows)
            warnings.append(_denominator_warning(dataset, row, "total", row["total"], expected, noted))
    return warnings


def when_counted(dataset: Dataset, kinds, total, period_id: str) -> tuple[str, str] | None:
    """Where a total is the number of agencies on another day than the period's end: the
    nearest day the count of agencies changed (a merger's first day, or the day before an
    earlier one) on which it was that total, as ('from' | 'until', date)."""
    end = periods_mod.parse(period_id).end
    a = dataset.agencies[dataset.agencies["kind"].isin(kinds)]
    days = {dt.date.fromisoformat(d) for d in a["valid_from"] if d}
    days |= {dt.date.fromisoformat(d) + dt.timedelta(days=1) for d in a["valid_to"] if d}
    found = []
    for day in days:
        if day > end and len(agencies_valid_on(dataset, day.isoformat(), kinds)) == total:
            found.append((day - end, "from", day))
        before = day - dt.timedelta(days=1)
        if before < end and len(agencies_valid_on(dataset, before.isoformat(), kinds)) == total:
            found.append((end - before, "until", before))
    if not found:
        return None
    _, word, day = min(found)
    return word, day.isoformat()


def _denominator_warning(dataset: Dataset, row: dict, column: str, total, expected: int, explained: bool) -> Problem:
    breakdown = row.get("breakdown") or row.get("agency_group")
    what = breakdown.replace("_", " ")
    end = periods_mod.parse(row["period"]).end.isoformat()
    message = f"the total is not the number of {what} at the end of {row['period']} ({end}): {expected} existed then"
    hint = (
        "if the report leaves some out on purpose, keep the figure and say why in note_vi/note_en; otherwise check "
        "the figure, and the agencies' valid_from/valid_to"
    )
    other = when_counted(dataset, BREAKDOWN_KINDS[breakdown], total, row["period"])
    if other:
        word, day = other
        message += f"; {_num(total)} existed {word} {day}, when the count of agencies changed"
        hint = (
            f"if the report counts the {what} as they were {word} {day}, keep the figure and say so in "
            "note_vi/note_en; otherwise check the figure, and the agencies' valid_from/valid_to"
        )
    return Problem(
        row["_file"],
        int(row["_line"]),
        column,
        message + " (data/reference/agencies.csv)",
        _num(total),
        hint,
        severity="warning",
        kind="denominator",
        explained=explained,
    )


# A count changing by more than a third in half a year (or as much at that pace over a longer
# time) is more often a new method than news: 50,350 then 73,788 digital-technology enterprises.
JUMP = 4 / 3


def jump_warnings(dataset: Dataset) -> list[Problem]:
    """Figures of a level indicator counted in a non-negative unit (not a share) that change
    by a third or more per half year since the last figure they compare with (no series
    break between them, the same total), unless one sentence of one report gives both: did
    the report change how it counts?"""
    warnings = []
    indicators = dataset.indicators.to_dict("index")
    observations = series.by_indicator(series.shown_observations(dataset))
    for indicator_id, rows in observations.items():
        indicator = indicators[indicator_id]
        unit = dataset.unit_of(indicator_id)
        if indicator["measure"] != "level" or unit["is_share"] or is_missing(unit["minimum"]) or unit["minimum"] < 0:
            continue
        for breakdown in sorted({r["breakdown"] for r in rows}):
            line = [r for r in rows if r["breakdown"] == breakdown]
            for i, row in enumerate(line):
                change = series.change(line, i, "level")
                if change.value is None or not is_missing(row["denominator"]):
                    continue
                before = change.previous
                if (before["source_id"], before["quote"]) == (row["source_id"], row["quote"]):
                    continue  # one sentence of one report gives both: the report compares them itself
                jump = _pace(float(before["value"]), float(row["value"]), before["period"], row["period"])
                if jump is not None:
                    warnings.append(_jump_warning(row, before, jump))
    return warnings


def _pace(before: float, after: float, earlier: str, later: str) -> float | None:
    """The change per half year, as a ratio, where it is a jump (None otherwise)."""
    if before <= 0 or after <= 0:
        return None
    months = max(1, round((periods_mod.parse(later).end - periods_mod.parse(earlier).end).days / 30.44))
    pace = (after / before) ** (6 / months)
    return pace if pace >= JUMP or pace <= 1 / JUMP else None


def _jump_warning(row: dict, before: dict, pace: float) -> Problem:
    change = (float(row["value"]) / float(before["value"]) - 1) * 100
    return Problem(
        row["_file"],
        int(row["_line"]),
        "value",
        f"the figure changes by {change:+.0f}% since {before['period']} ({_num(before['value'])}, "
        f"{before['_file']}:{int(before['_line'])}): did the report change how it counts?",
        _num(row["value"]),
        "if the method or definition changed, record a series break: add the row "
        f"{row['indicator_id']},{row['breakdown']},{row['period']} with note_vi/note_en saying why to "
        "data/reference/series_breaks.csv (no change is then computed across it); if the figures do compare, "
        "say so in this row's note_vi/note_en",
        severity="warning",
        kind="series-jump",
        explained=has_note(row),
    )


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _show(row) -> str:
    if is_missing(row.get("value")):
        return f"{_num(row['low'])}-{_num(row['high'])}"
    return _num(row["value"])
