"""What a spreadsheet or a web editor slips into a CSV: each gets one clear message at the
right line and column, and nothing crashes the validator or the build."""

from __future__ import annotations

import csv

import pytest

from scoreboard.data import model
from scoreboard.site import build as site
from tests.conftest import problems_of

from .conftest import read_rows, write_rows
from .test_validate import OBS, TARGETS, _edit, _find


@pytest.fixture
def project(synthetic_project):
    """The checks are tested on the invented data set (tests/fixtures/synthetic), never on
    the figures of data/, which maintainers change every period."""
    return synthetic_project


def _lines(project, rel):
    return (project / rel).read_text(encoding="utf-8").split("\n")


def _write_lines(project, rel, lines):
    (project / rel).write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "Infinity", "-inf", "1e999"])
def test_non_finite_numbers_are_rejected(project, value):
    line = _edit(project, OBS, 0, value=value)
    p = _find(problems_of(project), OBS, line, "value", "not-finite")
    assert p.value == value and "digits" in p.hint


def test_non_finite_bound_of_a_target_is_rejected(project):
    line = _edit(project, TARGETS, 0, value="", low="-Infinity", high="80")
    _find(problems_of(project), TARGETS, line, "low", "not-finite")


@pytest.mark.parametrize(
    "char, name",
    [
        ("\x00", "U+0000 (NUL)"),
        ("\x07", "U+0007 (BEL)"),
        ("\x1b", "U+001B (ESC)"),
        ("\x7f", "U+007F (DEL)"),
        ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u200b", "U+200B (ZERO WIDTH SPACE)"),
    ],
)
def test_invisible_characters_inside_ids_are_named(project, char, name):
    rows = read_rows(project / OBS)
    line = _edit(project, OBS, 0, indicator_id=rows[0]["indicator_id"][:4] + char + rows[0]["indicator_id"][4:])
    p = _find(problems_of(project), OBS, line, "indicator_id", "control-character")
    assert name in p.message and "delete the character" in p.hint


@pytest.mark.parametrize("value", ["share-met\n", "share-met ", " share-met"])
def test_id_with_a_space_or_newline_around_it_is_rejected(project, value):
    line = _edit(project, OBS, 0, indicator_id=value)
    p = _find(problems_of(project), OBS, line, "indicator_id", "id-whitespace")
    assert p.hint == "write share-met with nothing around it"


def test_bel_in_free_text_is_an_error_and_the_build_stops_cleanly(project):
    line = _edit(project, OBS, 0, note_en="Bell \x07 here")
    p = _find(problems_of(project), OBS, line, "note_en", "control-character")
    assert "U+0007 (BEL)" in p.message
    with pytest.raises(site.BuildError) as stopped:
        site.build(project)
    assert any(q.kind == "control-character" for q in stopped.value.args[0])
    assert not (project / "site").exists()


def test_a_multi_line_note_is_allowed_and_keeps_later_line_numbers_right(project):
    rows = read_rows(project / OBS)
    rows[0]["note_en"] = "first line\nsecond line\nthird line"
    rows[2]["value_kind"] = "guessed"
    write_rows(project / OBS, rows)
    problems = problems_of(project)
    assert not any(p.column == "note_en" for p in problems)
    p = _find(problems, OBS, 2 + 2 + 2, "value_kind", "enum")  # row 2 starts on line 6
    assert f"file={OBS},line=6," in p.github()


def test_a_cell_of_any_size_is_read(project):
    _edit(project, OBS, 0, note_en="x" * 200_000)
    csv.field_size_limit(131_072)  # Python's default, whatever an earlier test has set
    assert [p.text()[:200] for p in problems_of(project) if p.is_error] == []
    assert len(model.load(project).observations["note_en"].iloc[0] or "") in (0, 200_000)


def test_duplicate_header_column(project):
    lines = _lines(project, OBS)
    lines = [line + ",x" for line in lines[:1]] + lines[1:]
    lines[0] = lines[0][: -len(",x")] + ",shown"
    _write_lines(project, OBS, lines)
    problems = problems_of(project)
    p = _find(problems, OBS, 1, "shown", "duplicate-column")
    assert "appears 2 times" in p.message
    assert [q for q in problems if q.path == OBS] == [p]


@pytest.mark.parametrize("value", ["True", "1", "yes", "TRUE"])
def test_shown_must_be_lower_case_true_or_false(project, value):
    line = _edit(project, OBS, 0, shown=value)
    problems = problems_of(project)
    p = _find(problems, OBS, line, "shown", "boolean")
    assert p.hint == "write true or false"
    assert [q for q in problems if q.path == OBS and q.row == line] == [p]


@pytest.mark.parametrize("blank", ["", "   ", " , ,"])
def test_a_blank_or_whitespace_only_line_gets_one_message(project, blank):
    lines = _lines(project, OBS)
    lines.insert(3, blank)
    _write_lines(project, OBS, lines)
    problems = [p for p in problems_of(project) if p.path == OBS]
    assert [(p.row, p.kind, p.hint) for p in problems] == [(4, "blank-row", "delete the line")]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+2", "-sum(A1)", "@cmd", "\tindented"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_rejected(project, text):
    line = _edit(project, OBS, 0, note_en=text)
    p = _find(problems_of(project), OBS, line, "note_en", "formula")
    assert "formula" in p.message


def test_a_negative_number_in_a_text_column_is_not_a_formula(project):
    line = _edit(project, OBS, 0, note_en="-12.5")
    assert not [p for p in problems_of(project) if p.row == line and p.path == OBS]


def test_unquoted_comma_decimal_gives_one_message_about_that_cell(project):
    rows = read_rows(project / OBS)
    rows[0].update(value="82.2", quote="đạt 82,2%")
    write_rows(project / OBS, rows)
    lines = _lines(project, OBS)
    assert ",82.2," in lines[1]
    lines[1] = lines[1].replace(",82.2,", ",82,2,", 1)
    _write_lines(project, OBS, lines)
    problems = [p for p in problems_of(project) if p.path == OBS]
    assert len(problems) == 1, "\n".join(p.text() for p in problems)
    assert (problems[0].row, problems[0].column, problems[0].kind) == (2, "value", "comma-decimal")
    assert problems[0].value == "82,2" and "write 82.2" in problems[0].hint


def test_a_missing_cell_names_the_column_that_most_likely_lost_it(project):
    lines = _lines(project, OBS)
    lines[1] = lines[1].replace(",reported,", ",", 1)  # value_kind's cell removed with its comma
    _write_lines(project, OBS, lines)
    problems = [p for p in problems_of(project) if p.path == OBS]
    assert len(problems) == 1, "\n".join(p.text() for p in problems)
    assert (problems[0].row, problems[0].column, problems[0].kind) == (2, "value_kind", "missing-cell")
    assert "most likely missing is value_kind" in problems[0].message and ",," in problems[0].hint
