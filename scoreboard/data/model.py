"""Load the validated data packages into pandas tables, typed by their Table Schemas.

Every table keeps `_file` and `_line` so that a derived warning or a diff can
point back to the exact CSV line a maintainer would edit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.core.dtypes.cast import maybe_box_native  # what to_dict() applies to object columns

from scoreboard.data import layout, numbers
from scoreboard.data import periods as periods_mod

CENTRAL_KINDS = ("ministry", "ministerial_agency", "government_agency", "other_organisation")
LOCAL_KINDS = ("province", "municipality")
# Which agency kinds a report means by each breakdown of an agency count ("73/84 bộ, ngành, địa
# phương": ministries and ministerial-level agencies with the provinces and municipalities).
BREAKDOWN_KINDS = {"ministries": ("ministry", "ministerial_agency"), "provinces": LOCAL_KINDS}
BREAKDOWN_KINDS["ministries_and_provinces"] = BREAKDOWN_KINDS["ministries"] + LOCAL_KINDS
GROUP_OF_KIND = {**{k: "central" for k in CENTRAL_KINDS}, **{k: "local" for k in LOCAL_KINDS}}
GROUP_BREAKDOWN = {"central": "ministries", "local": "provinces"}


@dataclass
class Dataset:
    units: pd.DataFrame
    indicators: pd.DataFrame
    agencies: pd.DataFrame
    agency_successions: pd.DataFrame
    criteria: pd.DataFrame
    sources: pd.DataFrame
    periods: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    agency_checks: pd.DataFrame
    grade_distribution: pd.DataFrame
    agency_grades: pd.DataFrame
    series_breaks: pd.DataFrame  # where a series starts anew (see derive.shown_observations)
    releases: pd.DataFrame = None  # data releases, oldest first (see releases.py)
    release_changes: pd.DataFrame = None

    # Plain-dict lookups: rendering reads reference rows thousands of times, and a
    # dict is much cheaper than a pandas row.

    @cached_property
    def _rows(self) -> dict[str, dict[str, dict]]:
        return {
            name: getattr(self, name).to_dict("index")
            for name in ("units", "indicators", "agencies", "criteria", "sources")
        }

    def indicator(self, indicator_id: str) -> dict:
        return self._rows["indicators"][indicator_id]

    def unit_of(self, indicator_id: str) -> dict:
        return self._rows["units"][self.indicator(indicator_id)["unit"]]

    def agency(self, agency_id: str) -> dict:
        return self._rows["agencies"][agency_id]

    def criterion(self, criterion_id: str) -> dict:
        return self._rows["criteria"][criterion_id]

    def source(self, source_id: str) -> dict:
        return self._rows["sources"][source_id]

    @property
    def period_ids(self) -> list[str]:
        return periods_mod.sorted_ids(self.periods.index)


def load(root: Path = layout.ROOT) -> Dataset:
    """Read every package under root/data. Assumes validate() found no errors."""
    data = root / "data"
    schemas = data / "schemas"
    tables = {
        name: _read(data / "reference" / f"{name}.csv", name, schemas, root) for name in layout.REFERENCE_RESOURCES
    }
    period_dirs = sorted(
        (p for p in (data / "periods").iterdir() if p.is_dir()), key=lambda p: periods_mod.sort_key(p.name)
    )
    for name in layout.PERIOD_RESOURCES:
        schema = layout.load_schema(name, schemas)
        frames = [_raw(d / f"{name}.csv", schema, root) for d in period_dirs]
        # typed once for all periods: the same tables as typing each file, in a fraction of the time
        tables[name] = _typed(pd.concat(frames, ignore_index=True), schema) if frames else _empty(name, schemas)
    for name in ("units", "indicators", "agencies", "criteria", "sources", "periods"):
        tables[name] = tables[name].set_index("id", drop=False)
    agencies = tables["agencies"]
    agencies["group"] = agencies["kind"].map(GROUP_OF_KIND)
    return Dataset(**tables)


def _read(path: Path, resource: str, schemas: Path, root: Path) -> pd.DataFrame:
    schema = layout.load_schema(resource, schemas)
    return _typed(_raw(path, schema, root), schema)


def _raw(path: Path, schema: dict, root: Path) -> pd.DataFrame:
    """One CSV as text cells in the schema's column order (the file's may differ), with
    `_line` and `_file`; blank lines dropped."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    where = {name: i for i, name in enumerate(header)}  # DictReader keeps the last of a repeated name
    names = [f["name"] for f in schema["fields"]]
    picks = [where.get(name) for name in names]
    rows, start = [], 2
    for cells in reader:
        if not cells:
            continue  # skipped without moving the line count, as csv.DictReader did
        line = start
        start = reader.line_num + 1
        if any(c.strip() for c in cells[: len(header)]):
            rows.append([None if i is None or i >= len(cells) else cells[i] for i in picks] + [line])
    frame = pd.DataFrame(rows, columns=names + ["_line"])
    frame["_file"] = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    return frame


def _empty(resource: str, schemas: Path) -> pd.DataFrame:
    schema = layout.load_schema(resource, schemas)
    frame = pd.DataFrame(columns=[f["name"] for f in schema["fields"]] + ["_line", "_file"])
    return _typed(frame, schema)


def _typed(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
    for f in schema["fields"]:
        column = frame[f["name"]].fillna("").astype(str)
        if f["type"] in ("number", "integer"):  # written as numbers.py says, as validation checks
            written = column.str.fullmatch(numbers.INTEGER if f["type"] == "integer" else numbers.NUMBER)
            values = pd.to_numeric(column.where(written, None), errors="coerce")
            frame[f["name"]] = values.astype("Int64" if f["type"] == "integer" else "float64")
        elif f["type"] == "boolean":
            frame[f["name"]] = column.str.lower().isin(["true", "1"])
        else:
            frame[f["name"]] = column
    frame["_line"] = pd.to_numeric(frame["_line"]).astype("Int64")
    return frame


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as plain dicts (Python values; an empty Int64 cell is None)."""
    return frame.to_dict("records")


def column_values(frame: pd.DataFrame) -> list[list]:
    """Each column's cells as a list of the values records() gives, for rows zipped into keys."""
    values = []
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        if isinstance(column.dtype, pd.StringDtype):
            values.append(column.to_numpy(dtype=object).tolist())  # str, or the dtype's NaN
        elif isinstance(column.dtype, np.dtype) and column.dtype != object:
            values.append(column.tolist())  # numpy dtypes: Python floats, ints and bools
        else:
            values.append([maybe_box_native(v) for v in column.array])  # Int64: pd.NA becomes None
    return values


def is_missing(value) -> bool:
    """An empty cell as the model reads it: None, pandas' NA, NaN or an empty string."""
    return value is None or value is pd.NA or value == "" or (isinstance(value, float) and value != value)


def agencies_valid_in(dataset: Dataset, period_id: str, kinds=None) -> pd.DataFrame:
    """Agencies as they were on the period's last day: a league table lists the units that
    existed then, and a unit merged later keeps its history."""
    return agencies_valid_on(dataset, periods_mod.parse(period_id).end.isoformat(), kinds)


def agencies_valid_on(dataset: Dataset, day: str, kinds=None) -> pd.DataFrame:
    """Agencies that existed on a day (ISO date): valid_from on or before it, valid_to on or
    after it, an empty date meaning no limit."""
    a = dataset.agencies
    start, stop = a["valid_from"].to_numpy(dtype=object), a["valid_to"].to_numpy(dtype=object)
    try:  # numpy compares the dates (text) much faster than pandas' str dtype
        ok = ((start == "") | (start <= day)) & ((stop == "") | (stop >= day))
    except TypeError:  # a missing date (not from load(), which writes "")
        ok = (
            (a["valid_from"].eq("") | (a["valid_from"] <= day)) & (a["valid_to"].eq("") | (a["valid_to"] >= day))
        ).to_numpy()
    if kinds is not None:
        ok &= a["kind"].isin(kinds).to_numpy()
    return a[ok]
