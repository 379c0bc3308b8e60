"""Maintainer tools: start a new reporting period, rewrite package descriptors."""

from __future__ import annotations

import csv
from pathlib import Path

from scoreboard.data import layout, reports
from scoreboard.data import periods as periods_mod
from scoreboard.data.escaping import visible
from scoreboard.data.validate.schema_files import check_schemas


class MaintainError(Exception):
    pass


def new_period(root: Path, period_id: str) -> list[Path]:
    """Create data/periods/<id> with every CSV's header and its datapackage.json,
    and add the period to data/reference/periods.csv. Refuses a malformed or existing id."""
    if not periods_mod.is_period_id(period_id):
        raise MaintainError(f"'{visible(period_id)}' is not a period id: {periods_mod.hint(period_id)}")
    _usable_schemas(root)
    data = root / "data"
    folder = data / "periods" / period_id
    periods_csv = data / "reference" / "periods.csv"
    try:
        with periods_csv.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise MaintainError(
            f"data/reference/periods.csv cannot be read ({exc}): run `python build_site.py validate`"
        ) from exc
    if header[:3] != ["id", "start", "end"]:
        raise MaintainError(
            "data/reference/periods.csv has no header id,start,end: run `python build_site.py validate`"
        )
    if folder.exists() or any(r.get("id") == period_id for r in rows):
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


def _usable_schemas(root: Path) -> None:
    """Refuse to write anything from schemas that cannot be read (validate explains them)."""
    unusable = check_schemas(root)
    if unusable:
        raise MaintainError(f"{unusable[0].text()} (`python build_site.py validate` lists every problem)")


def next_steps(root: Path, period_id: str) -> list[str]:
    """What a maintainer does after `new-period`, in order (printed by the command)."""
    archive = reports.location(root)
    where = reports.shown_path(root, archive)
    here = (
        "" if archive.is_dir() else f" (that folder does not exist yet on this computer; {reports.ENV} names another)"
    )
    folder = f"data/periods/{period_id}"
    return [
        f"Next steps for {period_id} (CONTRIBUTING.md, 'Add a reporting period'):",
        f"  1. The report's text: save it as a UTF-8 .txt file in the archive of reports, {where}{here}.",
        "  2. data/reference/sources.csv: one row per new report, kind report, seed_file = that file's name.",
        f"  3. {folder}/observations.csv: one row per figure, with the report's sentence word for word in quote;",
        f"     agency_checks.csv, grade_distribution.csv and agency_grades.csv in {folder} where the report gives them.",
        "     A figure that is not comparable with the one before (a new method): data/reference/series_breaks.csv.",
        f"  4. data/reference/releases.csv: a row for release {period_id}; release_changes.csv: "
        f"{period_id},added_period,{period_id}; CITATION.cff: version and date-released of that release.",
        "  5. python build_site.py validate: fix every error, read every warning; then open a pull request.",
    ]


def refresh_descriptors(root: Path) -> list[Path]:
    """Rewrite every datapackage.json from data/schemas (after a schema change)."""
    _usable_schemas(root)
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
