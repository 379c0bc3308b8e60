"""Downloadable data: the packages as published, combined tidy files at stable paths,
per-indicator extracts and the agency league tables. The same bytes are written into
both languages' folders, so /data/x.csv and /en/data/x.csv are identical.

The combined paths (data/observations.csv, data/targets.csv, data/indicators.csv,
data/agencies.csv and their .json twins) are a public interface: keep them stable.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from pathlib import Path

import pandas as pd

from scoreboard.data import layout, model
from scoreboard.data import periods as periods_mod
from scoreboard.data.model import Dataset
from scoreboard.data.validate.files import is_plain_dir, is_plain_file
from scoreboard.derive import series

COMBINED = ("observations", "targets", "indicators", "agencies")
AGENCY_FILES = ("agency-successions", "league-tables", "agency-grades", "grade-distribution")

OBSERVATION_COLUMNS = [
    "indicator_id",
    "period",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "unit",
    "value_kind",
    "shown",
    "source_id",
    "quote",
    "note_vi",
    "note_en",
]
TARGET_COLUMNS = [
    "indicator_id",
    "year",
    "target_period",
    "breakdown",
    "value",
    "low",
    "high",
    "comparison",
    "unit",
    "shown",
    "verdict",
    "source_id",
    "quote",
    "note_vi",
    "note_en",
]


def _cell(value):
    if type(value) is str:  # most cells: nothing to convert
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return value


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    if not columns:
        return [{} for _ in range(len(frame))]
    cells = [
        values if set(map(type, values)) <= {str} else [_cell(v) for v in values]  # text needs no conversion
        for values in model.column_values(frame[columns])
    ]
    return [dict(zip(columns, row)) for row in zip(*cells)]


def csv_text(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                "" if row[c] is None else ("true" if row[c] is True else "false" if row[c] is False else row[c])
                for c in columns
            ]
        )
    return out.getvalue()


def json_text(rows: list[dict]) -> str:
    """json.dumps(rows, ensure_ascii=False, indent=1) + newline, byte for byte. json's indented
    encoder is pure Python; rows of plain cells are written by its C encoder instead, one row
    at a time, with the line breaks and indents of indent=1 as separators."""
    if not _plain_rows(rows):
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    encode = _ROW_ENCODER.encode
    return "[\n" + ",\n".join(" {\n  " + encode(row)[1:-1] + "\n }" for row in rows) + "\n]\n"


_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",\n  ", ": "))
_PLAIN = {str, int, float, bool, type(None)}


def _plain_rows(rows) -> bool:
    """A non-empty list of non-empty dicts with text keys and scalar values (nothing nested)."""
    return (
        type(rows) is list
        and bool(rows)
        and all(type(row) is dict and row for row in rows)
        and set(map(type, itertools.chain.from_iterable(rows))) <= {str}
        and set(map(type, itertools.chain.from_iterable(map(dict.values, rows)))) <= _PLAIN
    )


def _pair(files: dict[str, str], name: str, rows: list[dict], columns: list[str]) -> None:
    files[f"{name}.csv"] = csv_text(rows, columns)
    files[f"{name}.json"] = json_text(rows)


def observations_table(dataset: Dataset) -> pd.DataFrame:
    """Every figure with its unit, in the order pages list them (series.ordered)."""
    obs = series.ordered(dataset.observations)
    return obs.assign(unit=obs["indicator_id"].map(dataset.indicators["unit"]))


def targets_table(dataset: Dataset, derived) -> pd.DataFrame:
    """Every target row, with its unit, the year of its deadline and, on the shown row of each
    target, its one verdict (derive.verdicts): the same verdict every page shows."""
    t = dataset.targets.copy()
    t["unit"] = t["indicator_id"].map(dataset.indicators["unit"])
    t["year"] = t["target_period"].map(lambda p: periods_mod.parse(p).end.year)
    verdict_of = {(v.indicator_id, v.breakdown, v.target_period): v.verdict for v in derived.verdicts}
    keys = zip(t["indicator_id"], t["breakdown"], t["target_period"], t["shown"])
    t["verdict"] = [verdict_of.get((i, b, p), "") if shown else "" for i, b, p, shown in keys]
    return series.ordered(t, "target_period")


def files(dataset: Dataset, derived, root: Path = layout.ROOT) -> dict[str, str]:
    """Every generated download as {path under data/: text}; the same for both languages."""
    out: dict[str, str] = {}
    schemas = root / "data" / "schemas"
    obs = records(observations_table(dataset), OBSERVATION_COLUMNS)
    _pair(out, "observations", obs, OBSERVATION_COLUMNS)
    _pair(out, "targets", records(targets_table(dataset, derived), TARGET_COLUMNS), TARGET_COLUMNS)
    for name in ("indicators", "agencies"):
        columns = layout.field_names(name, schemas)
        _pair(out, name, records(getattr(dataset, name), columns), columns)
    by_indicator: dict[str, list[dict]] = {i: [] for i in dataset.indicators.index}
    for row in obs:
        by_indicator[row["indicator_id"]].append(row)
    for indicator_id, rows in by_indicator.items():
        _pair(out, f"indicators/{indicator_id}", rows, OBSERVATION_COLUMNS)

    succession_columns = layout.field_names("agency_successions", schemas)
    successions = dataset.agency_successions.sort_values(["date", "successor_id", "predecessor_id"], kind="stable")
    _pair(out, "agency-successions", records(successions, succession_columns), succession_columns)
    statuses = periods_mod.sort_frame(derived.statuses, ["period", "group", "agency_id", "criterion_id"])
    league_columns = ["period", "group", "agency_id", "criterion_id", "status", "basis", "source_id", "quote"]
    _pair(out, "league-tables", records(statuses, league_columns), league_columns)
    grade_columns = layout.field_names("agency_grades", schemas)
    _pair(out, "agency-grades", records(dataset.agency_grades, grade_columns), grade_columns)
    dist_columns = layout.field_names("grade_distribution", schemas)
    _pair(out, "grade-distribution", records(derived.grades, dist_columns), dist_columns)
    return out


def published_package_files(root: Path = layout.ROOT) -> list[tuple[str, Path]]:
    """The package files as published: only what each package declares (its descriptor and
    resources), each a regular file inside the repository. A link or a stray file under
    data/ is never copied, even if validation was skipped."""
    data = root / "data"
    folders = [("reference", data / "reference", layout.REFERENCE_RESOURCES)]
    periods_dir = data / "periods"
    if is_plain_dir(periods_dir, root):
        folders += [
            (p.name, p, layout.PERIOD_RESOURCES)
            for p in sorted(periods_dir.iterdir())
            if periods_mod.is_period_id(p.name) and is_plain_dir(p, root)
        ]
    packages = [
        (package, folder, ("datapackage.json", *(f"{r}.csv" for r in resources)))
        for package, folder, resources in folders
    ]
    boundaries = data / "boundaries"  # CC BY-SA 4.0, declared with its licence in its own datapackage.json
    if is_plain_dir(boundaries, root):
        packages.append(("boundaries", boundaries, layout.BOUNDARY_FILES))
    out = []
    for package, folder, names in packages:
        for name in names:
            src = folder / name
            if not is_plain_file(src, root):
                raise ValueError(
                    f"{src}: not a regular file inside the repository; run `python build_site.py validate`"
                )
            out.append((f"{package}/{name}", src))
    return out


def schemas() -> list[tuple[str, dict]]:
    names = list(layout.REFERENCE_RESOURCES) + list(layout.PERIOD_RESOURCES)
    return [(name, layout.load_schema(name)) for name in names]


def package_list(dataset: Dataset) -> list[dict]:
    packages = [{"id": "reference", "files": ["datapackage.json"] + [f"{r}.csv" for r in layout.REFERENCE_RESOURCES]}]
    for period_id in reversed(dataset.period_ids):
        packages.append(
            {"id": period_id, "files": ["datapackage.json"] + [f"{r}.csv" for r in layout.PERIOD_RESOURCES]}
        )
    return packages
