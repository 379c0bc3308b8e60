"""Every figure appears in its own quotation, as a Vietnamese report writes numbers. The one
rule for this: the validator applies it to every row, tests/test_sources.py to the reports."""

from __future__ import annotations

import re

from scoreboard.data import numbers
from scoreboard.data.problems import Problem
from scoreboard.data.text import number_text
from scoreboard.data.validate.table import Table

FIGURE_COLUMNS = {
    "observations": ("value", "numerator", "denominator"),
    "targets": ("value", "low", "high"),
    "grade_distribution": ("count",),
}


def normalise(text: str) -> str:
    """Quotation text as compared: Markdown bold and runs of spaces (incl. no-break) ignored."""
    return re.sub(r"\s+", " ", text.replace("**", "").replace("\u00a0", " ")).strip()


def vi_forms(x: str) -> set[str]:
    """How a CSV number can be written in a Vietnamese report: 1928311 -> 1.928.311 or
    1928311, 71.79 -> 71,79, 2 -> 02, 4400 -> 4,4 (nghìn)."""
    value = float(x)
    forms = set()
    whole, _, frac = x.lstrip("+").partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = sign + number_text(int(whole.lstrip("-") or 0), "vi")
    forms.add(grouped + ("," + frac if frac else ""))
    forms.add(whole + ("," + frac if frac else ""))
    if value.is_integer() and 0 <= value < 100:
        forms.add(f"{int(value):02d}")
    if value >= 1000 and value % 100 == 0:  # "4,4 nghìn" for 4400
        forms.add(f"{value / 1000:g}".replace(".", ","))
    return forms


def in_quote(x: str, quote: str) -> bool:
    return any(form in quote for form in vi_forms(x))


def _checkable(x: str) -> bool:
    """A plain decimal (no exponent) as the report would write it."""
    return bool(re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", x)) and numbers.parse(x) is not None


def check_quotes(table: Table) -> list[Problem]:
    problems = []
    for line, row in table.records():
        quote = normalise(row.get("quote", ""))
        if not quote:
            continue  # nothing to check against
        for column in FIGURE_COLUMNS.get(table.resource, ()):
            x = row.get(column, "")
            if not _checkable(x) or (column == "count" and float(x) == 0):  # "no A or B" is in words
                continue
            if not in_quote(x, quote):
                found = re.findall(r"\d+(?:[.,/]\d+)*", quote)
                given = ", ".join(dict.fromkeys(found)) if found else "no number"
                problems.append(
                    Problem(
                        table.rel,
                        line,
                        column,
                        f"the figure does not appear in its quotation, which gives {given[:80]}",
                        f"{x}, written {' or '.join(sorted(vi_forms(x)))}",
                        "fix the value, or change the quote too, so that the quotation is the report's "
                        "sentence with this number in it",
                        kind="not-in-quote",
                    )
                )
    return problems
