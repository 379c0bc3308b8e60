"""One CSV file as read by the raw-text layer, and small helpers the layers share."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from scoreboard.data import numbers

TYPE_HINTS = {
    "number": "write digits with a dot decimal and no separators, e.g. 71.79 or 1418",
    "integer": "write a whole number with no separators, e.g. 21",
    "boolean": "write true or false",
    "date": "write a date as YYYY-MM-DD, e.g. 2024-06-30",
}


@dataclass
class Table:
    """One CSV file read as text, each row kept with the editor line it starts on."""

    resource: str
    path: Path
    rel: str
    header: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    record_lines: list[int] = field(default_factory=list)  # the line each CSV record starts on
    readable: bool = False  # passed the raw-text checks, so Frictionless may read it
    schema: dict = field(default_factory=dict)
    digest: str = ""  # sha256 of the bytes the raw-text layer read (the validation cache's key)

    def records(self):
        return zip(self.lines, self.rows)

    def line_of(self, record: int) -> int:
        """The editor line of a record number as Frictionless counts (header = 1), which
        differs from the line once a quoted cell spans several lines."""
        return self.record_lines[record - 1] if 0 < record <= len(self.record_lines) else record


def allow_large_cells() -> None:
    """Read a cell of any size (the csv module refuses cells over 131,072 characters)."""
    csv.field_size_limit(2**31 - 1)


def rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def number(text: str):
    """A cell's number by the project's one rule (data/numbers.py), None if it holds none."""
    return numbers.parse(text)


def fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def range_text(constraints: dict) -> str:
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"
