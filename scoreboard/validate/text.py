"""Layer 1, raw text: empty file, not UTF-8, not NFC, header columns, and numbers written
the Vietnamese way ("71,79", "1.418") that a number field would misread or reject."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from ..problems import Problem
from .table import Table

COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def read_text(table: Table, schema: dict) -> list[Problem]:
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
