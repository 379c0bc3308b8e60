"""A figure must appear in its own quotation, written as the report writes numbers."""

from __future__ import annotations

import pytest

from scoreboard.data.validate.quotes import in_quote, vi_forms
from tests.conftest import problems_of

from .test_validate import GRADES, OBS, TARGETS, _edit, _find


@pytest.fixture
def project(synthetic_project):
    """The checks are tested on the invented data set (tests/fixtures/synthetic), never on
    the figures of data/, which maintainers change every period."""
    return synthetic_project


@pytest.mark.parametrize(
    "x, quote",
    [
        ("82.2", "đạt 82,2% (tăng 2,6%)"),
        ("1418", "có 1.418 dịch vụ"),
        ("1418", "có 1418 dịch vụ"),
        ("4400", "khoảng 4,4 nghìn dịch vụ"),
        ("2", "có 02 bộ"),
        ("256", "256/tổng số 896 thôn"),
        ("1928311", "1.928.311 tài khoản"),
    ],
)
def test_vietnamese_forms_of_a_number_are_found(x, quote):
    assert in_quote(x, quote)


@pytest.mark.parametrize("x, quote", [("82.7", "đạt 82,2%"), ("1418", "có 1.481 dịch vụ"), ("4400", "4,5 nghìn")])
def test_a_different_number_is_not_found(x, quote):
    assert not in_quote(x, quote)


def test_vi_forms():
    assert vi_forms("71.79") == {"71,79"}
    assert vi_forms("1418") == {"1.418", "1418"}


@pytest.mark.parametrize(
    "rel, column, value",
    [(OBS, "value", "82.7"), (TARGETS, "value", "76"), (GRADES, "count", "3")],
)
def test_a_value_missing_from_its_quote_is_an_error(project, rel, column, value):
    line = _edit(project, rel, 0, **{column: value})
    p = _find(problems_of(project), rel, line, column, "not-in-quote")
    assert p.value.startswith(f"{value}, written ")
    assert "change the quote too" in p.hint and "fix the value" in p.hint
    assert "which gives" in p.message


def test_the_message_names_the_quotes_number(project):
    line = _edit(project, OBS, 0, value="82.7", quote="đạt 82,2%")
    p = _find(problems_of(project), OBS, line, "value", "not-in-quote")
    assert "82,2" in p.message and "82,7" in p.value


def test_a_row_without_a_quote_is_not_checked(project):
    line = _edit(project, OBS, 0, value="82.7", quote="")
    assert not [p for p in problems_of(project) if p.kind == "not-in-quote" and p.row == line]
