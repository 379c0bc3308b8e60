"""Provenance: every report's text is in the archive of reports, and every quotation is word
for word in its report (scoreboard/data/validate/archive.py; the archive's place is one
setting, SCOREBOARD_REPORTS, see scoreboard/data/reports.py).

The real reports live outside the repository. Where they are missing the test on the real
data skips, unless REQUIRE_SEEDS=1 (set by .ci/run beside them), which makes it mandatory.
The rule itself is tested on the synthetic set with an invented archive.
"""

from __future__ import annotations

import os

import pytest

import build_site
from scoreboard.data import reports
from scoreboard.data.validate.archive import matched_prefix
from scoreboard.derive import quality

from .conftest import REPORTS, ROOT, read_rows, write_rows
from .test_validate import OBS, _edit

PROVENANCE = ("seed-file", "quote-not-in-report")


def test_every_quote_of_the_real_data_is_word_for_word_in_its_report():
    if not REPORTS.is_dir():
        if os.environ.get("REQUIRE_SEEDS") == "1":
            pytest.fail(f"the source reports are required but {REPORTS} does not exist")
        pytest.skip(f"source reports not found at {REPORTS}")
    problems, _ = quality.check(ROOT, reports_dir=REPORTS)
    assert [p.text() for p in problems if p.kind in PROVENANCE] == []


def _quoted_rows(root):
    for path in sorted(root.glob("data/periods/*/*.csv")) + [root / "data/reference/targets.csv"]:
        yield from (r for r in read_rows(path) if r.get("quote"))


@pytest.fixture
def archived(synthetic_project, tmp_path, monkeypatch):
    """The synthetic project with an archive that holds its report: every quotation of the
    invented set, one per line, in synthetic.txt."""
    folder = tmp_path / "reports"
    folder.mkdir()
    text = "\n".join(r["quote"] for r in _quoted_rows(synthetic_project))
    (folder / "synthetic.txt").write_text("Báo cáo thử nghiệm.\n" + text + "\n", encoding="utf-8")
    monkeypatch.setenv(reports.ENV, str(folder))
    return synthetic_project


def _provenance(root):
    return [p for p in quality.check(root)[0] if p.kind in PROVENANCE]


def test_with_the_archive_every_quote_is_found(archived):
    assert _provenance(archived) == []


def test_a_quote_not_in_its_report_is_an_error_on_its_line(archived):
    rows = read_rows(archived / OBS)
    index = next(i for i, r in enumerate(rows) if r["source_id"] == "synthetic" and len(r["quote"]) > 20)
    quote = rows[index]["quote"]
    line = _edit(archived, OBS, index, quote=quote[:12] + " một chữ khác " + quote[12:])
    found = _provenance(archived)
    assert [(p.path, p.row, p.column, p.kind, p.is_error) for p in found] == [
        (OBS, line, "quote", "quote-not-in-report", True)
    ]
    assert "synthetic.txt" in found[0].hint and f"'…{quote[:12].strip()}" in found[0].message


def test_spaces_and_bold_do_not_count(archived):
    rows = read_rows(archived / OBS)
    index = next(i for i, r in enumerate(rows) if " " in r["quote"] and r["source_id"] == "synthetic")
    _edit(archived, OBS, index, quote="**" + rows[index]["quote"].replace(" ", "  \u00a0", 1) + "**")
    assert _provenance(archived) == []


def test_a_seed_file_that_names_no_file_in_the_archive_is_an_error(archived):
    sources = archived / "data/reference/sources.csv"
    rows = read_rows(sources)
    rows[0]["seed_file"] = "synthetc.txt"
    write_rows(sources, rows)
    found = _provenance(archived)
    assert [(p.path, p.row, p.column, p.kind) for p in found] == [
        ("data/reference/sources.csv", 2, "seed_file", "seed-file")
    ]
    assert "did you mean synthetic.txt?" in found[0].hint


@pytest.mark.parametrize("name", ["../synthetic.txt", "sub/synthetic.txt", ".."])
def test_a_seed_file_is_a_name_never_a_path(archived, name):
    sources = archived / "data/reference/sources.csv"
    rows = read_rows(sources)
    rows[0]["seed_file"] = name
    write_rows(sources, rows)
    assert [p.message for p in _provenance(archived)] == ["seed_file is a file name, not a path"]


def test_a_report_text_that_is_not_utf8_is_named(archived):
    folder = reports.location(archived)
    (folder / "synthetic.txt").write_bytes("Báo cáo".encode("cp1258"))
    found = _provenance(archived)
    assert {p.message for p in found} == {
        f"the report's text in {reports.shown_path(archived, folder)} is not UTF-8 text"
    }


def test_a_relative_setting_is_read_from_the_projects_root(synthetic_project, monkeypatch):
    monkeypatch.setenv(reports.ENV, "texts")
    assert reports.location(synthetic_project) == synthetic_project / "texts"
    monkeypatch.delenv(reports.ENV)
    assert reports.location(synthetic_project) == synthetic_project / ".." / "shared" / "seeds"


def test_without_the_archive_nothing_is_checked_and_validate_says_so_in_one_line(
    synthetic_project, monkeypatch, capsys
):
    sources = synthetic_project / "data/reference/sources.csv"
    rows = read_rows(sources)
    rows[0]["seed_file"] = "nowhere.txt"
    write_rows(sources, rows)
    assert _provenance(synthetic_project) == []
    monkeypatch.setattr(build_site, "ROOT", synthetic_project)
    build_site.main(["validate"])
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if "NOT checked" in line] == [reports.status_line(synthetic_project)]
    build_site.main(["validate", "--format", "github"])
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("::notice")] == [
        f"::notice title=reports::{reports.status_line(synthetic_project)}"
    ]


def test_with_the_archive_validate_says_where_it_is(archived, monkeypatch, capsys):
    monkeypatch.setattr(build_site, "ROOT", archived)
    build_site.main(["validate"])
    assert "quotations checked word for word against the report texts in" in capsys.readouterr().err


def test_the_message_says_where_the_quote_departs_from_the_report():
    assert matched_prefix("đạt 82,2%", "... đạt 82,7% ...") == len("đạt 82,")
    assert matched_prefix("xyz", "abc") == 0
    assert matched_prefix("abc", "xxabcxx") == 3
