"""Text as readers write it: numbers in each language's convention, and Vietnamese typed
without tone marks. One rule each, for the validator and the pages alike."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel.numbers import format_decimal


@lru_cache(maxsize=65536)
def number_text(x: float, lang: str) -> str:
    """A number as a reader of `lang` writes it, with up to three decimals: vi 1.418 and
    71,79; en 1,418 and 71.79. Pages print numbers with it and the quotation check looks for
    its Vietnamese form in the reports. Remembered: babel is slow and a site writes the same
    few thousand numbers tens of thousands of times."""
    return format_decimal(x, format="#,##0.###", locale=lang)


def fold(text: str) -> str:
    """Lowercase without tone marks, and đ as d: 'Hải Phòng' and 'Đà Nẵng' are found by
    'hai phong' and 'da nang', as most people type them. The same rule as the league
    table's filter (site_src/assets/scoreboard.js, fold)."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
