"""Where things live on disk: data packages, schemas, generated pages, the site.

The code path mirrors the data path: data/reference is one package, and each
data/periods/<PERIOD> directory is one package with the same four resources.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEMAS = DATA / "schemas"
REFERENCE = DATA / "reference"
PERIODS = DATA / "periods"
SITE_SRC = ROOT / "site_src"
BUILD = SITE_SRC / "build"  # generated docs dirs, one per language (not committed)
SITE = ROOT / "site"

REFERENCE_RESOURCES = (
    "units",
    "indicators",
    "agencies",
    "agency_successions",
    "criteria",
    "sources",
    "periods",
    "targets",
    "series_breaks",
    "releases",
    "release_changes",
)
# Province boundaries: their own package (CC BY-SA 4.0), optional
BOUNDARY_FILES = ("datapackage.json", "vn-provinces-63.topojson")
PERIOD_RESOURCES = ("observations", "agency_checks", "grade_distribution", "agency_grades")

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def load_schema(resource: str, schemas_dir: Path = SCHEMAS) -> dict:
    return json.loads((schemas_dir / f"{resource}.json").read_text(encoding="utf-8"))


def field_names(resource: str, schemas_dir: Path = SCHEMAS) -> list[str]:
    return [f["name"] for f in load_schema(resource, schemas_dir)["fields"]]


def reference_descriptor(schemas_dir: Path = SCHEMAS) -> dict:
    return {
        "name": "vn-digital-transformation-reference",
        "title": "Vietnam digital transformation scoreboard: reference data",
        "description": (
            "Indicators, units, agencies and who succeeded whom, criteria, sources, reporting periods, targets and data releases."
        ),
        "licenses": [LICENSE],
        "resources": [_resource(name, schemas_dir) for name in REFERENCE_RESOURCES],
    }


def period_descriptor(period_id: str, schemas_dir: Path = SCHEMAS) -> dict:
    return {
        "name": f"vn-digital-transformation-{period_id.lower()}",
        "title": f"Vietnam digital transformation scoreboard: period {period_id}",
        "description": (
            f"Observations, agency checks and grades describing period {period_id}. "
            "Indicators, agencies, criteria and sources refer to the reference package."
        ),
        "licenses": [LICENSE],
        "resources": [_resource(name, schemas_dir) for name in PERIOD_RESOURCES],
    }


def _resource(name: str, schemas_dir: Path) -> dict:
    return {
        "name": name.replace("_", "-"),
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": load_schema(name, schemas_dir),
    }


def dump_json(data) -> str:
    """Stable JSON text: the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
