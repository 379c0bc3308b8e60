"""A correct data change never turns CI red: typical maintainer edits, applied to a copy of
whatever data/ holds (the synthetic set under SCOREBOARD_DATA_FROM_FIXTURE=1), validate,
build strictly and show on the site. Each edit picks its rows by their properties, never by
a figure or id of today's data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from markupsafe import escape

from scoreboard.data import model, periods
from scoreboard.data.validate.quotes import vi_forms
from scoreboard.derive import agencies, derive_all, series
from scoreboard.maintain import scaffold as maintain
from scoreboard.pages.formatting import Locale
from scoreboard.site import build as site
from tests.conftest import problems_of

from .conftest import copy_data_project, read_rows, write_rows


def errors(root: Path) -> list[str]:
    return [p.text() for p in problems_of(root) if p.is_error]


def append_row(path: Path, row: dict) -> None:
    rows = read_rows(path)
    write_rows(path, rows + [row], list(rows[0].keys()) if rows else list(row.keys()))


def header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[0].split(",")


def latest(root: Path) -> str:
    return periods.sorted_ids(r["id"] for r in read_rows(root / "data/reference/periods.csv"))[-1]


def correct_a_value(root: Path) -> tuple[str, float]:
    """Change a plain figure of the latest period and its quote, as a correction does."""
    path = root / f"data/periods/{latest(root)}/observations.csv"
    rows = read_rows(path)
    i = next(
        i
        for i, r in enumerate(rows)
        if r["shown"] == "true" and r["value_kind"] == "reported" and not r["numerator"] and float(r["value"]) >= 1
    )
    new = round(float(rows[i]["value"]) * 0.99, 2)
    rows[i]["value"] = f"{new:g}"
    rows[i]["quote"] = f"đạt {str(new).replace('.', ',')} (đã đính chính)"
    write_rows(path, rows)
    return rows[i]["indicator_id"], new


def add_a_period(root: Path, observations: list[dict], check: dict) -> str:
    """The half year after the newest period, with a few figures and one agency check."""
    newest = periods.parse(latest(root))
    period_id = f"{newest.year}-H2" if newest.part == "H1" else f"{newest.end.year + 1}-H1"
    maintain.new_period(root, period_id)
    folder = root / f"data/periods/{period_id}"
    for o in observations:
        append_row(
            folder / "observations.csv",
            dict(dict.fromkeys(header(folder / "observations.csv"), ""), **o, period=period_id),
        )
    append_row(
        folder / "agency_checks.csv",
        dict(dict.fromkeys(header(folder / "agency_checks.csv"), ""), **check, period=period_id),
    )
    return period_id


def record_merger(root: Path, old_id: str, new_id: str, on: dt.date) -> None:
    """Merge old_id into a new agency from `on`, as CONTRIBUTING says: the old row gets
    valid_to, the new unit its own row with valid_from, and agency_successions.csv the change,
    citing a legal document added to sources.csv."""
    path = root / "data/reference/agencies.csv"
    rows = read_rows(path)
    old = next(r for r in rows if r["id"] == old_id)
    old["valid_to"] = (on - dt.timedelta(days=1)).isoformat()
    new = dict(old, id=new_id, statistical_code="", valid_from=on.isoformat(), valid_to="")
    new.update(name_vi=f"{old['name_vi']} (mới)", name_en=f"{old['name_en']} (new)", note_vi="", note_en="")
    write_rows(path, rows + [new], list(rows[0].keys()))
    sources = root / "data/reference/sources.csv"
    document = dict.fromkeys(read_rows(sources)[0], "")
    document.update(
        id="nghi-quyet-test-merger",
        kind="legal_document",
        title_vi="Nghị quyết thử nghiệm về sáp nhập",
        title_en="Test resolution on a merger",
        title_is_descriptive="true",
        publisher_vi="Quốc hội",
        publisher_en="National Assembly",
        document_type="resolution",
        document_number="999/2099/TEST",
        date=(on - dt.timedelta(days=30)).isoformat(),
    )
    append_row(sources, document)
    append_row(
        root / "data/reference/agency_successions.csv",
        dict(
            predecessor_id=old_id,
            successor_id=new_id,
            change="merged_into",
            date=on.isoformat(),
            source_id="nghi-quyet-test-merger",
            note_vi="",
            note_en="",
        ),
    )


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    root = copy_data_project(tmp_path_factory.mktemp("edited") / "project")
    before = model.load(root)
    source_id = read_rows(root / "data/reference/sources.csv")[0]["id"]
    facts = {}

    facts["corrected"] = correct_a_value(root)
    assert errors(root) == []

    # a new indicator with a target, reported in a new period beside one existing indicator
    indicator = dict(
        read_rows(root / "data/reference/indicators.csv")[0],
        id="maintainer-test-indicator",
        unit="percent",
        higher_is_better="true",
        measure="level",
        name_vi="Chỉ tiêu thêm mới để kiểm thử",
        name_en="Indicator added by a test",
        definition_vi="Thêm bởi kiểm thử.",
        definition_en="Added by a test.",
    )
    append_row(root / "data/reference/indicators.csv", indicator)
    year = periods.parse(latest(root)).end.year + 2
    target = dict.fromkeys(header(root / "data/reference/targets.csv"), "")
    target.update(
        indicator_id=indicator["id"],
        target_period=str(year),
        breakdown="nationwide",
        value="60",
        comparison="at_least",
        source_id=source_id,
        shown="true",
        quote="mục tiêu 60%",
    )
    append_row(root / "data/reference/targets.csv", target)
    existing = series.shown_observations(before)
    other = existing[existing["numerator"].isna() & (existing["value_kind"] == "reported")].iloc[-1]
    other_value = f"{other['value']:g}"
    common = {"breakdown": "nationwide", "value_kind": "reported", "source_id": source_id, "shown": "true"}
    agencies = before.agencies[before.agencies["valid_to"].eq("")]
    agency_id = agencies.index[0]
    criterion_id = before.criteria.index[0]
    facts["period"] = add_a_period(
        root,
        [
            dict(common, indicator_id=indicator["id"], value="42.5", quote="đạt 42,5%"),
            dict(
                common,
                indicator_id=other["indicator_id"],
                breakdown=other["breakdown"],
                value=other_value,
                quote=f"đạt {sorted(vi_forms(other_value))[0]}",
            ),
        ],
        dict(agency_id=agency_id, criterion_id=criterion_id, status="met", source_id=source_id, quote="đã đạt"),
    )
    facts["new_indicator"] = indicator["id"]
    assert errors(root) == []

    # a per-agency grade in the newest period
    grades = root / f"data/periods/{facts['period']}/agency_grades.csv"
    append_row(
        grades,
        dict(period=facts["period"], agency_id=agency_id, grade="C", source_id=source_id, quote="xếp loại C"),
    )
    facts["graded"] = agency_id
    assert errors(root) == []

    # a merger after the newest period
    on = periods.parse(facts["period"]).end + dt.timedelta(days=1)
    merged = next(
        a
        for a in agencies.index
        if a != agency_id and agencies.at[a, "kind"] == "province" and agencies.at[a, "valid_from"] <= on.isoformat()
    )
    record_merger(root, merged, "maintainer-test-merged", on)
    facts["merged"] = (merged, "maintainer-test-merged")
    assert errors(root) == []

    site.build(root, strict=True)
    return root, before, model.load(root), facts


def page(root, path):
    return (root / "site" / path).read_text(encoding="utf-8")


def test_a_corrected_value_shows_in_both_languages(edited):
    root, _, after, facts = edited
    indicator_id, value = facts["corrected"]
    unit = after.unit_of(indicator_id)
    for lang, prefix in (("vi", ""), ("en", "en/")):
        text = Locale(lang).value({"value": value, "value_kind": "reported"}, unit)
        assert str(escape(text)) in page(root, f"{prefix}indicators/{indicator_id}/index.html")


def test_a_new_period_and_indicator_with_a_target_are_built_and_judged(edited):
    root, before, after, facts = edited
    assert f"periods/{facts['period']}/index.html" in {
        p.relative_to(root / "site").as_posix() for p in (root / "site/periods").rglob("index.html")
    } | {f"periods/{p.name}/index.html" for p in (root / "site/periods").iterdir()}
    new = page(root, f"en/indicators/{facts['new_indicator']}/index.html")
    assert "Indicator added by a test" in new and "42.5%" in new
    now = derive_all(after).headlines
    verdict = now[facts["new_indicator"]].verdict
    assert (verdict.verdict, verdict.reason) == ("too_little_data", "one_figure")  # one figure below its target
    # a half year with two figures does not make a yearly figure stale (methodology: too little data)
    earlier = derive_all(before).headlines
    newly_stale = [
        i
        for i, h in earlier.items()
        if h.verdict is not None
        and h.verdict.reason != "not_recent"
        and h.latest is not None
        and periods.parse(h.latest["period"]).months == 12
        and now[i].verdict is not None
        and now[i].verdict.target_period == h.verdict.target_period
        and now[i].verdict.reason == "not_recent"
    ]
    assert newly_stale == []


def test_a_per_agency_grade_shows_in_the_league_table(edited):
    root, _, after, facts = edited
    table = next(t for t in agencies.league_tables(after) if t.period == facts["period"])
    assert table.has_grades
    assert facts["graded"] in set(table.rows["agency_id"])
    assert f'<tr id="row-{facts["graded"]}"' in page(
        root, f"agencies/league-{facts['period']}-{agencies.GROUP_BREAKDOWN[table.group]}/index.html"
    )


def test_a_merged_agency_keeps_its_page_and_the_new_one_gets_one(edited):
    root, _, after, facts = edited
    old, new = facts["merged"]
    for lang, prefix in (("vi", ""), ("en", "en/")):
        end = Locale(lang).date(after.agency(old)["valid_to"])
        assert end in page(root, f"{prefix}agencies/{old}/index.html")  # its history stays, with its end
        assert str(escape(after.agency(new)[f"name_{lang}"])) in page(root, f"{prefix}agencies/{new}/index.html")
        # each page links to the other: the history reaches the new unit and back
        assert f'href="../{new}/"' in page(root, f"{prefix}agencies/{old}/index.html")
        assert f'href="../{old}/"' in page(root, f"{prefix}agencies/{new}/index.html")
