"""Provenance: every quotation is verbatim in its report, and every figure is in its quotation.

The reports live outside the repository (../shared/seeds). Where they are missing the
test skips, unless REQUIRE_SEEDS=1 (set by .ci/run), which makes it mandatory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scoreboard.data.validate.quotes import normalise, vi_forms

from .conftest import ROOT, read_rows

SEEDS = Path(os.environ.get("SEEDS_DIR", ROOT.parent / "shared" / "seeds"))


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        if os.environ.get("REQUIRE_SEEDS") == "1":
            pytest.fail(f"the source reports are required but {SEEDS} does not exist")
        pytest.skip(f"source reports not found at {SEEDS}")
    return {p.name: normalise(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}


def quoted_rows():
    seed_of = {r["id"]: r["seed_file"] for r in read_rows(ROOT / "data/reference/sources.csv")}
    files = sorted(ROOT.glob("data/periods/*/*.csv")) + [ROOT / "data/reference/targets.csv"]
    for path in files:
        for line, row in enumerate(read_rows(path), start=2):
            if row.get("quote"):
                yield f"{path.relative_to(ROOT)}:{line}", row, seed_of[row["source_id"]]


def test_every_quote_is_verbatim_in_its_report(seeds):
    missing = [where for where, row, seed in quoted_rows() if normalise(row["quote"]) not in seeds[seed]]
    assert missing == []


def test_every_figure_appears_in_its_quote(seeds):
    missing = []
    for where, row, _ in quoted_rows():
        quote = normalise(row["quote"])
        for column in ("value", "numerator", "denominator", "low", "high", "count"):
            if row.get(column) and not any(form in quote for form in vi_forms(row[column])):
                if not (column == "count" and row[column] == "0"):  # "no A or B" is written in words
                    missing.append(f"{where} {column}={row[column]}")
    assert missing == []
