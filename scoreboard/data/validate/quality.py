"""Layer 3, rules on values: unit ranges, x/y, targets, one shown row per figure, grade
totals."""

from __future__ import annotations

import re
from collections import defaultdict

from scoreboard.data import periods as periods_mod
from scoreboard.data.problems import Problem
from scoreboard.data.validate.quotes import check_quotes
from scoreboard.data.validate.table import Table, fmt, number, range_text


def quality_checks(packages: dict[str, dict[str, Table]]) -> list[Problem]:
    """The value rules of every package, once the raw text of its files is read."""
    ref = packages["reference"]
    units = {r["id"]: r for r in ref["units"].rows}
    indicator_unit = {r["id"]: r.get("unit", "") for r in ref["indicators"].rows}
    problems = check_targets(ref["targets"], units, indicator_unit)
    problems += check_target_dates(ref["targets"], {r.get("id", ""): r for r in ref["sources"].rows})
    problems += check_quotes(ref["targets"])
    for period_id, tables in packages.items():
        if period_id == "reference":
            continue
        obs = tables["observations"]
        problems += check_observations(obs, units, indicator_unit)
        problems += check_shown(obs, ("indicator_id", "period", "breakdown"), "figure")
        problems += check_grade_totals(tables["grade_distribution"])
        problems += check_quotes(obs) + check_quotes(tables["grade_distribution"])
    return problems


def check_range(table, line, column, value, unit):
    if value is None or unit is None:
        return []
    low, high = number(unit.get("minimum", "")), number(unit.get("maximum", ""))
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = {"minimum": low, "maximum": high}
        bounds = {k: (int(v) if v is not None and v.is_integer() else v) for k, v in bounds.items() if v is not None}
        what = "a percentage" if unit.get("is_share") == "true" else f"a value in {unit['id']}"
        return [
            Problem(
                table.rel,
                line,
                column,
                f"{what} must be {range_text(bounds)}",
                fmt(value),
                "check the figure against the report (a x1000 or x100 slip?)",
                kind="out-of-range",
            )
        ]
    return []


def check_observations(table: Table, units, indicator_unit) -> list[Problem]:
    problems = []
    for line, row in table.records():
        unit = units.get(indicator_unit.get(row.get("indicator_id", ""), ""))
        problems += check_range(table, line, "value", number(row.get("value", "")), unit)
        numerator, denominator = number(row.get("numerator", "")), number(row.get("denominator", ""))
        if numerator is not None and denominator is not None and numerator > denominator:
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "numerator",
                    "the numerator is larger than the denominator",
                    f"{fmt(numerator)}/{fmt(denominator)}",
                    "check the x/y figure against the report",
                    kind="numerator-above-denominator",
                )
            )
    return problems


def check_targets(table: Table, units, indicator_unit) -> list[Problem]:
    problems = []
    for line, row in table.records():
        value, low, high = (number(row.get(c, "")) for c in ("value", "low", "high"))
        unit = units.get(indicator_unit.get(row.get("indicator_id", ""), ""))
        for column, figure in (("value", value), ("low", low), ("high", high)):
            problems += check_range(table, line, column, figure, unit)
        if value is None and (low is None or high is None):
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "value",
                    "the target has no value and no complete range",
                    "",
                    "fill in value, or both low and high for a range like 65-70%",
                    kind="target-incomplete",
                )
            )
        elif value is not None and (low is not None or high is not None):
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "value",
                    "the target has both a value and a range",
                    "",
                    "keep either value, or low and high",
                    kind="target-incomplete",
                )
            )
        elif low is not None and high is not None and low > high:
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "low",
                    "the low end of the range is above the high end",
                    f"{fmt(low)} > {fmt(high)}",
                    "swap low and high",
                    kind="target-low-above-high",
                )
            )
    problems += check_shown(table, ("indicator_id", "target_period", "breakdown"), "target")
    return problems


def check_shown(table: Table, key: tuple, what: str) -> list[Problem]:
    groups: dict[tuple, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in table.records():
        groups[tuple(row.get(k, "") for k in key)].append((line, row))
    problems = []
    for group, rows in groups.items():
        if any(row.get("shown") not in ("true", "false", "") for _, row in rows):
            continue  # a misspelt true/false is reported by the raw-text layer
        shown = [line for line, row in rows if row.get("shown") == "true"]
        label = ", ".join(group)
        if len(shown) != 1:
            line = shown[0] if shown else rows[0][0]
            message = (
                f"{len(shown)} rows of this {what} are marked shown (lines {', '.join(map(str, shown))})"
                if shown
                else f"no row of this {what} is marked shown"
            )
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "shown",
                    message,
                    label,
                    "set shown=true on exactly one row, the one the site should show",
                    kind="shown",
                )
            )
    return problems


def check_grade_totals(table: Table) -> list[Problem]:
    by_group: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in table.records():
        by_group[row.get("agency_group", "")].append((line, row))
    problems = []
    for group, rows in by_group.items():
        totals = {row.get("total") for _, row in rows}
        counts = [number(row.get("count", "")) or 0 for _, row in rows]
        if len(totals) > 1:
            problems.append(
                Problem(
                    table.rel,
                    rows[0][0],
                    "total",
                    f"the rows for {group} give different totals",
                    "/".join(sorted(t or "" for t in totals)),
                    "use one total per group",
                    kind="grade-total",
                )
            )
        elif totals and number(next(iter(totals))) != sum(counts):
            problems.append(
                Problem(
                    table.rel,
                    rows[0][0],
                    "count",
                    f"the grade counts for {group} add up to {fmt(sum(counts))}, not the total",
                    next(iter(totals)),
                    "check the counts against the report",
                    severity="warning",
                    kind="grade-total",
                )
            )
    return problems


def check_target_dates(table: Table, sources: dict) -> list[Problem]:
    """A target whose deadline ends before its source was published: set after its own
    deadline? (A wrong target_period or source_id; or a report recalling an old target, which
    the row's note then says.)"""
    problems = []
    for line, row in table.records():
        date, period = sources.get(row.get("source_id", ""), {}).get("date", ""), row.get("target_period", "")
        if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", date) or not periods_mod.is_period_id(period):
            continue  # no date to compare (or a malformed one, reported elsewhere)
        deadline = periods_mod.parse(period).end.isoformat()
        if deadline < date:  # "2024-07" is later than any day of June 2024 and earlier than July's
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "target_period",
                    f"the deadline (the end of {period}, {deadline}) is before its source's date ({date}): a target "
                    "set after its own deadline?",
                    period,
                    "check target_period and source_id against the report; if the report recalls an earlier target, "
                    "keep it and say so in note_vi/note_en",
                    severity="warning",
                    kind="target-after-deadline",
                    explained=bool(row.get("note_vi", "").strip() or row.get("note_en", "").strip()),
                )
            )
    return problems
