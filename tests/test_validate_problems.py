"""How problems are shown: nothing from the data can inject Markdown into the job summary,
drive a terminal, or break a GitHub annotation; counts read '1 error'; near misses get a
suggestion; an empty required cell says where the allowed values are."""

from __future__ import annotations

import re

import pytest

from scoreboard.data.problems import Problem, counts_text, summary_markdown
from tests.conftest import problems_of

from .test_validate import CHECKS, OBS, _edit, _find

HOSTILE = "x | y\n# heading [link](http://e.com) ![img](http://e.com/i.png) <img src=x> `code` www.e.com \x07\u202e"


@pytest.fixture
def project(synthetic_project):
    """The checks are tested on the invented data set (tests/fixtures/synthetic), never on
    the figures of data/, which maintainers change every period."""
    return synthetic_project


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ❌")]


def test_summary_escapes_everything_that_comes_from_the_data():
    p = Problem("data/a|b`c.csv", 2, HOSTILE, f"unknown agency {HOSTILE}", HOSTILE, f"did you mean {HOSTILE}?")
    text = summary_markdown([p])
    (row,) = _rows(text)  # one line: no newline escaped into the table
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # six cells, no extra table break
    outside_code = re.sub(r"\((`{2,}) .*? \1\)|(`{2,}) .*? \2", "", row)  # the path and the value, shown literally
    assert outside_code.count("`") == outside_code.count("\\`") == 6  # `code` in column, message, hint
    for raw in ("[", "]", "(", "<", ">", "#", "!", ":", "."):  # links, images, HTML, headings, autolinks
        assert not re.search(r"(?<!\\)" + re.escape(raw), outside_code.replace("\\\\", "")), raw
    assert "\x07" not in text and "\u202e" not in text and "\\x07" in text


def test_terminal_text_shows_control_characters_escaped():
    p = Problem("data/a.csv", 2, "note_en", "bad", "a\x1b[31mred\x07\u202eb\nc")
    assert p.text() == "data/a.csv:2: note_en: bad (a\\x1b[31mred\\x07\\u202eb\\nc)"


def test_github_annotation_escapes_properties_and_data():
    p = Problem("data/a,b:c.csv", 4, "x:y,z", "50%\r\nnext", "\x07", kind="k")
    assert p.github() == "::error file=data/a%2Cb%3Ac.csv,line=4,title=x%3Ay%2Cz%3A k::50%25%0D%0Anext (\\x07)"


def test_counts_are_singular_for_one():
    one = [Problem("a", 1, "", "m"), Problem("a", 2, "", "m", severity="warning")]
    assert counts_text(one) == "1 error, 1 warning"
    assert counts_text(one * 2) == "2 errors, 2 warnings"
    assert "**1** error, **1** warning." in summary_markdown(one)


def test_unknown_id_close_to_a_known_one_gets_a_suggestion(project):
    line = _edit(project, OBS, 0, indicator_id="share-mett")
    p = _find(problems_of(project), OBS, line, "indicator_id", "unknown-indicator")
    assert p.hint.startswith("did you mean share-met? Otherwise use an id from data/reference/indicators.csv")


def test_unknown_id_far_from_any_gets_no_suggestion(project):
    line = _edit(project, OBS, 0, indicator_id="zzz")
    p = _find(problems_of(project), OBS, line, "indicator_id", "unknown-indicator")
    assert "did you mean" not in p.hint


def test_empty_required_cell_says_where_the_allowed_values_are(project):
    problems = problems_of(project)
    assert not [p for p in problems if p.kind == "required"]
    line = _edit(project, CHECKS, 0, status="", agency_id="")
    problems = problems_of(project)
    status = _find(problems, CHECKS, line, "status", "required")
    assert status.hint.startswith("fill it in with one of: met, not_met, unknown")
    agency = _find(problems, CHECKS, line, "agency_id", "required")
    assert agency.hint == "fill it in with an id from data/reference/agencies.csv"
