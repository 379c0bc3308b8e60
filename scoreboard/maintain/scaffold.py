"""Maintainer tools: start a new reporting period, rewrite package descriptors."""

from __future__ import annotations

import csv
from pathlib import Path

from scoreboard.data import layout
from scoreboard.data import periods as periods_mod


class MaintainError(Exception):
    pass


def new_period(root: Path, period_id: str) -> list[Path]:
    """Create data/periods/<id> with every CSV's header and its datapackage.json,
    and add the period to data/reference/periods.csv. Refuses a malformed or existing id."""
    if not periods_mod.is_period_id(period_id):
        raise MaintainError(f"'{period_id}' is not a period id: use YYYY, YYYY-H1, YYYY-H2 or YYYY-Q1..YYYY-Q4")
    data = root / "data"
    folder = data / "periods" / period_id
    periods_csv = data / "reference" / "periods.csv"
    with periods_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if folder.exists() or any(r["id"] == period_id for r in rows):
        raise MaintainError(f"period {period_id} already exists")
    schemas = data / "schemas"
    folder.mkdir(parents=True)
    created = []
    for resource in layout.PERIOD_RESOURCES:
        path = folder / f"{resource}.csv"
        path.write_text(",".join(layout.field_names(resource, schemas)) + "\n", encoding="utf-8")
        created.append(path)
    descriptor = folder / "datapackage.json"
    descriptor.write_text(layout.dump_json(layout.period_descriptor(period_id, schemas)), encoding="utf-8")
    created.append(descriptor)
    period = periods_mod.parse(period_id)
    rows.append({"id": period_id, "start": period.start.isoformat(), "end": period.end.isoformat()})
    rows.sort(key=lambda r: periods_mod.sort_key(r["id"]))
    with periods_csv.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "start", "end"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    created.append(periods_csv)
    return created


def refresh_descriptors(root: Path) -> list[Path]:
    """Rewrite every datapackage.json from data/schemas (after a schema change)."""
    data = root / "data"
    schemas = data / "schemas"
    written = [data / "reference" / "datapackage.json"]
    written[0].write_text(layout.dump_json(layout.reference_descriptor(schemas)), encoding="utf-8")
    for folder in sorted((data / "periods").iterdir()):
        if folder.is_dir() and periods_mod.is_period_id(folder.name):
            path = folder / "datapackage.json"
            path.write_text(layout.dump_json(layout.period_descriptor(folder.name, schemas)), encoding="utf-8")
            written.append(path)
    return written


# --- the column reference in CONTRIBUTING.md ----------------------------------------------------

TYPE_WORDS = {
    "vi": {
        "string": "chữ",
        "number": "số",
        "integer": "số nguyên",
        "date": "ngày (YYYY-MM-DD)",
        "boolean": "`true`, `false`",
    },
    "en": {
        "string": "text",
        "number": "number",
        "integer": "whole number",
        "date": "date (YYYY-MM-DD)",
        "boolean": "`true`, `false`",
    },
}
COLUMN_HEADINGS = {
    "vi": ("Cột", "Bắt buộc", "Giá trị được phép", "Ý nghĩa", "có", "không"),
    "en": ("Column", "Required", "Allowed values", "Meaning", "yes", "no"),
}
