"""Mergers and changes of status: who succeeded whom is data, checked against the agencies'
dates, shown on agency pages and in the agencies index, and never rewrites history.

Rules and rendering are tested on the synthetic fixture (tinh-d merged into tinh-e on
2024-01-01 by an invented resolution); the real data is only checked for properties.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from scoreboard.data import model
from scoreboard.derive import agencies
from scoreboard.pages.formatting import Locale
from scoreboard.site import build as site
from tests.conftest import problems_of

from .conftest import make_synthetic_project, read_rows, write_rows

AGENCIES = "data/reference/agencies.csv"
SUCCESSIONS = "data/reference/agency_successions.csv"
SOURCES = "data/reference/sources.csv"


def _edit(root, rel, match: dict, **changes):
    path = root / rel
    rows = read_rows(path)
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, f"{rel}: {match} matches {len(hits)} rows"
    hits[0].update(changes)
    write_rows(path, rows)
    return rows.index(hits[0]) + 2  # the CSV line of the edited row


def _append(root, rel, **row):
    path = root / rel
    rows = read_rows(path)
    rows.append({k: row.get(k, "") for k in rows[0]})
    write_rows(path, rows)
    return len(rows) + 1


def _errors(root, kind=None):
    return [p for p in problems_of(root) if p.is_error and (kind is None or p.kind == kind)]


# --- the validator --------------------------------------------------------------------------


def test_synthetic_merger_is_valid(synthetic_project):
    assert [p.text() for p in _errors(synthetic_project)] == []


def test_predecessor_must_end_the_day_before_the_change(synthetic_project):
    _edit(synthetic_project, AGENCIES, {"id": "tinh-d"}, valid_to="2023-12-30")
    [problem] = _errors(synthetic_project, "succession")
    assert (problem.path, problem.row, problem.column) == (SUCCESSIONS, 2, "date")
    assert "set valid_to of tinh-d to 2023-12-31" in problem.text()


def test_successor_must_begin_on_the_day_of_the_change(synthetic_project):
    _edit(synthetic_project, AGENCIES, {"id": "tinh-e"}, valid_from="2024-02-01")
    [problem] = _errors(synthetic_project, "succession")
    assert (problem.path, problem.row, problem.column) == (SUCCESSIONS, 2, "date")
    assert "set valid_from of tinh-e to 2024-01-01" in problem.text()


def test_an_agency_that_ends_must_say_who_took_over(synthetic_project):
    line = _edit(synthetic_project, AGENCIES, {"id": "tinh-c"}, valid_to="2023-12-31")
    [problem] = _errors(synthetic_project, "succession")
    assert (problem.path, problem.row, problem.column) == (AGENCIES, line, "valid_to")
    assert "agency_successions.csv" in problem.text()


def test_a_transfer_of_functions_ends_nobody(synthetic_project):
    _append(
        synthetic_project,
        SUCCESSIONS,
        predecessor_id="bo-x",
        successor_id="bo-y",
        change="functions_to",
        date="2024-01-01",
        source_id="nghi-quyet-thu-nghiem",
    )
    assert [p.text() for p in _errors(synthetic_project)] == []
    history = agencies.agency_history(model.load(synthetic_project))
    assert [r["successor_id"] for r in history["bo-x"]["successors"]] == ["bo-y"]


def test_a_change_of_agencies_cites_a_legal_document(synthetic_project):
    _edit(synthetic_project, SUCCESSIONS, {"predecessor_id": "tinh-d"}, source_id="synthetic")
    [problem] = _errors(synthetic_project, "succession")
    assert problem.column == "source_id" and "legal_document" in problem.text()


def test_a_legal_document_needs_its_number(synthetic_project):
    line = _edit(synthetic_project, SOURCES, {"id": "nghi-quyet-thu-nghiem"}, document_number="")
    [problem] = _errors(synthetic_project, "source")
    assert (problem.path, problem.row, problem.column) == (SOURCES, line, "document_number")


def test_unknown_agency_in_a_succession_is_named(synthetic_project):
    _edit(synthetic_project, SUCCESSIONS, {"predecessor_id": "tinh-d"}, successor_id="tinh-z")
    problems = _errors(synthetic_project)
    assert any(p.path == SUCCESSIONS and p.column == "successor_id" and p.value == "tinh-z" for p in problems)


def test_a_check_names_an_agency_as_it_was_at_the_period_end(synthetic_project):
    # tinh-d now ends mid-2023: the 2023 checks that name it are reported, even though it
    # existed for half of that year
    _edit(synthetic_project, AGENCIES, {"id": "tinh-d"}, valid_to="2023-06-30")
    _edit(synthetic_project, AGENCIES, {"id": "tinh-e"}, valid_from="2023-07-01")
    _edit(synthetic_project, SUCCESSIONS, {"predecessor_id": "tinh-d"}, date="2023-07-01")
    problems = _errors(synthetic_project, "agency-not-valid")
    assert problems and all(p.path == "data/periods/2023/agency_checks.csv" for p in problems)
    assert "2023-12-31" in problems[0].text()


def test_a_total_that_is_not_the_number_of_agencies_is_a_warning(synthetic_project):
    rel = "data/periods/2024-H1/observations.csv"
    rows = read_rows(synthetic_project / rel)
    index = next(i for i, r in enumerate(rows) if r["breakdown"] == "provinces" and r["denominator"])
    total = str(int(rows[index]["denominator"]) + 1)
    rows[index]["quote"] = rows[index]["quote"].replace(rows[index]["denominator"], total)
    rows[index]["denominator"] = total
    write_rows(synthetic_project / rel, rows)
    problems = problems_of(synthetic_project)
    assert [p.text() for p in problems if p.is_error] == []
    warnings = [p for p in problems if p.kind == "denominator" and p.path == rel]
    assert [(p.path, p.row, p.column) for p in warnings] == [(rel, index + 2, "denominator")]
    assert not warnings[0].is_error and "note_vi" in warnings[0].text()
    # a note that explains the total silences it
    rows[index]["note_en"] = "The report leaves one province out."
    write_rows(synthetic_project / rel, rows)
    assert [p for p in problems_of(synthetic_project) if p.kind == "denominator" and p.path == rel] == []


def test_grade_total_is_compared_with_the_agencies_of_the_period(synthetic_project):
    rel = "data/periods/2024-H1/grade_distribution.csv"
    rows = read_rows(synthetic_project / rel)
    provinces = [r for r in rows if r["agency_group"] == "provinces"]
    for r in provinces:
        r["note_vi"] = r["note_en"] = ""  # the invented set explains its total in a note

    def grade(total: int, extra: int) -> list:
        """Grade the provinces out of `total`, the first grade taking `extra` more."""
        for r in provinces:
            r["total"] = str(total)
        provinces[0]["count"] = str(int(provinces[0]["count"]) + extra)
        for r in provinces:
            r["quote"] = f"{r['grade']}: {r['count']}/{r['total']}"
        write_rows(synthetic_project / rel, rows)
        problems = problems_of(synthetic_project)
        assert [p.text() for p in problems if p.is_error] == []
        return [p for p in problems if p.kind == "denominator" and p.path == rel]

    assert grade(4, 2) == []  # four provinces exist at the end of 2024-H1
    assert [(p.column, p.value) for p in grade(5, 1)] == [("total", "5")]


# --- derivations ----------------------------------------------------------------------------


def test_history_links_both_ways(synthetic):
    history = agencies.agency_history(synthetic)
    assert [(r["successor_id"], r["change"]) for r in history["tinh-d"]["successors"]] == [("tinh-e", "merged_into")]
    assert [r["predecessor_id"] for r in history["tinh-e"]["predecessors"]] == ["tinh-d"]
    assert "tinh-a" not in history


def test_a_league_table_lists_the_agencies_of_the_period_end(synthetic_project):
    """A merger half-way through 2023: the 2023 table lists the new unit, not the old one."""
    _edit(synthetic_project, AGENCIES, {"id": "tinh-d"}, valid_to="2023-06-30")
    _edit(synthetic_project, AGENCIES, {"id": "tinh-e"}, valid_from="2023-07-01")
    _edit(synthetic_project, SUCCESSIONS, {"predecessor_id": "tinh-d"}, date="2023-07-01")
    checks = synthetic_project / "data/periods/2023/agency_checks.csv"
    write_rows(checks, [r for r in read_rows(checks) if r["agency_id"] != "tinh-d"], list(read_rows(checks)[0]))
    assert [p.text() for p in _errors(synthetic_project)] == []
    dataset = model.load(synthetic_project)
    [table] = [t for t in agencies.league_tables(dataset) if (t.period, t.group) == ("2023", "local")]
    assert "tinh-e" in set(table.rows["agency_id"]) and "tinh-d" not in set(table.rows["agency_id"])


def test_today_s_agencies_are_those_that_have_not_ended(synthetic):
    current = set(agencies.current_agencies(synthetic).index)
    assert "tinh-e" in current and "tinh-d" not in current


def test_equal_names_get_the_dates_that_tell_them_apart(synthetic_project):
    _edit(synthetic_project, AGENCIES, {"id": "tinh-e"}, name_vi="Tỉnh Thử Nghiệm D", name_en="Test Province D")
    dataset = model.load(synthetic_project)
    qualifiers = agencies.name_qualifiers(dataset)
    assert qualifiers == {"tinh-d": ("until", "2023-12-31"), "tinh-e": ("from", "2024-01-01")}
    vi, en = Locale("vi"), Locale("en")
    assert vi.agency_name(dataset.agency("tinh-d"), qualifiers["tinh-d"]) == "Tỉnh Thử Nghiệm D (đến 31/12/2023)"
    assert en.agency_name(dataset.agency("tinh-e"), qualifiers["tinh-e"]) == "Test Province D (from 1 January 2024)"
    assert en.agency_name(dataset.agency("tinh-a"), qualifiers.get("tinh-a")) == "Test Province A"


# --- the built site -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def merged_site(tmp_path_factory):
    """The synthetic site, where the unit formed by the merger keeps its predecessor's name."""
    root = make_synthetic_project(tmp_path_factory.mktemp("merged") / "project")
    _edit(root, AGENCIES, {"id": "tinh-e"}, name_vi="Tỉnh Thử Nghiệm D", name_en="Test Province D")
    site.build(root, processes=1)
    return root / "site"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _article(site_dir, page) -> str:
    html = (site_dir / page).read_text(encoding="utf-8")
    return re.search(r"<article.*?</article>", html, re.S).group(0)


@pytest.mark.parametrize(
    "page, sentence, link",
    [
        (
            "agencies/tinh-d/index.html",
            "Hợp nhất vào Tỉnh Thử Nghiệm D (từ 1/1/2024) từ ngày 1/1/2024 (Nghị quyết 1/2023/TN).",
            "../tinh-e/",
        ),
        (
            "en/agencies/tinh-d/index.html",
            "Merged into Test Province D (from 1 January 2024) on 1 January 2024 (Resolution 1/2023/TN).",
            "../tinh-e/",
        ),
        (
            "agencies/tinh-e/index.html",
            "Thành lập ngày 1/1/2024 trên cơ sở Tỉnh Thử Nghiệm D (đến 31/12/2023) (Nghị quyết 1/2023/TN).",
            "../tinh-d/",
        ),
        (
            "en/agencies/tinh-e/index.html",
            "Formed on 1 January 2024 from Test Province D (until 31 December 2023) (Resolution 1/2023/TN).",
            "../tinh-d/",
        ),
    ],
)
def test_agency_pages_tell_the_history_with_links(merged_site, page, sentence, link):
    article = _article(merged_site, page)
    history = re.search(r'<ul class="sb-history">.*?</ul>', article, re.S).group(0)
    assert sentence in _text(history)
    assert f'href="{link}"' in history
    target = (merged_site / page).parent / link / "index.html"
    assert target.resolve().is_file()
    # the document is cited, and listed with its issuer and date on the same page
    assert 'href="#src-nghi-quyet-thu-nghiem"' in history
    assert 'id="src-nghi-quyet-thu-nghiem"' in article


def test_agencies_index_lists_today_s_units_first_and_former_ones_with_their_successor(merged_site):
    for page, former_heading in (
        ("agencies/index.html", "Cơ quan, đơn vị trước đây"),
        ("en/agencies/index.html", "Former agencies and units"),
    ):
        article = _article(merged_site, page)
        current, _, former = article.partition(former_heading)
        assert former, "no section for former units"
        assert 'href="../agencies/tinh-e/"' in current or 'href="tinh-e/"' in current
        assert "tinh-d/" not in current
        item = re.search(r"<li>[^\n]*tinh-d/[^\n]*</li>", former).group(0)
        assert "tinh-e/" in item  # each former unit points to its successor


def test_no_two_rows_of_a_league_table_show_the_same_name(merged_site):
    for page in merged_site.glob("**/agencies/league-*/index.html"):
        html = page.read_text(encoding="utf-8")
        names = [_text(m) for m in re.findall(r'<th scope="row">(.*?)</th>', html, re.S)]
        assert len(names) == len(set(names)), page


def test_a_repeated_name_carries_its_date_where_units_of_both_dates_are_listed(merged_site):
    """The list of agencies names both units with their dates; a league table, which lists the
    units of one date only, names them plainly and says once that the name repeats."""
    listing = (merged_site / "agencies/index.html").read_text(encoding="utf-8")
    assert "Tỉnh Thử Nghiệm D (đến 31/12/2023)" in listing and "Tỉnh Thử Nghiệm D (từ 1/1/2024)" in listing
    html = (merged_site / "agencies/league-2023-provinces/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="row-tinh-d".*?</tr>', html, re.S).group(0)
    assert ">Tỉnh Thử Nghiệm D</a>" in row and "31/12/2023" in html.split("</table>")[1]
    html = (merged_site / "en/agencies/league-2024-H1-provinces/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="row-tinh-e".*?</tr>', html, re.S).group(0)
    assert ">Test Province D</a>" in row and "1 January 2024" in html.split("</table>")[1]


def test_succession_download_lists_every_row(merged_site):
    rows = read_rows(merged_site / "data/agency-successions.csv")
    assert [(r["predecessor_id"], r["successor_id"], r["change"]) for r in rows] == [
        ("tinh-d", "tinh-e", "merged_into")
    ]


# --- properties of whatever data/ holds -----------------------------------------------------


def test_real_data_every_ended_agency_has_a_successor(dataset):
    history = agencies.agency_history(dataset)
    ended = dataset.agencies[dataset.agencies["valid_to"] != ""].index
    for agency_id in ended:
        changes = [r["change"] for r in history.get(agency_id, {}).get("successors", [])]
        assert {"merged_into", "became"} & set(changes), agency_id


def test_real_data_league_tables_list_the_agencies_of_the_period_end(dataset):
    for table in agencies.league_tables(dataset):
        valid = model.agencies_valid_in(dataset, table.period)
        expected = set(valid.index[valid["group"] == table.group])
        assert set(table.rows["agency_id"]) == expected, (table.period, table.group)


def test_real_data_names_never_repeat_without_a_date(dataset):
    qualifiers = agencies.name_qualifiers(dataset)
    for lang in ("vi", "en"):
        loc = Locale(lang)
        names = Counter(loc.agency_name(a, qualifiers.get(a["id"])) for a in dataset.agencies.to_dict("records"))
        assert [name for name, n in names.items() if n > 1] == []


def test_real_data_changes_cite_legal_documents(dataset):
    for row in dataset.agency_successions.to_dict("records"):
        source = dataset.source(row["source_id"])
        assert source["kind"] == "legal_document" and source["document_number"]
