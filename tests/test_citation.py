"""CITATION.cff (GitHub's "Cite this repository", read by archives such as Zenodo) is valid
Citation File Format 1.2.0 and names the current data release of whatever data/ holds: a
pull request that adds a release to data/reference/releases.csv must update it too."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def current_release(releases_csv: Path) -> dict:
    """The newest release by date; of two on one day, the later row (as the site decides,
    scoreboard.releases.current)."""
    with releases_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows, f"{releases_csv} has no release"
    return max(enumerate(rows), key=lambda pair: (pair[1]["date"], pair[0]))[1]


def test_citation_is_cff_1_2_0_with_the_required_keys() -> None:
    cff = _citation()
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert isinstance(cff["title"], str) and cff["title"].strip()
    assert cff["authors"] and all(a.get("name") or a.get("family-names") for a in cff["authors"])
    assert cff.get("type", "software") in ("software", "dataset")


def test_citation_names_the_current_data_release() -> None:
    release = current_release(ROOT / "data" / "reference" / "releases.csv")
    cff = _citation()
    # quoted in the file: an unquoted 2024.10 would be read as the number 2024.1
    assert isinstance(cff["version"], str), "quote the version in CITATION.cff"
    assert cff["version"] == release["version"], (
        f"CITATION.cff names release {cff['version']}, the current one is {release['version']}: "
        "set its version and date-released to the newest row of data/reference/releases.csv"
    )
    released = cff["date-released"]
    released = released.isoformat() if isinstance(released, datetime.date) else released
    assert released == release["date"]


def test_citation_gives_the_licences_the_repository_states() -> None:
    licences = _citation()["license"]
    licences = [licences] if isinstance(licences, str) else licences
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License") and "MIT" in licences
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Data: CC BY 4.0" in readme and "CC-BY-4.0" in licences
    assert "CC BY-SA 4.0" in (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "CC-BY-SA-4.0" in licences


def test_citation_gives_no_placeholder_address() -> None:
    cff = _citation()
    for key in ("repository-code", "repository", "url", "repository-artifact"):
        assert "OWNER" not in str(cff.get(key, "")), key


def test_the_current_release_is_the_newest_and_the_later_row_on_a_tie(tmp_path) -> None:
    path = tmp_path / "releases.csv"
    path.write_text(
        "version,date,title_vi,title_en\n2024,2025-02-01,a,a\n2024-H1,2025-08-01,b,b\n"
        "2024-H1.1,2025-08-01,c,c\n2023,2024-01-01,d,d\n",
        encoding="utf-8",
    )
    assert current_release(path)["version"] == "2024-H1.1"


def test_the_current_release_is_the_one_the_site_offers(data_project, dataset) -> None:
    from scoreboard.pages import releases

    ours = current_release(data_project / "data" / "reference" / "releases.csv")
    assert ours["version"] == releases.current(dataset)["version"]
