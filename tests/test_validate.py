"""The validator: the real data passes; each kind of mistake a maintainer can make is
caught and reported at the right file, line and column."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from scoreboard.data.problems import Problem
from tests.conftest import problems_of

from .conftest import ROOT, read_rows, write_rows

OBS = "data/periods/2024-H1/observations.csv"
CHECKS = "data/periods/2024-H1/agency_checks.csv"
GRADES = "data/periods/2024-H1/grade_distribution.csv"
TARGETS = "data/reference/targets.csv"


@pytest.fixture
def project(synthetic_project):
    """The checks are tested on the invented data set (tests/fixtures/synthetic), never on
    the figures of data/, which maintainers change every period."""
    return synthetic_project


def test_real_data_has_no_errors():
    problems = problems_of(ROOT)
    assert [p.text() for p in problems if p.is_error] == []


def test_disagreements_are_warnings_that_fix_nothing(project):
    """Two sources on one figure, and a count against a named list (the invented set has one
    of each): warnings that name both numbers, and the data is left as it is."""
    warnings = [p for p in problems_of(project) if not p.is_error]
    texts = "\n".join(p.text() for p in warnings)
    assert "(other) vs" in texts and "(synthetic, shown)" in texts  # hostile-text: two sources
    assert "(2/4)" in texts and "1 agencies are named" in texts  # plan: 2/4 against one named


def _edit(project, rel, row_index, **changes):
    path = project / rel
    rows = read_rows(path)
    rows[row_index].update(changes)
    write_rows(path, rows)
    return row_index + 2  # the editor line: header is line 1


def _index(project, rel, **match):
    rows = read_rows(project / rel)
    return next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))


def _find(problems, path, row, column, kind) -> Problem:
    hits = [p for p in problems if (p.path, p.row, p.column, p.kind) == (path, row, column, kind)]
    assert hits, "expected a problem at {}:{} {} [{}], got:\n{}".format(
        path, row, column, kind, "\n".join(p.text() for p in problems)
    )
    assert hits[0].is_error
    return hits[0]


def test_wrong_type(project):
    line = _edit(project, OBS, 0, value="abc")
    p = _find(problems_of(project), OBS, line, "value", "wrong-type")
    assert "abc" in p.text() and "71.79" in p.hint


def test_comma_decimal_gets_a_hint_with_the_dot_form(project):
    line = _edit(project, OBS, 0, value="71,79")
    p = _find(problems_of(project), OBS, line, "value", "comma-decimal")
    assert "write 71.79" in p.hint


def test_dot_thousands_is_not_silently_read_as_a_decimal(project):
    line = _edit(project, OBS, 3, value="1.418")
    p = _find(problems_of(project), OBS, line, "value", "dot-thousands")
    assert "write 1418" in p.hint


def test_percentage_over_100(project):
    index = _index(project, OBS, indicator_id="share-met")
    line = _edit(project, OBS, index, value="822")
    p = _find(problems_of(project), OBS, line, "value", "out-of-range")
    assert "between 0 and 100" in p.message


@pytest.mark.parametrize(
    "rel, column, value, kind",
    [
        (OBS, "indicator_id", "no-such-indicator", "unknown-indicator"),
        (OBS, "source_id", "no-such-report", "unknown-source"),
        (CHECKS, "agency_id", "atlantis", "unknown-agency"),
        (CHECKS, "criterion_id", "no-such-criterion", "unknown-criterion"),
        (OBS, "period", "2023", "unknown-period"),
    ],
)
def test_unknown_references_across_packages(project, rel, column, value, kind):
    line = _edit(project, rel, 1, **{column: value})
    p = _find(problems_of(project), rel, line, column, kind)
    assert value in p.text()


def test_duplicate_key(project):
    path = project / OBS
    rows = read_rows(path)
    write_rows(path, rows + [rows[0]])
    _find(problems_of(project), OBS, len(rows) + 2, "indicator_id+period+breakdown+source_id", "duplicate-key")


def test_missing_column(project):
    path = project / OBS
    rows = read_rows(path)
    columns = [c for c in rows[0] if c != "quote"]
    write_rows(path, [{c: r[c] for c in columns} for r in rows], columns)
    _find(problems_of(project), OBS, 1, "quote", "missing-column")


def test_unexpected_column(project):
    path = project / OBS
    rows = [dict(r, comment="x") for r in read_rows(path)]
    write_rows(path, rows)
    _find(problems_of(project), OBS, 1, "comment", "extra-column")


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # the five Vietnamese tones, combining


def to_windows_1258(text: str) -> bytes:
    """Encode like a legacy Vietnamese editor: letters cp1258 has precomposed (ư, ơ, â...)
    stay whole, tone marks become separate combining characters."""
    letters, tones, result = "", "", []
    for char in unicodedata.normalize("NFD", text) + "\0":
        if char in TONE_MARKS:
            tones += char
        elif unicodedata.combining(char):
            letters += char
        else:
            if letters:
                result.append(unicodedata.normalize("NFC", letters) + tones)
            letters, tones = char, ""
    return "".join(result).encode("cp1258", errors="replace")  # e.g. superscripts become "?"


def test_windows_1258_file_is_refused(project):
    path = project / CHECKS
    path.write_bytes(to_windows_1258(path.read_text(encoding="utf-8")))
    p = _find(problems_of(project), CHECKS, 2, "", "encoding")
    assert "UTF-8" in p.message and "Windows-1258" in p.hint


def test_text_not_in_nfc_is_refused(project):
    rows = read_rows(project / OBS)
    line = _edit(project, OBS, 0, quote=unicodedata.normalize("NFD", f"đạt {rows[0]['value']} phần trăm"))
    _find(problems_of(project), OBS, line, "quote", "not-nfc")


def test_empty_file(project):
    (project / GRADES).write_text("", encoding="utf-8")
    p = _find(problems_of(project), GRADES, 1, "", "empty-file")
    assert "period,agency_group,grade,count,total" in p.hint


def test_grade_outside_a_to_e(project):
    line = _edit(project, GRADES, 2, grade="F")
    p = _find(problems_of(project), GRADES, line, "grade", "grade")
    assert "A, B, C, D, E" in p.hint


def test_malformed_period_id(project):
    line = _edit(project, OBS, 0, period="2024-H3")
    _find(problems_of(project), OBS, line, "period", "malformed-period")


def test_target_low_above_high(project):
    index = _index(project, TARGETS, indicator_id="share-range")
    line = _edit(project, TARGETS, index, low="70", high="65")
    _find(problems_of(project), TARGETS, line, "low", "target-low-above-high")


def test_two_rows_shown_for_one_figure(project):
    index = _index(project, OBS, indicator_id="hostile-text", source_id="other")
    _edit(project, OBS, index, shown="true")
    first = min(index, _index(project, OBS, indicator_id="hostile-text", source_id="synthetic"))
    _find(problems_of(project), OBS, first + 2, "shown", "shown")  # reported at the first of the two


def test_agency_outside_its_validity_is_refused(project):
    path = project / "data/reference/agencies.csv"
    rows = read_rows(path)
    for r in rows:
        if r["id"] == "tinh-b":
            r["valid_to"] = "2023-12-31"
    write_rows(path, rows)
    index = _index(project, CHECKS, agency_id="tinh-b", criterion_id="plan")
    _find(problems_of(project), CHECKS, index + 2, "agency_id", "agency-not-valid")


def test_cli_prints_one_line_per_problem_and_exits_1(project):
    line = _edit(project, OBS, 0, value="71,79")
    code = (
        "import sys; from scoreboard.derive import quality; "
        f"ps = quality.check(__import__('pathlib').Path({str(project)!r}))[0]; "
        "[print(p.text()) for p in ps]; sys.exit(1 if any(p.is_error for p in ps) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert (
        f"{OBS}:{line}: value: the number uses a comma as decimal mark (71,79) -> write 71.79 (dot decimal)"
        in result.stdout.splitlines()
    )


def test_build_site_validate_exits_0_on_the_real_data():
    result = subprocess.run([sys.executable, "build_site.py", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stderr
