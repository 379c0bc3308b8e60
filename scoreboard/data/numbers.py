"""How a number is written in a CSV cell: the one rule that validation checks and the model
reads by (model._typed), so that a cell that passes validation is never read as empty.

A number is ASCII digits with an optional sign, one dot as the decimal mark and an optional
exponent: 71.79, 1418, -2.5, 1e3. Python's float() also takes "8_2", " 82 ", "８２" or "١٢",
which pandas does not read: those are not numbers here. A whole number (an integer column)
has no dot and no exponent.
"""

from __future__ import annotations

import math
import re

NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
INTEGER = r"[+-]?[0-9]+"
_NUMBER_RE = re.compile(NUMBER)
_INTEGER_RE = re.compile(INTEGER)


def is_written_as_number(text: str, integer: bool = False) -> bool:
    """Whether a cell's text is a number as this project writes one (finite or not)."""
    return isinstance(text, str) and (_INTEGER_RE if integer else _NUMBER_RE).fullmatch(text) is not None


def parse(text: str | None) -> float | None:
    """The number a cell holds, or None for an empty cell or text that is not a number, or a
    number too large to be finite."""
    if text is None or not is_written_as_number(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None
