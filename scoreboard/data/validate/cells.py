"""Layer 1, one cell at a time: characters no editor shows, Vietnamese-style and non-finite
numbers, yes/no spellings, and text a spreadsheet would run as a formula."""

from __future__ import annotations

import math
import re
import unicodedata

from scoreboard.data import numbers
from scoreboard.data.problems import Problem
from scoreboard.data.validate.table import TYPE_HINTS, Table

COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BACKSPACE", 9: "TAB", 10: "LINE FEED", 13: "CARRIAGE RETURN", 27: "ESC"}
CONTROL_NAMES[127] = "DEL"
ONE_LINE = ("name_", "short_name_", "title_")  # columns shown as headings and labels


def code_columns(schema: dict) -> set[str]:
    """Columns holding ids and codes (a pattern, a list of values, or a reference): no
    spaces around them and no invisible character inside."""
    return {
        f["name"]
        for f in schema["fields"]
        if f["type"] == "string"
        and (
            {"pattern", "enum"} & set(f.get("constraints", {}))
            or f["name"] == "id"
            or f["name"].endswith("_id")
            or f["name"] == "seed_file"
        )
    }


def char_name(char: str) -> str:
    """U+0007 (BEL): how a message names a character nobody can see."""
    name = CONTROL_NAMES.get(ord(char)) or unicodedata.name(char, "") or unicodedata.category(char)
    return f"U+{ord(char):04X} ({name})"


def _bad_char(value: str, is_code: bool) -> str | None:
    if value.isascii() and value.isprintable():  # most cells: the only suspect is a space in an id
        return " " if is_code and " " in value else None
    for char in value:
        category = unicodedata.category(char)
        if category in ("Cs", "Cf", "Zl", "Zp", "Co") or (category == "Cc" and (is_code or char not in "\t\n\r")):
            return char
        if is_code and category.startswith("Z"):
            return char
    return None


def _is_number(value: str) -> bool:
    return numbers.parse(value) is not None


def check_cell(table: Table, line: int, column: str, value: str, field: dict, is_code: bool) -> Problem | None:
    """The first problem of one cell, if any (one message per cell)."""

    def problem(message: str, shown: str, hint: str, kind: str) -> Problem:
        return Problem(table.rel, line, column, message, shown, hint, kind=kind)

    if is_code and value != value.strip():
        return problem(
            "the id has a space or line break before or after it",
            value,
            f"write {value.strip()} with nothing around it",
            kind="id-whitespace",
        )
    bad = _bad_char(value, is_code)
    if bad is not None:
        where = "an id" if is_code else "the text"
        return problem(
            f"{where} contains an invisible or control character, {char_name(bad)}",
            value[:60],
            "delete the character (retype the cell if your editor does not show it)",
            kind="control-character",
        )
    if column.startswith(ONE_LINE) and ("\n" in value or "\r" in value):
        return problem(
            "a name or title is one line, but the cell has a line break (it would split a heading)",
            value[:60],
            "join the lines with a space",
            kind="line-break",
        )
    if not unicodedata.is_normalized("NFC", value):
        return problem(
            "the text is not in Unicode NFC form (tone marks stored as separate characters)",
            value[:60],
            "retype the text or save from an editor that writes composed (NFC) Unicode",
            kind="not-nfc",
        )
    kind = field["type"]
    if kind in ("number", "integer") and value:
        if COMMA_DECIMAL.match(value):
            return problem(
                "the number uses a comma as decimal mark",
                value,
                f"write {value.replace(',', '.')} (dot decimal)",
                kind="comma-decimal",
            )
        if DOT_THOUSANDS.match(value):
            return problem(
                "the dot looks like a thousands separator, which would be read as a decimal",
                value,
                f"write {value.replace('.', '')} with no separator; if you really mean a decimal, add a trailing zero ({value}0)",
                kind="dot-thousands",
            )
        try:
            finite = math.isfinite(float(value))
        except ValueError:
            finite = True  # not a number at all: Frictionless names the type
        if not finite:
            return problem(
                "the number is not finite (NaN, infinity or too large)",
                value,
                "write the figure from the report in digits, or leave the cell empty if the report gives none",
                kind="not-finite",
            )
        if not numbers.is_written_as_number(value, integer=kind == "integer"):
            return problem(
                f"the value is not a valid {kind}: the site would show it as empty",
                value,
                TYPE_HINTS[kind] + " (no spaces, underscores, letters or other marks)",
                kind="wrong-type",
            )
    if kind == "boolean" and value not in ("", "true", "false"):
        return problem(
            "a yes/no column takes only true or false, in lower case",
            value,
            "write true or false",
            kind="boolean",
        )
    if kind == "string" and not is_code and value.startswith(FORMULA_START) and not _is_number(value):
        return problem(
            "the text starts with a character that spreadsheets run as a formula (= + - @, tab or return)",
            value[:60],
            "start the text with a word or a digit: drop the leading character, or quote from later in the sentence",
            kind="formula",
        )
    return None
