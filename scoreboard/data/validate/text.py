"""Layer 1, raw text: empty file, not UTF-8, not NFC, header columns, and numbers written
the Vietnamese way ("71,79", "1.418") that a number field would misread or reject."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from scoreboard.data import numbers
from scoreboard.data.problems import Problem
from scoreboard.data.validate.cells import check_cell, code_columns
from scoreboard.data.validate.table import Table, allow_large_cells


def read_text(table: Table, schema: dict, raw: bytes | None = None) -> list[Problem]:
    raw = table.path.read_bytes() if raw is None else raw
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
    allow_large_cells()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        table.header = next(reader)
    except StopIteration:  # pragma: no cover - caught by the empty check
        return problems
    times = Counter(table.header)
    twice = sorted(c for c, n in times.items() if n > 1)
    if twice:
        return [
            Problem(
                table.rel,
                1,
                column or "(blank)",
                f"the column appears {times[column]} times in the header",
                "",
                "keep one column of that name: delete the other one and its cells"
                if column
                else "delete the columns without a name and their cells (a spreadsheet adds them after the last one)",
                kind="duplicate-column",
            )
            for column in twice
        ]
    problems = header_problems(table, expected)
    if any(p.kind != "column-order" for p in problems):
        return problems  # the columns cannot be told apart: nothing more can be read
    # in another order, each cell is still read by its column's name (and the file is not readable)

    fields = {f["name"]: f for f in schema["fields"]}
    codes = code_columns(schema)
    table.record_lines = [1]
    start = 2
    for cells in reader:
        line = start
        start = reader.line_num + 1
        table.record_lines.append(line)
        if not any(c.strip() for c in cells):
            problems.append(Problem(table.rel, line, "", "the line is blank", "", "delete the line", kind="blank-row"))
            continue
        if len(cells) != len(table.header):
            problem, cells = row_shape(table, line, cells, fields)
            problems.append(problem)
            if cells is None:
                continue  # too far off to guess which cell is which
        row = dict(zip(table.header, cells))
        table.rows.append(row)
        table.lines.append(line)
        for column, value in row.items():
            found = check_cell(table, line, column, value, fields[column], column in codes)
            if found:
                problems.append(found)
    table.readable = not problems
    return problems


def row_shape(table: Table, line: int, cells: list[str], fields: dict) -> tuple[Problem, list[str] | None]:
    """One message for a row with the wrong number of cells, naming the cell most likely at
    fault, and the row as it was most likely meant (None when no guess is safe)."""
    header = table.header
    if len(cells) == len(header) + 1:
        for i, column in enumerate(header):
            if (
                fields[column]["type"] in ("number", "integer")
                and re.fullmatch(r"[+-]?\d+", cells[i])
                and re.fullmatch(r"\d+", cells[i + 1])
            ):
                written = f"{cells[i]},{cells[i + 1]}"
                meant = cells[:i] + [f"{cells[i]}.{cells[i + 1]}"] + cells[i + 2 :]
                problem = Problem(
                    table.rel,
                    line,
                    column,
                    "the number is written with a comma decimal and no quotes, which splits it into two cells "
                    "and shifts the rest of the row",
                    written,
                    f"write {cells[i]}.{cells[i + 1]} (dot decimal)",
                    kind="comma-decimal",
                )
                return problem, meant
    if len(cells) == len(header) - 1:
        options = [cells[:k] + [""] + cells[k:] for k in range(len(header))]
        # how well the cells that are there fit where they land; among equals, a required
        # column is the likelier loss (an empty optional cell beside it looks the same)
        scores = [
            (
                sum(_fits(fields[c], v) for j, (c, v) in enumerate(zip(header, row)) if j != k),
                bool(fields[header[k]].get("constraints", {}).get("required")),
            )
            for k, row in enumerate(options)
        ]
        best = scores.index(max(scores))
        problem = Problem(
            table.rel,
            line,
            header[best],
            f"the row has one cell fewer than the header; the cell most likely missing is {header[best]}",
            "",
            "add the missing cell there (an empty cell is two commas in a row: ,,)",
            kind="missing-cell",
        )
        return problem, options[best]
    more = len(cells) > len(header)
    problem = Problem(
        table.rel,
        line,
        "",
        f"the row has {len(cells)} cells but the header has {len(header)} columns",
        "",
        "a comma inside a value needs the value in double quotes; every row needs one cell per column"
        if more
        else "add the missing cells so every row has one cell per column (an empty cell is ,,)",
        kind="extra-cell" if more else "missing-cell",
    )
    return problem, None


def _fits(field: dict, value: str) -> bool:
    """Whether a value could belong in this column: used to guess where a cell went missing."""
    constraints = field.get("constraints", {})
    if value == "":
        return not constraints.get("required")
    kind = field["type"]
    if kind in ("number", "integer"):
        return numbers.is_written_as_number(value)
    if kind == "boolean":
        return value in ("true", "false")
    if kind == "date":
        return re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
    if "enum" in constraints:
        return value in constraints["enum"]
    if "pattern" in constraints:
        return re.fullmatch(constraints["pattern"], value) is not None
    return True


SEPARATORS = {";": "semicolons (;)", "\t": "tabs"}
LISTED = 3  # more missing or unexpected columns than this are named in one message


def header_problems(table: Table, expected: list[str]) -> list[Problem]:
    """What is wrong with the header line, in as few messages as say it: another separator
    than the comma, missing columns, unexpected ones, or the right columns in another order
    (the published datapackage.json gives the order, and tools read columns by position)."""
    header = table.header
    if len(header) == 1 and len(expected) > 1:
        for separator, name in SEPARATORS.items():
            if len(set(header[0].split(separator)) & set(expected)) > 1:
                return [
                    Problem(
                        table.rel,
                        1,
                        "",
                        f"the file uses {name} between cells instead of commas (a spreadsheet's regional setting)",
                        header[0][:60],
                        "save it again as CSV with commas (Excel: 'CSV UTF-8 (Comma delimited)'; LibreOffice: field "
                        "delimiter ,), or edit it in GitHub's web editor",
                        kind="separator",
                    )
                ]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    restore = "add the column back (expected: " + ",".join(expected) + ")"
    problems = []
    if len(missing) > LISTED:
        problems.append(
            Problem(
                table.rel,
                1,
                "",
                f"{len(missing)} columns are missing from the header: {', '.join(missing[:LISTED])}…",
                "",
                "restore the header line: " + ",".join(expected),
                kind="missing-column",
            )
        )
    else:
        problems += [
            Problem(table.rel, 1, c, "a required column is missing from the header", "", restore, kind="missing-column")
            for c in missing
        ]
    if len(extra) > LISTED:
        shown = ", ".join(c or "(blank)" for c in extra[:LISTED])
        problems.append(
            Problem(
                table.rel,
                1,
                "",
                f"{len(extra)} unexpected columns in the header: {shown[:120]}…",
                "",
                "delete them and their cells; the header is " + ",".join(expected),
                kind="extra-column",
            )
        )
    else:
        problems += [
            Problem(
                table.rel,
                1,
                c or "(blank)",
                "unexpected column",
                c,
                "remove it, or propose a schema change in data/schemas first",
                kind="extra-column",
            )
            for c in extra
        ]
    if not problems and header != expected:
        problems.append(
            Problem(
                table.rel,
                1,
                "",
                "the columns are in another order than data/schemas gives (the published package lists them in "
                "that order, and other tools read columns by position)",
                ",".join(header)[:120],
                "move the columns back into this order: " + ",".join(expected),
                kind="column-order",
            )
        )
    return problems
