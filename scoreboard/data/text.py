"""Text as readers type it: Vietnamese without tone marks."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase without tone marks, and đ as d: 'Hải Phòng' and 'Đà Nẵng' are found by
    'hai phong' and 'da nang', as most people type them. The same rule as the league
    table's filter (site_src/assets/scoreboard.js, fold)."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
