"""Downloadable data: the packages as published, combined tidy files at stable paths,
per-indicator extracts and the agency league tables, with a data package describing the
combined files (data/datapackage.json) and an index of the indicators (data/index.json).
The same bytes are written into both languages' folders, so /data/x.csv and /en/data/x.csv
are identical.

The combined paths (data/observations.csv, data/targets.csv, data/indicators.csv,
data/agencies.csv and their .json twins) are a public interface: keep them stable.

Each combined file's columns are defined here once (COMBINED_SOURCES, columns()): the
files, their Table Schemas in datapackage.json and the data page's dictionary all read
them; a column's type, constraints and description come from its source schema in
data/schemas, or from EXTRA_FIELDS for the few columns no source has.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from pathlib import Path

import pandas as pd

from scoreboard.data import layout, model
from scoreboard.data import periods as periods_mod
from scoreboard.data.model import GROUP_BREAKDOWN, Dataset
from scoreboard.data.validate.files import is_plain_dir, is_plain_file
from scoreboard.derive import agencies, series, verdicts
from scoreboard.pages import releases, urls
from scoreboard.pages.formatting import Locale

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

# Each combined file (data/<name>.csv and .json) and the source schema (data/schemas) its
# columns come from; columns() gives its columns in order.
COMBINED_SOURCES = {
    "observations": "observations",
    "targets": "targets",
    "indicators": "indicators",
    "agencies": "agencies",
    "agency-successions": "agency_successions",
    "league-tables": "agency_checks",
    "agency-grades": "agency_grades",
    "grade-distribution": "grade_distribution",
}
COMBINED = ("observations", "targets", "indicators", "agencies")
AGENCY_FILES = tuple(name for name in COMBINED_SOURCES if name not in COMBINED)
_OWN_COLUMNS = {  # files whose columns are not exactly their source's
    "observations": OBSERVATION_COLUMNS,
    "targets": TARGET_COLUMNS,
    "league-tables": list(agencies.STATUS_COLUMNS),
}

# The columns of combined files that no source schema has (Vietnamese descriptions: the
# translation tables' dictionary.combined).
EXTRA_FIELDS = {
    "unit": {
        "type": "string",
        "title": "Unit",
        "description": "The indicator's unit: an id of units.csv in the reference package.",
        "constraints": {"required": True},
    },
    "year": {
        "type": "integer",
        "title": "Year",
        "description": "The year in which target_period, the deadline, ends.",
        "constraints": {"required": True},
    },
    "verdict": {
        "type": "string",
        "title": "Verdict",
        "description": "On the shown row of each target, its verdict as the pages give it (the codes are explained on the data page); empty on the other rows.",
        "constraints": {"enum": list(verdicts.VERDICTS)},
    },
    "group": {
        "type": "string",
        "title": "Group",
        "description": "central (ministries and agencies of the government) or local (provinces and centrally run cities).",
        "constraints": {"required": True, "enum": list(GROUP_BREAKDOWN)},
    },
    "basis": {
        "type": "string",
        "title": "Basis",
        "description": (
            "How the status is known: named (the report names the agency), all (the report says all of them "
            "met it), not_in_list (the report lists those that have not, and this agency is not on it) or "
            "not_reported (the report does not say)."
        ),
        "constraints": {"required": True, "enum": list(agencies.BASES)},
    },
}
# What a combined file says differently from its source schema ("*": every combined file
# with that column): a new description (Vietnamese: dictionary.combined, or dictionary.<file>)
# and, with required False, a column that may be empty here.
CHANGED_FIELDS = {
    "*": {
        "period": {"description": "The period the row describes: an id of periods.csv in the reference package."},
    },
    "league-tables": {
        "source_id": {
            "description": "Source id from the reference package; empty when basis is not_reported.",
            "required": False,
        },
        "quote": {
            "description": "Verbatim excerpt of the source behind the status; empty when basis is not_reported.",
            "required": False,
        },
    },
}


def columns(name: str, schemas_dir: Path = layout.SCHEMAS) -> list[str]:
    """A combined file's columns, in order."""
    return list(_OWN_COLUMNS.get(name) or layout.field_names(COMBINED_SOURCES[name], schemas_dir))


def combined_schema(name: str, schemas_dir: Path = layout.SCHEMAS) -> dict:
    """A combined file's Table Schema: each column as its source schema has it (or as
    EXTRA_FIELDS), with CHANGED_FIELDS applied; the source's primary key, foreign keys to
    other combined files and missing values where their columns are all present."""
    source = layout.load_schema(COMBINED_SOURCES[name], schemas_dir)
    own = {f["name"]: f for f in source["fields"]}
    names = columns(name, schemas_dir)
    fields = []
    for column in names:
        field = copy.deepcopy(own[column]) if column in own else {"name": column, **copy.deepcopy(EXTRA_FIELDS[column])}
        change = CHANGED_FIELDS.get(name, {}).get(column) or CHANGED_FIELDS["*"].get(column) or {}
        if "description" in change:
            field["description"] = change["description"]
        if change.get("required") is False:
            field.get("constraints", {}).pop("required", None)
        if field.get("constraints") == {}:
            del field["constraints"]
        fields.append(field)
    schema: dict = {"fields": fields}
    if set(source.get("primaryKey", [])) <= set(names) and source.get("primaryKey"):
        schema["primaryKey"] = list(source["primaryKey"])
    keys = [
        fk
        for fk in source.get("foreignKeys", [])
        if fk["reference"]["resource"] in COMBINED_SOURCES and set(_as_list(fk["fields"])) <= set(names)
    ]
    if keys:
        schema["foreignKeys"] = copy.deepcopy(keys)
    if "missingValues" in source:
        schema["missingValues"] = list(source["missingValues"])
    return schema


def _as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def combined_schemas(schemas_dir: Path = layout.SCHEMAS) -> list[tuple[str, str, dict]]:
    """(file name, source schema name, Table Schema) of every combined file, in page order."""
    return [(name, source, combined_schema(name, schemas_dir)) for name, source in COMBINED_SOURCES.items()]


def package_descriptor(dataset: Dataset, schemas_dir: Path = layout.SCHEMAS) -> dict:
    """data/datapackage.json: the combined CSV files as one Frictionless data package. Its
    version is the current data release's; nothing in it depends on the build."""
    current = releases.current(dataset)
    descriptor = {
        "name": "vn-digital-transformation-scoreboard",
        "title": "Vietnam digital transformation scoreboard: combined files",
        "description": (
            "Every figure, target, indicator, agency, league table and grade of the scoreboard, one file each, "
            "across all reporting periods. Each CSV file has a JSON twin with the same rows (the same name, .json). "
            "index.json lists each indicator's pages and files; the packages as published, one per period, "
            "are under packages/."
        ),
        "homepage": urls.page_url("vi", "data/index.md"),
    }
    if current is not None:
        descriptor["version"] = current["version"]
    descriptor["licenses"] = [layout.LICENSE]
    descriptor["resources"] = [
        {
            "name": name,
            "path": f"{name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }
        for name, _, schema in combined_schemas(schemas_dir)
    ]
    return descriptor


def indicator_files(indicator_id: str) -> dict[str, str]:
    """An indicator's own files, as paths under data/."""
    return {ext: f"indicators/{indicator_id}.{ext}" for ext in ("csv", "json")}


def last_updates(dataset: Dataset) -> dict[str, dict]:
    """When each indicator's data last changed: {id: {date, release, period}}.

    `date` is the date of the latest release (releases.csv) whose changes
    (release_changes.csv) touch the indicator: its addition, a correction of one of its
    figures, or the addition of a period in which it has a figure; `release` names that
    release. An indicator no release touches takes the last day (periods.csv) of the latest
    period with a figure for it; one with no figure has neither (None). `period` is the
    latest period with a figure. Ties go to the release listed last."""
    obs = dataset.observations
    own_periods: dict[str, set[str]] = {}
    for indicator_id, period_id in zip(obs["indicator_id"].tolist(), obs["period"].tolist()):
        own_periods.setdefault(indicator_id, set()).add(period_id)
    released: dict[str, tuple] = {}
    if dataset.releases is not None:
        for order, (version, date) in enumerate(zip(dataset.releases["version"], dataset.releases["date"])):
            released[version] = (date, order)
    changes = dataset.release_changes.to_dict("records") if dataset.release_changes is not None else []
    period_end = dict(zip(dataset.periods.index, dataset.periods["end"]))
    out = {}
    for indicator_id in dataset.indicators.index:
        periods = own_periods.get(indicator_id, set())
        touched = [
            (*released[c["version"]], c["version"])
            for c in changes
            if c["version"] in released and _touches(c, indicator_id, periods)
        ]
        latest = periods_mod.sorted_ids(periods)[-1] if periods else None
        if touched:
            date, _, release = max(touched)
        else:
            date, release = (period_end.get(latest) if latest else None), None
        out[indicator_id] = {"date": date, "release": release, "period": latest}
    return out


def _touches(change: dict, indicator_id: str, periods: set[str]) -> bool:
    kind, subject = change["change"], change["subject"]
    if kind == "added_indicator":
        return subject == indicator_id
    if kind == "corrected_value":
        return subject.split("/", 1)[0] == indicator_id
    return kind == "added_period" and subject in periods


def index(dataset: Dataset) -> dict:
    """data/index.json: each indicator's pages (absolute, both languages), its files (relative
    to index.json, as in datapackage.json) and its last update (last_updates)."""
    updates = last_updates(dataset)
    rows = []
    for indicator_id in dataset.indicators.index:
        indicator = dataset.indicator(indicator_id)
        update = updates[indicator_id]
        rows.append(
            {
                "id": indicator_id,
                "name": {lang: indicator[f"name_{lang}"] for lang in urls.LANG_PREFIX},
                "pages": {lang: urls.page_url(lang, urls.indicator_page(indicator_id)) for lang in urls.LANG_PREFIX},
                "files": indicator_files(indicator_id),
                "last_update": update["date"],
                "last_update_release": update["release"],
                "latest_period": update["period"],
            }
        )
    return {
        "description": {lang: Locale(lang).t("pages.data_index_text") for lang in urls.LANG_PREFIX},
        "license": layout.LICENSE["path"],
        "datapackage": "datapackage.json",
        "indicators": rows,
    }


def _json_cell(value):
    """A table cell as JSON writes it: missing as null, whole floats as integers."""
    if type(value) is str:  # most cells: nothing to convert
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):  # numpy scalars
        return _json_cell(value.item())
    return value


def json_records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """The rows of a download: model.column_values' cells (the one way rows become Python
    values), each made a JSON value."""
    if not columns:
        return [{} for _ in range(len(frame))]
    cells = [
        values if set(map(type, values)) <= {str} else [_json_cell(v) for v in values]  # text needs no conversion
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
    """A JSON download's text: one key per line, as diffs of the published files read best."""
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


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
    obs_columns = columns("observations", schemas)
    obs = json_records(observations_table(dataset), obs_columns)
    tables = {
        "targets": targets_table(dataset, derived),
        "indicators": dataset.indicators,
        "agencies": dataset.agencies,
        "agency-successions": dataset.agency_successions.sort_values(
            ["date", "successor_id", "predecessor_id"], kind="stable"
        ),
        "league-tables": periods_mod.sort_frame(derived.statuses, ["period", "group", "agency_id", "criterion_id"]),
        "agency-grades": dataset.agency_grades,
        "grade-distribution": derived.grades,
    }
    for name in COMBINED_SOURCES:
        names = columns(name, schemas)
        _pair(out, name, obs if name == "observations" else json_records(tables[name], names), names)
    by_indicator: dict[str, list[dict]] = {i: [] for i in dataset.indicators.index}
    for row in obs:
        by_indicator[row["indicator_id"]].append(row)
    for indicator_id, rows in by_indicator.items():
        paths = indicator_files(indicator_id)
        out[paths["csv"]], out[paths["json"]] = csv_text(rows, obs_columns), json_text(rows)
    out["datapackage.json"] = layout.dump_json(package_descriptor(dataset, schemas))
    out["index.json"] = layout.dump_json(index(dataset))
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
