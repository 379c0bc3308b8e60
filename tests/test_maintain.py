"""Maintainer tools: new-period, the data diff, and the CI annotation and summary formats,
on copies of the synthetic set (no figure of data/ is named here)."""

from __future__ import annotations

import subprocess

import pytest

from scoreboard.data import layout
from scoreboard.data.problems import Problem, summary_markdown
from scoreboard.maintain import diff
from scoreboard.maintain import scaffold as maintain
from tests.conftest import problems_of

from .conftest import read_rows, write_rows


def test_new_period_creates_a_package_that_validates_once_filled(synthetic_project):
    project = synthetic_project
    created = maintain.new_period(project, "2024-H2")
    folder = project / "data/periods/2024-H2"
    assert folder / "observations.csv" in created and (folder / "datapackage.json").exists()
    assert (folder / "observations.csv").read_text(encoding="utf-8").startswith("indicator_id,period,breakdown,value")
    assert any(
        r["id"] == "2024-H2" and r["end"] == "2024-12-31" for r in read_rows(project / "data/reference/periods.csv")
    )
    assert [p.text() for p in problems_of(project) if p.is_error] == []
    header = (folder / "observations.csv").read_text(encoding="utf-8")
    (folder / "observations.csv").write_text(
        header + 'share-met,2024-H2,nationwide,83.5,,,reported,synthetic,true,"a verbatim sentence: đạt 83,5%",,\n',
        encoding="utf-8",
    )
    assert [p.text() for p in problems_of(project) if p.is_error] == []
    (folder / "observations.csv").write_text(
        header + 'share-met,2024-H2,nationwide,"83,5",,,reported,synthetic,true,x,,\n',
        encoding="utf-8",
    )
    assert any(p.kind == "comma-decimal" for p in problems_of(project))


@pytest.mark.parametrize("bad", ["2024-H3", "24-H1", "2024/H1"])
def test_new_period_refuses_a_malformed_id(synthetic_project, bad):
    with pytest.raises(maintain.MaintainError, match="not a period id"):
        maintain.new_period(synthetic_project, bad)


def test_new_period_refuses_an_existing_period(synthetic_project):
    with pytest.raises(maintain.MaintainError, match="already exists"):
        maintain.new_period(synthetic_project, "2024-H1")


def _git(root, *args):
    subprocess.run(
        ["git", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "HOME": str(root),
            "PATH": "/usr/bin:/bin",
        },
    )


def test_diff_reports_changed_values_added_periods_and_removed_agencies(synthetic_project):
    project = synthetic_project
    _git(project, "init", "-q")
    _git(project, "add", "data")
    _git(project, "commit", "-qm", "base")
    obs = project / "data/periods/2023/observations.csv"
    rows = read_rows(obs)
    index = next(i for i, r in enumerate(rows) if r["indicator_id"] == "share-met")
    rows[index]["value"] = "50.25"
    write_rows(obs, rows)
    agencies = project / "data/reference/agencies.csv"
    write_rows(agencies, [r for r in read_rows(agencies) if r["id"] != "tinh-c"])
    maintain.new_period(project, "2024-H2")

    changes = diff.diff_against(project, "HEAD")
    text = diff.format_text(changes)
    assert "changed indicator share-met, period 2023 (nationwide, synthetic): 50 -> 50,25" in text
    assert "removed agency tinh-c (Tỉnh Thử Nghiệm C)" in text
    assert "added   period 2024-H2" in text
    markdown = diff.format_markdown(changes, "HEAD")
    assert "| `data/periods/2023/observations.csv` | 0 | 0 | 1 |" in markdown


def test_diff_of_identical_states_is_empty():
    assert (
        diff.diff_trees(
            {"data/x/periods.csv": "id,start,end\n2022,a,b\n"},
            {"data/x/periods.csv": "id,start,end\n2022,a,b\n"},
            _schemas(),
        )
        == []
    )


def _schemas():

    return layout.SCHEMAS


def test_a_broken_csv_becomes_an_annotation_on_its_line(synthetic_project):
    obs = synthetic_project / "data/periods/2024-H1/observations.csv"
    rows = read_rows(obs)
    rows[4]["value"] = "1.418"
    write_rows(obs, rows)
    problem = next(p for p in problems_of(synthetic_project) if p.kind == "dot-thousands")
    assert problem.github().startswith(
        "::error file=data/periods/2024-H1/observations.csv,line=6,title=value%3A dot-thousands::"
    )
    assert "(1.418)" in problem.github()


def test_annotation_escapes_newlines_and_percent():
    p = Problem("a,b.csv", 3, "c", "50% off\nnext", severity="warning", kind="k")
    assert p.github() == "::warning file=a%2Cb.csv,line=3,title=c%3A k::50%25 off%0Anext"


def test_summary_table_is_bilingual_and_lists_each_problem():
    problems = [
        Problem("data/x.csv", 2, "value", "bad | value", "7,5", "write 7.5", kind="comma-decimal"),
        Problem("data/y.csv", 0, "", "disagree", severity="warning", kind="sources-disagree"),
    ]
    text = summary_markdown(problems)
    assert "Kiểm tra dữ liệu / Data validation" in text
    assert "**1** lỗi, **1** cảnh báo" in text and "**1** error, **1** warning" in text
    assert "| ❌ lỗi / error | `data/x.csv` | 2 | value | bad \\| value (`7,5`) | write 7\\.5 |" in text
    assert summary_markdown([]).count("✅") == 1
