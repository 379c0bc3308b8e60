"""Validate the data packages and explain every problem in plain words.

Three layers, each catching what the one before cannot:

1. Raw text: empty file, not UTF-8, text not in NFC, header columns, and numbers
   written the Vietnamese way ("71,79", "1.418") that a number field would
   misread or reject without saying why.
2. Frictionless, per resource, against the Table Schemas in data/schemas:
   types, required fields, enums, patterns, ranges and primary keys.
3. Across files and packages: every reference (indicator, agency, criterion,
   source, period) from any package, the package's own period, a unit's range,
   target ranges, one shown row per figure, agency validity dates.

When no error remains, the derived checks add warnings (never fixes): sources
that disagree, and reported counts that disagree with a named list.
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import io
import json
import multiprocessing
import os
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import frictionless

from . import layout
from . import periods as periods_mod
from .problems import Problem

COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


@dataclass
class Table:
    """One CSV file read as text, each row kept with the editor line it starts on."""

    resource: str
    path: Path
    rel: str
    header: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    readable: bool = False  # passed the raw-text checks, so Frictionless may read it
    schema: dict = field(default_factory=dict)

    def records(self):
        return zip(self.lines, self.rows)


def validate(root: Path = layout.ROOT, with_warnings: bool = True) -> list[Problem]:
    """Check everything under root/data; return problems sorted by file and line."""
    data = root / "data"
    schemas = data / "schemas"
    problems: list[Problem] = []
    packages: dict[str, dict[str, Table]] = {}

    reference_dir = data / "reference"
    queue: list[tuple[Table, dict, Path]] = []  # files for Frictionless, once their raw text is sound
    packages["reference"] = _check_package(
        root, reference_dir, layout.reference_descriptor(schemas), schemas, problems, queue
    )
    periods_dir = data / "periods"
    period_dirs = sorted(p for p in periods_dir.iterdir() if p.is_dir()) if periods_dir.exists() else []
    for period_dir in period_dirs:
        if not periods_mod.is_period_id(period_dir.name):
            problems.append(
                Problem(
                    _rel(root, period_dir),
                    0,
                    "",
                    "the folder name is not a period id",
                    period_dir.name,
                    "rename it to YYYY, YYYY-H1, YYYY-H2 or YYYY-Q1..YYYY-Q4",
                    kind="malformed-period",
                )
            )
            continue
        descriptor = layout.period_descriptor(period_dir.name, schemas)
        packages[period_dir.name] = _check_package(root, period_dir, descriptor, schemas, problems, queue)

    problems += _frictionless_and_cross_checks(root, packages, queue)
    if with_warnings and not any(p.is_error for p in problems):
        problems += _derived_warnings(root)
    return sorted(set(problems))


# --- layer 1 and 2: one package --------------------------------------------------------------


def _check_package(root, package_dir, descriptor, schemas, problems, queue) -> dict[str, Table]:
    rel_dir = _rel(root, package_dir)
    descriptor_path = package_dir / "datapackage.json"
    if not descriptor_path.exists():
        problems.append(
            Problem(
                f"{rel_dir}/datapackage.json",
                0,
                "",
                "the package has no datapackage.json",
                "",
                "recreate it with `python build_site.py new-period` or copy it from another period",
                kind="missing-descriptor",
            )
        )
    else:
        try:
            on_disk = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            on_disk = None
            problems.append(
                Problem(
                    f"{rel_dir}/datapackage.json",
                    0,
                    "",
                    "the file is not valid JSON",
                    str(exc)[:80],
                    "restore it from the main branch",
                    kind="bad-descriptor",
                )
            )
        if on_disk is not None and on_disk != descriptor:
            problems.append(
                Problem(
                    f"{rel_dir}/datapackage.json",
                    0,
                    "",
                    "the descriptor differs from the schemas in data/schemas",
                    "",
                    "do not edit schemas per package; change data/schemas/*.json and run "
                    "`python build_site.py refresh-descriptors`",
                    kind="descriptor-mismatch",
                )
            )

    tables: dict[str, Table] = {}
    for resource in descriptor["resources"]:
        name = resource["path"][:-4]
        path = package_dir / resource["path"]
        table = Table(name, path, _rel(root, path), schema=resource["schema"])
        tables[name] = table
        if not path.exists():
            problems.append(
                Problem(
                    table.rel,
                    0,
                    "",
                    "the file is missing",
                    "",
                    f"restore {resource['path']} with its header line",
                    kind="missing-file",
                )
            )
            continue
        problems += _read_text(table, resource["schema"])
        if table.readable:
            queue.append((table, resource, package_dir))
    return tables


def _read_text(table: Table, schema: dict) -> list[Problem]:
    raw = table.path.read_bytes()
    expected = [f["name"] for f in schema["fields"]]
    if not raw.strip():
        return [
            Problem(
                table.rel,
                1,
                "",
                "the file is empty",
                "",
                "restore the header line: " + ",".join(expected),
                kind="empty-file",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [
            Problem(
                table.rel,
                line,
                "",
                "the file is not UTF-8 text",
                f"byte 0x{raw[exc.start]:02x}",
                "save it as UTF-8 (in Excel: 'CSV UTF-8'); Windows-1258 and other legacy encodings are not accepted",
                kind="encoding",
            )
        ]

    problems = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        table.header = next(reader)
    except StopIteration:  # pragma: no cover - caught by the empty check
        return problems
    missing = [c for c in expected if c not in table.header]
    extra = [c for c in table.header if c not in expected]
    for column in missing:
        problems.append(
            Problem(
                table.rel,
                1,
                column,
                "a required column is missing from the header",
                "",
                "add the column back (expected: " + ",".join(expected) + ")",
                kind="missing-column",
            )
        )
    for column in extra:
        problems.append(
            Problem(
                table.rel,
                1,
                column or "(blank)",
                "unexpected column",
                column,
                "remove it, or propose a schema change in data/schemas first",
                kind="extra-column",
            )
        )
    if missing or extra:
        return problems

    number_fields = {f["name"] for f in schema["fields"] if f["type"] in ("number", "integer")}
    check_nfc = not unicodedata.is_normalized("NFC", text)  # cell by cell only when needed
    start = 2
    for cells in reader:
        line = start
        start = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue  # blank rows are reported by Frictionless
        row = dict(zip(table.header, cells + [""] * (len(table.header) - len(cells))))
        table.rows.append(row)
        table.lines.append(line)
        for column, value in row.items():
            if check_nfc and value and not unicodedata.is_normalized("NFC", value):
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        column,
                        "the text is not in Unicode NFC form (tone marks stored as separate characters)",
                        value[:60],
                        "retype the text or save from an editor that writes composed (NFC) Unicode",
                        kind="not-nfc",
                    )
                )
            if column in number_fields and value:
                if COMMA_DECIMAL.match(value):
                    problems.append(
                        Problem(
                            table.rel,
                            line,
                            column,
                            "the number uses a comma as decimal mark",
                            value,
                            f"write {value.replace(',', '.')} (dot decimal)",
                            kind="comma-decimal",
                        )
                    )
                elif DOT_THOUSANDS.match(value):
                    problems.append(
                        Problem(
                            table.rel,
                            line,
                            column,
                            "the dot looks like a thousands separator, which would be read as a decimal",
                            value,
                            f"write {value.replace('.', '')} with no separator; if you really "
                            f"mean a decimal, add a trailing zero ({value}0)",
                            kind="dot-thousands",
                        )
                    )
    table.readable = not problems
    return problems


_TYPE_HINTS = {
    "number": "write digits with a dot decimal and no separators, e.g. 71.79 or 1418",
    "integer": "write a whole number with no separators, e.g. 21",
    "boolean": "write true or false",
    "date": "write a date as YYYY-MM-DD, e.g. 2024-06-30",
}


PARALLEL_ROWS = 20_000  # from this many rows, Frictionless runs in a second process


def _frictionless_and_cross_checks(root: Path, packages: dict, queue: list) -> list[Problem]:
    """Frictionless's row checks and the cross-file checks are independent: on large data
    they run side by side on two cores; on small data, one after the other."""
    jobs = [(resource, str(package_dir)) for _, resource, package_dir in queue]
    if sum(len(table.rows) for table, _, _ in queue) >= PARALLEL_ROWS and (os.cpu_count() or 1) > 1:
        # a fork must not copy vl_convert's engine threads, if this process has started them
        context = multiprocessing.get_context("spawn" if "vl_convert" in sys.modules else "fork")
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
            pending = pool.submit(_frictionless_errors_all, jobs)
            problems = _cross_checks(root, packages)
            results = pending.result()
    else:
        problems = _cross_checks(root, packages)
        results = _frictionless_errors_all(jobs)
    for (table, resource, _), errors in zip(queue, results):
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        problems += [p for p in (_convert(table, e, fields) for e in errors) if p]
    return problems


def _frictionless_errors_all(jobs: list[tuple[dict, str]]) -> list[list[dict]]:
    return [_frictionless_errors(resource, package_dir) for resource, package_dir in jobs]


def _frictionless_errors(resource: dict, package_dir: str) -> list[dict]:
    """Frictionless's findings for one CSV, as plain dicts (they cross process boundaries)."""
    # Keys are checked in _cross_checks: foreign keys across packages, primary keys from the
    # rows already read (Frictionless's own key check doubles the time on large files).
    schema = {k: v for k, v in resource["schema"].items() if k not in ("foreignKeys", "primaryKey")}
    res = frictionless.Resource(
        path=resource["path"],
        basepath=package_dir,
        schema=frictionless.Schema.from_descriptor(schema),
        format="csv",
        encoding="utf-8",
    )
    report = res.validate(limit_errors=10_000)
    return [
        {
            "type": error.type,
            "row": getattr(error, "row_number", None) or 0,
            "column": getattr(error, "field_name", "") or "",
            "cell": "" if getattr(error, "cell", None) is None else str(error.cell),
            "note": error.note or "",
            "message": error.message,
        }
        for task in report.tasks
        for error in task.errors
    ]


def _convert(table, error: dict, fields) -> Problem | None:
    code, row, column, cell, note = error["type"], error["row"], error["column"], error["cell"], error["note"]
    if code == "type-error":
        kind = fields[column]["type"]
        return Problem(
            table.rel,
            row,
            column,
            f"the value is not a valid {kind}",
            cell,
            _TYPE_HINTS.get(kind, "correct the value"),
            kind="wrong-type",
        )
    if code == "constraint-error":
        constraints = fields[column].get("constraints", {})
        if '"required"' in note:
            return Problem(table.rel, row, column, "the cell is empty but required", "", "fill it in", kind="required")
        if '"enum"' in note:
            allowed = ", ".join(str(v) for v in constraints.get("enum", []))
            kind = "grade" if column == "grade" else "enum"
            return Problem(
                table.rel,
                row,
                column,
                "the value is not one of the allowed values",
                cell,
                f"use one of: {allowed}",
                kind=kind,
            )
        if '"pattern"' in note:
            if column in ("period", "target_period", "id") and "H[12]" in constraints.get("pattern", ""):
                return Problem(
                    table.rel,
                    row,
                    column,
                    "the period id is malformed",
                    cell,
                    "use YYYY, YYYY-H1, YYYY-H2 or YYYY-Q1..YYYY-Q4, e.g. 2024-H1",
                    kind="malformed-period",
                )
            return Problem(
                table.rel,
                row,
                column,
                "the value does not have the expected form",
                cell,
                f"see the description of '{column}' in data/schemas",
                kind="pattern",
            )
        if '"minimum"' in note or '"maximum"' in note:
            return Problem(
                table.rel,
                row,
                column,
                "the value is out of range",
                cell,
                f"it must be {_range_text(constraints)}",
                kind="out-of-range",
            )
        if '"unique"' in note:
            return Problem(
                table.rel,
                row,
                column,
                "the value appears more than once",
                cell,
                "each value in this column must be unique",
                kind="duplicate-key",
            )
        return Problem(table.rel, row, column, "the value breaks a rule of the schema", cell, note, kind="constraint")
    if code == "duplicate-row":
        return None  # an identical row also repeats the primary key, reported by _check_primary_key
    if code == "blank-row":
        return Problem(table.rel, row, "", "the row is empty", "", "delete the empty line", kind="blank-row")
    if code == "missing-cell":
        return Problem(
            table.rel,
            row,
            column,
            "the row has fewer cells than the header",
            "",
            "add the missing commas so every row has one cell per column",
            kind="missing-cell",
        )
    if code == "extra-cell":
        return Problem(
            table.rel,
            row,
            column or "(extra)",
            "the row has more cells than the header",
            cell,
            "a comma inside a value needs the value in double quotes",
            kind="extra-cell",
        )
    return Problem(table.rel, row, column, error["message"], cell, "", kind=code)


def _range_text(constraints: dict) -> str:
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


# --- layer 3: across files and packages ----------------------------------------------------


def _cross_checks(root: Path, packages: dict[str, dict[str, Table]]) -> list[Problem]:
    problems: list[Problem] = []
    ref = packages["reference"]
    ids = {name: {r.get("id", "") for r in ref[name].rows} for name in layout.REFERENCE_RESOURCES if name != "targets"}
    units = {r["id"]: r for r in ref["units"].rows}
    indicator_unit = {r["id"]: r.get("unit", "") for r in ref["indicators"].rows}
    agencies = {r["id"]: r for r in ref["agencies"].rows}

    def check_ref(table: Table, column: str, target: str, label: str, where: str):
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
                        f"use an id from {where}, or add it there first",
                        kind=f"unknown-{label.replace(' ', '-')}",
                    )
                )

    check_ref(ref["indicators"], "unit", "units", "unit", "data/reference/units.csv")
    check_ref(ref["criteria"], "indicator_id", "indicators", "indicator", "data/reference/indicators.csv")
    for column in ("predecessor_id", "successor_id"):
        check_ref(ref["agency_successions"], column, "agencies", "agency", "data/reference/agencies.csv")
    check_ref(ref["agency_successions"], "source_id", "sources", "source", "data/reference/sources.csv")
    problems += _check_successions(
        ref["agency_successions"], ref["agencies"], {r["id"]: r for r in ref["sources"].rows}
    )
    problems += _check_sources(ref["sources"])
    check_ref(ref["targets"], "indicator_id", "indicators", "indicator", "data/reference/indicators.csv")
    check_ref(ref["targets"], "source_id", "sources", "source", "data/reference/sources.csv")
    for tables in packages.values():
        for table in tables.values():
            problems += _check_primary_key(table)
    problems += _check_periods_table(root, ref["periods"], [k for k in packages if k != "reference"])
    problems += _check_targets(ref["targets"], units, indicator_unit)

    for period_id, tables in packages.items():
        if period_id == "reference":
            continue
        for name, table in tables.items():
            for line, row in table.records():
                if row.get("period") and row["period"] != period_id:
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
        if period_id not in ids["periods"]:
            problems.append(
                Problem(
                    _rel(root, tables["observations"].path.parent),
                    0,
                    "",
                    "the period has a folder but no row in data/reference/periods.csv",
                    period_id,
                    "add the row (id,start,end) or use `python build_site.py new-period`",
                    kind="unknown-period",
                )
            )
        problems += _check_observations(obs, units, indicator_unit)
        problems += _check_shown(obs, ("indicator_id", "period", "breakdown"), "figure")
        problems += _check_validity(tables["agency_checks"], agencies, period_id)
        problems += _check_validity(tables["agency_grades"], agencies, period_id)
        problems += _check_grade_totals(tables["grade_distribution"])
    return problems


def _check_primary_key(table: Table) -> list[Problem]:
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


def _check_periods_table(root, table: Table, folders: list[str]) -> list[Problem]:
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


def _number(text: str):
    try:
        return float(text) if text not in ("", None) else None
    except ValueError:
        return None


def _check_range(table, line, column, value, unit):
    if value is None or unit is None:
        return []
    low, high = _number(unit.get("minimum", "")), _number(unit.get("maximum", ""))
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = {"minimum": low, "maximum": high}
        bounds = {k: (int(v) if v is not None and v.is_integer() else v) for k, v in bounds.items() if v is not None}
        what = "a percentage" if unit.get("is_share") == "true" else f"a value in {unit['id']}"
        return [
            Problem(
                table.rel,
                line,
                column,
                f"{what} must be {_range_text(bounds)}",
                _fmt(value),
                "check the figure against the report (a x1000 or x100 slip?)",
                kind="out-of-range",
            )
        ]
    return []


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _check_observations(table: Table, units, indicator_unit) -> list[Problem]:
    problems = []
    for line, row in table.records():
        unit = units.get(indicator_unit.get(row.get("indicator_id", ""), ""))
        problems += _check_range(table, line, "value", _number(row.get("value", "")), unit)
        numerator, denominator = _number(row.get("numerator", "")), _number(row.get("denominator", ""))
        if numerator is not None and denominator is not None and numerator > denominator:
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "numerator",
                    "the numerator is larger than the denominator",
                    f"{_fmt(numerator)}/{_fmt(denominator)}",
                    "check the x/y figure against the report",
                    kind="numerator-above-denominator",
                )
            )
    return problems


def _check_targets(table: Table, units, indicator_unit) -> list[Problem]:
    problems = []
    for line, row in table.records():
        value, low, high = (_number(row.get(c, "")) for c in ("value", "low", "high"))
        unit = units.get(indicator_unit.get(row.get("indicator_id", ""), ""))
        for column, number in (("value", value), ("low", low), ("high", high)):
            problems += _check_range(table, line, column, number, unit)
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
                    f"{_fmt(low)} > {_fmt(high)}",
                    "swap low and high",
                    kind="target-low-above-high",
                )
            )
    problems += _check_shown(table, ("indicator_id", "target_period", "breakdown"), "target")
    return problems


def _check_shown(table: Table, key: tuple, what: str) -> list[Problem]:
    groups: dict[tuple, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in table.records():
        groups[tuple(row.get(k, "") for k in key)].append((line, row))
    problems = []
    for group, rows in groups.items():
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


def _check_validity(table: Table, agencies, period_id) -> list[Problem]:
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


def _check_grade_totals(table: Table) -> list[Problem]:
    by_group: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for line, row in table.records():
        by_group[row.get("agency_group", "")].append((line, row))
    problems = []
    for group, rows in by_group.items():
        totals = {row.get("total") for _, row in rows}
        counts = [_number(row.get("count", "")) or 0 for _, row in rows]
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
        elif totals and _number(next(iter(totals))) != sum(counts):
            problems.append(
                Problem(
                    table.rel,
                    rows[0][0],
                    "count",
                    f"the grade counts for {group} add up to {_fmt(sum(counts))}, not the total",
                    next(iter(totals)),
                    "check the counts against the report",
                    severity="warning",
                    kind="grade-total",
                )
            )
    return problems


def _derived_warnings(root: Path) -> list[Problem]:
    from . import derive, model  # the model needs valid data; import late to keep layers apart

    dataset = model.load(root)
    return derive.data_quality_warnings(dataset)


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# --- the agencies' history -------------------------------------------------------------------


def _check_successions(table: Table, agency_table: Table, sources: dict) -> list[Problem]:
    """Who succeeded whom agrees with the agencies' dates; every ended agency says who took over.

    A merger or change of status ends the predecessor the day before the successor begins;
    a transfer of some functions ends nothing.
    """
    problems = []
    taken_over = set()
    agencies = {row.get("id", ""): row for row in agency_table.rows}
    where = agency_table.rel
    for line, row in table.records():
        before, after = agencies.get(row.get("predecessor_id", "")), agencies.get(row.get("successor_id", ""))
        date, change = row.get("date", ""), row.get("change", "")
        if not before or not after or not _is_iso_date(date):
            continue  # unknown ids and bad dates have their own messages
        if before["id"] == after["id"]:
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "successor_id",
                    "an agency cannot succeed itself",
                    after["id"],
                    "name the agency that took over",
                    kind="succession",
                )
            )
            continue
        if change in ("merged_into", "became"):
            taken_over.add(before["id"])
            if before.get("valid_to") != _day_before(date):
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        "date",
                        f"{before['id']} must end the day before the change: its valid_to in {where} is "
                        f"'{before.get('valid_to', '')}'",
                        date,
                        f"set valid_to of {before['id']} to {_day_before(date)} in {where}, or correct the date",
                        kind="succession",
                    )
                )
            if after.get("valid_from") != date:
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        "date",
                        f"{after['id']} must begin on the day of the change: its valid_from in {where} is "
                        f"'{after.get('valid_from', '')}'",
                        date,
                        f"set valid_from of {after['id']} to {date} in {where}, or correct the date",
                        kind="succession",
                    )
                )
        source = sources.get(row.get("source_id", ""))
        if source and source.get("kind") != "legal_document":
            problems.append(
                Problem(
                    table.rel,
                    line,
                    "source_id",
                    "a change of agencies must cite the legal document that made it",
                    row["source_id"],
                    "add the document to data/reference/sources.csv with kind legal_document",
                    kind="succession",
                )
            )
    for line, agency in agency_table.records():
        if agency.get("valid_to") and agency["id"] not in taken_over:
            problems.append(
                Problem(
                    where,
                    line,
                    "valid_to",
                    f"{agency['id']} ends but no row of data/reference/agency_successions.csv says who took over",
                    agency["valid_to"],
                    "add a row (predecessor_id, successor_id, change merged_into or became, date, source_id)",
                    kind="succession",
                )
            )
    return problems


def _check_sources(table: Table) -> list[Problem]:
    """A report is kept in the archive (seed_file); a legal document is cited by its number."""
    problems = []
    needs = {
        "report": ("seed_file", "the report's file name in the archive of reports"),
        "legal_document": ("document_number", "the document's official number, e.g. 202/2025/QH15"),
    }
    for line, row in table.records():
        column, what = needs.get(row.get("kind", ""), ("", ""))
        if column and not row.get(column, "").strip():
            problems.append(
                Problem(
                    table.rel,
                    line,
                    column,
                    f"a source of kind {row['kind']} needs {column}",
                    "",
                    f"write {what}",
                    kind="source",
                )
            )
    return problems


def _day_before(iso: str) -> str:
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True
