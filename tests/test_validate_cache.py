"""The validation cache (.cache/validate) only saves time: a second run reports exactly the
same problems without reading the files again through the per-file checks, an edit is
always seen, and a damaged or unwritable cache changes nothing."""

from __future__ import annotations

import pytest

from scoreboard.data.validate import schema, text
from tests.conftest import problems_of

from .test_validate import OBS, _edit, _find

CHECKS = "data/periods/2024-H1/agency_checks.csv"
RAW = "data/periods/2023/observations.csv"  # the file with a raw-text error (edits go to OBS)


@pytest.fixture
def project(synthetic_project):
    """The invented data set with one raw-text error, one Frictionless error and the
    fixture's own warnings, so that every kind of cached result is exercised."""
    _edit(synthetic_project, RAW, 0, value="71,79")  # raw-text layer
    _edit(synthetic_project, CHECKS, 0, status="maybe")  # Frictionless (enum)
    return synthetic_project


def _entries(project):
    return sorted((project / ".cache" / "store" / "validate").glob("*.json"))


def _texts(problems):
    return [p.text() for p in problems]


def _no_per_file_checks(monkeypatch):
    """Make the raw-text layer and Frictionless fail if they are run at all."""

    def fail(*args, **kwargs):
        raise AssertionError("a per-file check ran although its result is cached")

    monkeypatch.setattr(text, "read_text", fail)
    monkeypatch.setattr(schema, "_frictionless_errors", fail)


def test_a_second_run_reports_the_same_problems_from_the_cache(project, monkeypatch):
    first = problems_of(project)
    assert {p.kind for p in first} >= {"comma-decimal", "enum"}
    assert any(e.name.startswith("text-") for e in _entries(project))
    assert any(e.name.startswith("frictionless-") for e in _entries(project))
    _no_per_file_checks(monkeypatch)
    assert problems_of(project) == first


def test_warnings_are_the_same_with_a_warm_cache(synthetic_project, monkeypatch):
    first = problems_of(synthetic_project)
    assert first and not any(p.is_error for p in first)  # the fixture's disagreement warnings
    _no_per_file_checks(monkeypatch)
    assert problems_of(synthetic_project) == first


@pytest.mark.parametrize(
    "column, value, kind",
    [("value", "abc", "wrong-type"), ("value", "1.418", "dot-thousands"), ("breakdown", "everywhere", "enum")],
)
def test_an_edit_after_a_cached_run_is_reported(project, column, value, kind):
    before = problems_of(project)
    line = _edit(project, OBS, 2, **{column: value})
    after = problems_of(project)
    _find(after, OBS, line, column, kind)
    assert set(after) - set(before)


def test_an_error_fixed_after_a_cached_run_is_gone(project):
    line = _edit(project, OBS, 2, value="abc")
    _find(problems_of(project), OBS, line, "value", "wrong-type")
    _edit(project, OBS, 2, value="42")
    assert not [p for p in problems_of(project) if (p.path, p.row, p.kind) == (OBS, line, "wrong-type")]


def test_the_same_bytes_in_another_file_keep_their_own_path(project):
    """Two periods' files with identical bytes are cached apart: each problem names its file."""
    problems_of(project)
    other = "data/periods/2022/observations.csv"
    (project / other).write_bytes((project / RAW).read_bytes())
    problems = problems_of(project)
    assert [p for p in problems if p.path == other and p.kind == "comma-decimal"]
    assert [p for p in problems if p.path == RAW and p.kind == "comma-decimal"]


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"[]", b'{"problems": 3}', b"\xff\xfe", b'[{"type": 1}]', b'{"key": "other", "value": []}'],
)
def test_a_damaged_cache_entry_is_ignored(project, damage):
    first = problems_of(project)
    assert _entries(project)
    for entry in _entries(project):
        entry.write_bytes(damage)
    assert _texts(problems_of(project)) == _texts(first)
    assert _texts(problems_of(project)) == _texts(first)  # and the entries are rewritten whole
    assert all(e.read_bytes() != damage for e in _entries(project))


def test_an_unwritable_cache_only_costs_time(project):
    first = problems_of(project)
    cache = project / ".cache" / "store" / "validate"
    for entry in _entries(project):
        entry.unlink()
    cache.rmdir()
    cache.write_text("not a folder", encoding="utf-8")  # every write fails
    assert _texts(problems_of(project)) == _texts(first)
