"""Layer 2: Frictionless's row checks against the Table Schemas, as plain-worded problems."""

from __future__ import annotations

import frictionless

from scoreboard.data import periods as periods_mod
from scoreboard.data.problems import Problem
from scoreboard.data.validate.table import TYPE_HINTS, allow_large_cells, range_text


def frictionless_errors_all(jobs: list[tuple[dict, str]]) -> list[list[dict]]:
    allow_large_cells()  # also in a second process
    return [_frictionless_errors(resource, package_dir) for resource, package_dir in jobs]


def _frictionless_errors(resource: dict, package_dir: str) -> list[dict]:
    """Frictionless's findings for one CSV, as plain dicts (they cross process boundaries)."""
    # Keys are checked in cross_checks: foreign keys across packages, primary keys from the
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


def convert(table, error: dict, fields) -> Problem | None:
    code, column, cell, note = error["type"], error["column"], error["cell"], error["note"]
    row = table.line_of(error["row"])
    if code == "type-error":
        kind = fields[column]["type"]
        return Problem(
            table.rel,
            row,
            column,
            f"the value is not a valid {kind}",
            cell,
            TYPE_HINTS.get(kind, "correct the value"),
            kind="wrong-type",
        )
    if code == "constraint-error":
        constraints = fields[column].get("constraints", {})
        if '"required"' in note:
            return Problem(
                table.rel,
                row,
                column,
                "the cell is empty but required",
                "",
                _where_allowed(column, constraints),
                kind="required",
            )
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
                    periods_mod.hint(cell),
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
                f"it must be {range_text(constraints)}",
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
        return None  # an identical row also repeats the primary key, reported by check_primary_key
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


REFERENCED = {
    "indicator_id": "data/reference/indicators.csv",
    "agency_id": "data/reference/agencies.csv",
    "criterion_id": "data/reference/criteria.csv",
    "source_id": "data/reference/sources.csv",
    "unit": "data/reference/units.csv",
    "period": "data/reference/periods.csv",
}


def _where_allowed(column: str, constraints: dict) -> str:
    """Where the values that may fill an empty required cell are listed."""
    if "enum" in constraints:
        return "fill it in with one of: " + ", ".join(str(v) for v in constraints["enum"])
    if column in REFERENCED:
        return f"fill it in with an id from {REFERENCED[column]}"
    return f"fill it in (see the description of '{column}' in the data dictionary, data/schemas)"
