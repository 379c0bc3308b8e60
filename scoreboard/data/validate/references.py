"""Layer 3, references across files and packages: ids, the package's own period, primary
keys, the periods table against the folders, and agencies' validity dates."""

from __future__ import annotations

import difflib
from pathlib import Path

from scoreboard.data import layout
from scoreboard.data import periods as periods_mod
from scoreboard.data.problems import Problem
from scoreboard.data.validate.successions import check_sources, check_successions
from scoreboard.data.validate.table import Table, rel


def reference_checks(root: Path, packages: dict[str, dict[str, Table]]) -> list[Problem]:
    problems: list[Problem] = []
    ref = packages["reference"]
    ids = {name: {r.get("id", "") for r in ref[name].rows} for name in layout.REFERENCE_RESOURCES if name != "targets"}
    agencies = {r["id"]: r for r in ref["agencies"].rows}

    unchecked: dict[str, int] = {}  # a reference file that cannot be read -> references not checked

    def check_ref(table: Table, column: str, target: str, label: str, where: str):
        if not read_through(ref[target]):  # its own error says why; one line for the rest
            unchecked[target] = unchecked.get(target, 0) + sum(bool(row.get(column)) for row in table.rows)
            return
        for line, row in table.records():
            value = row.get(column, "")
            if value and value not in ids[target]:
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        column,
                        f"unknown {label}",
                        value,
                        _did_you_mean(value, ids[target]) + f"use an id from {where}, or add it there first",
                        kind=f"unknown-{label.replace(' ', '-')}",
                    )
                )

    check_ref(ref["indicators"], "unit", "units", "unit", "data/reference/units.csv")
    check_ref(ref["criteria"], "indicator_id", "indicators", "indicator", "data/reference/indicators.csv")
    for column in ("predecessor_id", "successor_id"):
        check_ref(ref["agency_successions"], column, "agencies", "agency", "data/reference/agencies.csv")
    check_ref(ref["agency_successions"], "source_id", "sources", "source", "data/reference/sources.csv")
    problems += check_successions(ref["agency_successions"], ref["agencies"], {r["id"]: r for r in ref["sources"].rows})
    problems += check_sources(ref["sources"])
    check_ref(ref["targets"], "indicator_id", "indicators", "indicator", "data/reference/indicators.csv")
    check_ref(ref["series_breaks"], "indicator_id", "indicators", "indicator", "data/reference/indicators.csv")
    problems += check_series_breaks(ref["series_breaks"], packages)
    check_ref(ref["targets"], "source_id", "sources", "source", "data/reference/sources.csv")
    for tables in packages.values():
        for table in tables.values():
            problems += check_primary_key(table)
    problems += check_periods_table(root, ref["periods"], [k for k in packages if k != "reference"])

    for period_id, tables in packages.items():
        if period_id == "reference":
            continue
        for name, table in tables.items():
            for line, row in table.records():
                # a malformed id (2025-h1) has its own message, which names the right id
                if periods_mod.is_period_id(row.get("period")) and row["period"] != period_id:
                    problems.append(
                        Problem(
                            table.rel,
                            line,
                            "period",
                            f"the row is in the package for {period_id} but names another period",
                            row["period"],
                            f"move the row to data/periods/{row['period']}/{name}.csv or write {period_id}",
                            kind="unknown-period",
                        )
                    )
            check_ref(table, "source_id", "sources", "source", "data/reference/sources.csv")
        obs = tables["observations"]
        check_ref(obs, "indicator_id", "indicators", "indicator", "data/reference/indicators.csv")
        check_ref(tables["agency_checks"], "agency_id", "agencies", "agency", "data/reference/agencies.csv")
        check_ref(tables["agency_checks"], "criterion_id", "criteria", "criterion", "data/reference/criteria.csv")
        check_ref(tables["agency_grades"], "agency_id", "agencies", "agency", "data/reference/agencies.csv")
        if not read_through(ref["periods"]):
            unchecked["periods"] = unchecked.get("periods", 0) + 1
        elif period_id not in ids["periods"]:
            problems.append(
                Problem(
                    rel(root, tables["observations"].path.parent),
                    0,
                    "",
                    "the period has a folder but no row in data/reference/periods.csv",
                    period_id,
                    "add the row (id,start,end) or use `python build_site.py new-period`",
                    kind="unknown-period",
                )
            )
        problems += check_validity(tables["agency_checks"], agencies, period_id)
        problems += check_validity(tables["agency_grades"], agencies, period_id)
    for target, count in unchecked.items():
        if count:
            problems.append(
                Problem(
                    ref[target].rel,
                    0,
                    "",
                    f"{count} {'reference' if count == 1 else 'references'} to this file from other files "
                    "cannot be checked until it can be read",
                    "",
                    "fix this file's own error first; then validate again",
                    kind="unchecked-references",
                )
            )
    return problems


def read_through(table: Table) -> bool:
    """Whether the raw-text layer read the file's rows (it exists, is UTF-8, its header is
    right), so that ids can be looked up in it."""
    return bool(table.record_lines)


def check_primary_key(table: Table) -> list[Problem]:
    if not table.readable:
        return []
    key = table.schema.get("primaryKey", [])
    seen: dict[tuple, int] = {}
    problems = []
    for line, row in table.records():
        value = tuple(row.get(k, "") for k in key)
        if value in seen:
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "+".join(key),
                    f"duplicate key: another row has the same {', '.join(key)} (first at line {seen[value]})",
                    ", ".join(value),
                    "keep one row per key: merge or delete the duplicate",
                    kind="duplicate-key",
                )
            )
        else:
            seen[value] = line
    return problems


def check_periods_table(root, table: Table, folders: list[str]) -> list[Problem]:
    problems = []
    for line, row in table.records():
        pid = row.get("id", "")
        if not periods_mod.is_period_id(pid):
            continue  # reported by the schema's pattern
        period = periods_mod.parse(pid)
        for column, expected in (("start", period.start), ("end", period.end)):
            if row.get(column) and row[column] != expected.isoformat():
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        column,
                        f"the date does not match period {pid}",
                        row[column],
                        f"write {expected.isoformat()}",
                        kind="period-dates",
                    )
                )
        if pid not in folders:
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "id",
                    "the period has no package folder",
                    pid,
                    f"create data/periods/{pid} with `python build_site.py new-period {pid}`",
                    kind="missing-period-package",
                )
            )
    return problems


def check_validity(table: Table, agencies, period_id) -> list[Problem]:
    """A period's checks and grades name agencies as they were at the period's end."""
    if not periods_mod.is_period_id(period_id):
        return []
    end = periods_mod.parse(period_id).end.isoformat()
    problems = []
    for line, row in table.records():
        agency = agencies.get(row.get("agency_id", ""))
        if not agency:
            continue
        if (agency.get("valid_to") and agency["valid_to"] < end) or (
            agency.get("valid_from") and agency["valid_from"] > end
        ):
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "agency_id",
                    f"the agency did not exist at the end of period {period_id} ({end})",
                    row["agency_id"],
                    "use the agency valid on that day (see valid_from/valid_to in data/reference/agencies.csv"
                    " and who succeeded whom in data/reference/agency_successions.csv)",
                    kind="agency-not-valid",
                )
            )
    return problems


def check_series_breaks(table: Table, packages: dict[str, dict[str, Table]]) -> list[Problem]:
    """A series breaks at a figure: the break's period must hold a shown figure of that
    indicator and breakdown, the first of the new series."""
    shown, unread = set(), set()
    for period_id, tables in packages.items():
        if period_id != "reference" and "observations" in tables:
            if not read_through(tables["observations"]):
                unread.add(period_id)  # its own error is reported; nothing to check against
            for row in tables["observations"].rows:
                if row.get("shown", "").strip().lower() == "true":
                    shown.add((row.get("indicator_id", ""), row.get("breakdown", ""), row.get("period", "")))
    problems = []
    for line, row in table.records():
        key = (row.get("indicator_id", ""), row.get("breakdown", ""), row.get("period", ""))
        if all(key) and key not in shown and key[2] not in unread:
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "period",
                    f"no shown figure of {key[0]} ({key[1]}) in this period starts the new series",
                    key[2],
                    "write the period of the first figure that is not comparable with the ones before it",
                    kind="series-break",
                )
            )
    return problems


def _did_you_mean(value: str, known: set[str]) -> str:
    """'did you mean fibre-households? ' for a near miss (a typo, a dropped letter)."""
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.8)
    return f"did you mean {close[0]}? Otherwise " if close else ""
