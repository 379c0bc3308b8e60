"""Shared fixtures: a throw-away copy of the project to break or build, the synthetic project
built once (for tests of rendering, charts and browsers), and the real data built once (for
tests of properties that must hold whatever data/ holds).

With SCOREBOARD_DATA_FROM_FIXTURE=1 the "real data" fixtures (`dataset`, `built`) use the
synthetic set instead of data/: .ci/run runs the suite that way too, which proves that no
test depends on the figures of data/.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from scoreboard.data import layout, model, reports
from scoreboard.derive import quality
from scoreboard.site import build as site

ROOT = layout.ROOT
# The archive of report texts for data/ (SCOREBOARD_REPORTS, or ../shared/seeds). The setting
# is then cleared: each copy of a project in a test has its own archive, or none (a test that
# wants one sets it).
REPORTS = reports.location(ROOT)
os.environ.pop(reports.ENV, None)
COPIED = (
    "data",
    "site_src/pages",
    "site_src/partials",
    "site_src/assets",
    "site_src/overrides",
    "mkdocs.yml",
    "mkdocs.en.yml",
)


def problems_of(root: Path) -> list:
    """What `build_site.py validate` reports for a project: validation's problems and the
    derive stage's warnings."""
    return quality.check(root)[0]


def file_digests(folder: Path) -> dict[str, str]:
    """Every file under folder (a link such as site/ followed) by its path: its SHA-256."""
    folder = folder.resolve()
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def copy_project(dest: Path) -> Path:
    """Copy what a build reads (data, hand-written pages, configs) into dest."""
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the project's data and site sources that a test may change."""
    return copy_project(tmp_path / "project")


DATA_FROM_FIXTURE = os.environ.get("SCOREBOARD_DATA_FROM_FIXTURE") == "1"


def copy_data_project(dest: Path) -> Path:
    """A copy of the project with the real data (or the synthetic set, see above)."""
    return make_synthetic_project(dest) if DATA_FROM_FIXTURE else copy_project(dest)


@pytest.fixture(scope="session")
def data_project(tmp_path_factory) -> Path:
    return copy_data_project(tmp_path_factory.mktemp("data-project") / "project")


@pytest.fixture(scope="session")
def dataset(data_project):
    return model.load(data_project)


@pytest.fixture(scope="session")
def built(request, data_project) -> Path:
    """The real data built once (strictly: any MkDocs warning, such as a broken link or
    anchor, fails); returns its site/ folder. Tests on it assert properties, never figures."""
    if DATA_FROM_FIXTURE:
        return request.getfixturevalue("synthetic_built")
    site.build(data_project, strict=True)
    return data_project / "site"


@pytest.fixture(scope="session")
def synthetic_root(tmp_path_factory) -> Path:
    return make_synthetic_project(tmp_path_factory.mktemp("synthetic-built") / "project")


@pytest.fixture(scope="session")
def synthetic_built(synthetic_root) -> Path:
    """The synthetic project built once, strictly; returns its site/ folder."""
    site.build(synthetic_root, strict=True)
    return synthetic_root / "site"


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict], fieldnames: list[str] | None = None) -> None:
    fieldnames = fieldnames or list(rows[0].keys())
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic"


def make_synthetic_project(dest: Path) -> Path:
    """A project whose data is the invented fixture under tests/fixtures/synthetic."""
    from scoreboard.maintain import scaffold as maintain

    copy_project(dest)
    shutil.rmtree(dest / "data" / "reference")
    shutil.rmtree(dest / "data" / "periods")
    shutil.copytree(SYNTHETIC / "data", dest / "data", dirs_exist_ok=True)
    shutil.copy2(ROOT / "data" / "reference" / "units.csv", dest / "data" / "reference" / "units.csv")
    maintain.refresh_descriptors(dest)
    return dest


@pytest.fixture
def synthetic_project(tmp_path) -> Path:
    return make_synthetic_project(tmp_path / "synthetic")


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    root = make_synthetic_project(tmp_path_factory.mktemp("synthetic") / "project")
    return model.load(root)


# --- markers: `python -m pytest -m "not browser and not slow"` is the quick part -----------------

BROWSER_FIXTURES = {"browser", "page", "phone", "context_at", "server"}
SLOW_FIXTURES = {"built", "synthetic_built", "synthetic_with_site", "edited", "data_project_built"}
SLOW_CALLS = ("site.build(", 'main(["build"', "serve.serve(")


def pytest_collection_modifyitems(items):
    """Mark browser tests (they use the browser fixtures) and slow ones (they build a site,
    or use a built one): the quick part of the suite runs in about a minute."""
    import inspect

    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        try:
            source = inspect.getsource(item.function)
        except (OSError, TypeError):
            source = ""
        if names & (SLOW_FIXTURES | BROWSER_FIXTURES) or any(call in source for call in SLOW_CALLS):
            item.add_marker(pytest.mark.slow)
