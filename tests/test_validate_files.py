"""Only the files the packages declare may exist under data/, and only they are published:
a symbolic link, a stray file or an unexpected folder is an error, never followed or read."""

from __future__ import annotations

import os
import shutil

import pytest

from scoreboard.pages import downloads
from tests.conftest import problems_of

from .conftest import ROOT

P2023 = "data/periods/2023"


@pytest.fixture
def project(synthetic_project):
    """The checks are tested on the invented data set (tests/fixtures/synthetic), never on
    the figures of data/, which maintainers change every period."""
    return synthetic_project


def _problems(project):
    return {(p.path, p.kind): p for p in problems_of(project)}


def test_symlinks_stray_files_and_folders_are_errors(project):
    (project / P2023 / "leak.txt").symlink_to("/etc/passwd")
    (project / P2023 / "git").symlink_to(ROOT / ".git")
    (project / P2023 / "notes.txt").write_text("draft\n", encoding="utf-8")
    (project / "data" / "scratch").mkdir()
    (project / "data" / "reference" / "old").mkdir()
    (project / "data" / ".DS_Store").write_bytes(b"\0\1")
    found = _problems(project)
    for path, kind in [
        (f"{P2023}/leak.txt", "symlink"),
        (f"{P2023}/git", "symlink"),
        (f"{P2023}/notes.txt", "stray-file"),
        ("data/scratch", "stray-file"),
        ("data/reference/old", "stray-file"),
        ("data/.DS_Store", "stray-file"),
    ]:
        assert (path, kind) in found, f"{path} [{kind}] not reported"
        assert found[(path, kind)].is_error and found[(path, kind)].hint
    assert "root:" not in "\n".join(p.text() for p in found.values())


def test_a_csv_that_is_a_link_or_a_folder_gets_one_clear_message(project):
    checks = project / P2023 / "agency_checks.csv"
    checks.unlink()
    checks.symlink_to("/proc/self/environ")
    grades = project / P2023 / "agency_grades.csv"
    grades.unlink()
    grades.mkdir()
    problems = problems_of(project)
    text = "\n".join(p.text() for p in problems)
    assert f"{P2023}/agency_checks.csv: a symbolic link under data/" in text
    assert f"{P2023}/agency_grades.csv: a folder where a file is expected" in text
    assert "PATH=" not in text and "HOME=" not in text
    assert [p for p in problems if p.path == f"{P2023}/agency_checks.csv"][0].kind == "symlink"


def test_a_linked_period_folder_is_not_followed(project, tmp_path):
    outside = tmp_path / "outside"
    shutil.copytree(project / P2023, outside)
    (outside / "observations.csv").write_text("secret,line\n", encoding="utf-8")
    shutil.rmtree(project / P2023)
    (project / P2023).symlink_to(outside)
    problems = problems_of(project)
    assert any(p.path == P2023 and p.kind == "symlink" for p in problems)
    assert "secret" not in "\n".join(p.text() for p in problems)


def test_downloads_publish_only_declared_regular_files(project, tmp_path):
    """Even with validation bypassed, links and stray files are not copied into the site."""
    (project / P2023 / "leak.txt").symlink_to("/etc/passwd")
    (project / P2023 / "notes.txt").write_text("draft\n", encoding="utf-8")
    (project / "data" / "reference" / "old").mkdir()
    (project / "data" / "reference" / "old" / "x.csv").write_text("a\n", encoding="utf-8")
    published = sorted(name for name, _ in downloads.published_package_files(project))
    periods = sorted(p.name for p in (project / "data" / "periods").iterdir())
    expected = ["reference/datapackage.json"] + [f"reference/{r}.csv" for r in downloads.layout.REFERENCE_RESOURCES]
    for period in periods:
        expected += [f"{period}/datapackage.json"] + [f"{period}/{r}.csv" for r in downloads.layout.PERIOD_RESOURCES]
    if (project / "data" / "boundaries").is_dir():
        expected += [f"boundaries/{name}" for name in downloads.layout.BOUNDARY_FILES]
    assert published == sorted(expected)
    assert (
        dict(downloads.published_package_files(project))["2023/observations.csv"]
        == project / P2023 / "observations.csv"
    )


def test_a_declared_file_that_is_a_link_is_never_published(project, tmp_path):
    obs = project / P2023 / "observations.csv"
    obs.unlink()
    os.symlink("/etc/passwd", obs)
    with pytest.raises(ValueError, match="not a regular file"):
        downloads.published_package_files(project)
