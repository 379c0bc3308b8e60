"""Reporting-period ids (`YYYY`, `YYYY-H1`, `YYYY-Q3`): parsing, dates and ordering.

A period id names the span a figure describes, never the report that published it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# ASCII digits only ("\d" also takes Arabic-Indic or full-width digits), and the whole text
# ("$" alone would let a trailing line break through): the schemas' pattern is the same.
PERIOD_PATTERN = r"^(19|20)[0-9]{2}(-(H[12]|Q[1-4]))?$"
_PERIOD_RE = re.compile(PERIOD_PATTERN)
FORMS = "YYYY, YYYY-H1, YYYY-H2 or YYYY-Q1..YYYY-Q4"

_SPANS = {  # part -> (first month, last month)
    None: (1, 12),
    "H1": (1, 6),
    "H2": (7, 12),
    "Q1": (1, 3),
    "Q2": (4, 6),
    "Q3": (7, 9),
    "Q4": (10, 12),
}


@dataclass(frozen=True, order=True)
class Period:
    """A parsed period. Sorting is by end date, then by length (longer last)."""

    end: dt.date
    start: dt.date
    id: str

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def part(self) -> str | None:
        return self.id[5:] or None

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def is_period_id(text: str) -> bool:
    return isinstance(text, str) and _PERIOD_RE.fullmatch(text) is not None


def suggestion(text: str) -> str | None:
    """The period id a malformed one most likely means ('2025-h1', '2025H1', ' 2025-H1 ',
    full-width digits -> '2025-H1'), or None when no guess is safe."""
    if not isinstance(text, str):
        return None
    ascii_digits = "".join(str(unicodedata.digit(c)) if unicodedata.digit(c, None) is not None else c for c in text)
    squeezed = re.sub(r"\s+", "", ascii_digits).upper()
    match = re.fullmatch(r"((?:19|20)[0-9]{2})[-_/.]?([HQ][0-9])?", squeezed)
    if not match:
        return None
    guess = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
    return guess if is_period_id(guess) and guess != text else None


def hint(text: str, verb: str = "write") -> str:
    """What to do with a malformed period id: 'write 2025-H1', or the accepted forms."""
    guess = suggestion(text)
    return f"{verb} {guess}" if guess else f"{verb} a period id: {FORMS}, e.g. 2024-H1"


@cache  # a site has a few dozen ids but parses them hundreds of thousands of times
def parse(period_id: str) -> Period:
    """Parse a period id; raises ValueError with a plain explanation if malformed."""
    if not is_period_id(period_id):
        raise ValueError(f"{period_id!r} is not a period id: use YYYY, YYYY-H1, YYYY-H2 or YYYY-Q1 to YYYY-Q4")
    year = int(period_id[:4])
    first, last = _SPANS[period_id[5:] or None]
    start = dt.date(year, first, 1)
    next_month = dt.date(year + (last == 12), last % 12 + 1, 1)
    return Period(end=next_month - dt.timedelta(days=1), start=start, id=period_id)


@cache
def sort_key(period_id: str) -> tuple:
    p = parse(period_id)
    return (p.end, -p.months)


def sorted_ids(period_ids) -> list[str]:
    return sorted(set(period_ids), key=sort_key)


PERIOD_COLUMNS = ("period", "target_period")


def sort_frame(frame, by: list[str], ascending=True):
    """Sort a pandas frame by columns, period columns in time order (not as text)."""
    return frame.sort_values(
        by,
        ascending=ascending,
        kind="stable",
        key=lambda column: column.map(sort_key) if column.name in PERIOD_COLUMNS else column,
    )
