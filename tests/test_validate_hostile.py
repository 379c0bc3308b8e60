"""Hostile and accidental input (issue 29): each gets one clear message that says what to do,
and validate, build and new-period end with a non-zero exit, never a traceback. On the
synthetic set."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil

import pandas as pd
import pytest

import build_site
from scoreboard.data import escaping, model, numbers, periods

from .conftest import ROOT, problems_of
from .test_validate import OBS, _edit


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def project(synthetic_project):
    return synthetic_project


def _errors(project):
    return [p for p in problems_of(project) if p.is_error]


# --- numbers: validation and the model read them by one rule ------------------------------------

WRITTEN = ["71.79", "1418", "-2.5", "+3", "0.5", ".5", "5.", "1e3", "2E-2"]
NOT_WRITTEN = ["8_2", " 82", "82 ", "８２", "١٢", "82%", "0x10", "1,5", "1 418", "--1", "e3", "", "1e", "₫5"]


@pytest.mark.parametrize("text", WRITTEN + NOT_WRITTEN)
def test_validation_and_the_model_agree_on_what_a_number_is(text):
    schema = {"fields": [{"name": "x", "type": "number"}]}
    read = model._typed(pd.DataFrame({"x": [text], "_line": [2]}), schema)["x"].iloc[0]
    assert numbers.is_written_as_number(text) == (text in WRITTEN) == (not pd.isna(read))
    if text in WRITTEN:
        assert read == float(text) == numbers.parse(text)


@pytest.mark.parametrize("text", ["21", "-3", "+0"])
def test_a_whole_number_is_digits_only(text):
    assert numbers.is_written_as_number(text, integer=True)
    assert not numbers.is_written_as_number(text + ".0", integer=True)


@pytest.mark.parametrize("value", ["8_2", "８２", "82%", " 82"])
def test_a_number_the_model_cannot_read_is_one_error(project, value):
    line = _edit(project, OBS, 0, value=value)
    found = [p for p in _errors(project) if p.row == line]
    assert [(p.path, p.column) for p in found] == [(OBS, "value")]
    assert found[0].kind == "wrong-type" and "71.79" in found[0].hint and "show it as empty" in found[0].message


# --- inputs that once ended in a traceback: one clear message and a non-zero exit instead -------


def _nested(depth: int = 200_000) -> str:
    return "[" * depth + "]" * depth


def _rehash(project):
    """Keep data/boundaries/datapackage.json true to an edited TopoJSON (as make_boundaries does)."""
    folder = project / "data/boundaries"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    raw = (folder / "vn-provinces-63.topojson").read_bytes()
    descriptor["resources"][0].update(bytes=len(raw), hash="sha256:" + hashlib.sha256(raw).hexdigest())
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def _break(project, case):
    """Apply one hostile input; returns (path, words) the one message must name."""
    if case == "nested-descriptor":
        (project / "data/periods/2024-H1/datapackage.json").write_text(_nested(), encoding="utf-8")
        return "data/periods/2024-H1/datapackage.json", "nested too deeply"
    if case == "newline-folder":
        shutil.copytree(project / "data/periods/2025-H1", project / "data/periods/2024-H2\n")
        return "data/periods/2024-H2\n", "2024-H2"
    if case == "broken-schema":
        (project / "data/schemas/units.json").write_text('{"fields": [', encoding="utf-8")
        return "data/schemas/units.json", "not valid JSON"
    if case == "schema-without-fields":
        (project / "data/schemas/criteria.json").write_text('{"fields": []}', encoding="utf-8")
        return "data/schemas/criteria.json", "no fields"
    if case == "nested-boundaries":
        (project / "data/boundaries/vn-provinces-63.topojson").write_text(_nested(), encoding="utf-8")
        _rehash(project)
        return "data/boundaries/vn-provinces-63.topojson", "nested too deeply"
    if case == "nested-boundaries-descriptor":
        (project / "data/boundaries/datapackage.json").write_text(_nested(), encoding="utf-8")
        return "data/boundaries/datapackage.json", "nested too deeply"
    raise AssertionError(case)


CASES = [
    "nested-descriptor",
    "newline-folder",
    "broken-schema",
    "schema-without-fields",
    "nested-boundaries",
    "nested-boundaries-descriptor",
]


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_input_gives_one_message_and_validate_and_build_fail(project, monkeypatch, capsys, case):
    path, words = _break(project, case)
    found = [p for p in _errors(project) if p.path == path]
    assert len(found) == 1 and words in found[0].message + found[0].hint + found[0].value, found
    monkeypatch.setattr(build_site, "ROOT", project)
    assert build_site.main(["validate"]) == 1
    assert build_site.main(["build"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and escaping.visible(path) in out


@pytest.mark.parametrize("case", ["broken-schema", "schema-without-fields"])
def test_new_period_and_refresh_refuse_unusable_schemas_in_one_line(project, monkeypatch, capsys, case):
    path, _ = _break(project, case)
    monkeypatch.setattr(build_site, "ROOT", project)
    assert build_site.main(["new-period", "2030"]) == 1
    assert build_site.main(["refresh-descriptors"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 2 and all(path in line for line in err.splitlines())
    assert not (project / "data/periods/2030").exists()


@pytest.mark.parametrize("bad", ["2024-H2\n", "２０２４-H2", "2024-h2", "٢٠٢٤"])
def test_new_period_refuses_an_id_that_is_not_ascii_or_has_a_line_break(project, monkeypatch, capsys, bad):
    monkeypatch.setattr(build_site, "ROOT", project)
    before = sorted(p.name for p in (project / "data/periods").iterdir())
    assert build_site.main(["new-period", bad]) == 1
    err = capsys.readouterr().err
    assert "not a period id" in err and "\n" not in err.rstrip("\n")
    assert ("write 2024-H2" in err) == (bad != "٢٠٢٤")
    assert sorted(p.name for p in (project / "data/periods").iterdir()) == before


@pytest.mark.parametrize("bad", ["2024-H1\n", "２０２４-H1", "٢٠٢٤", "2024-H1 "])
def test_a_period_id_is_ascii_digits_and_the_whole_text(bad):
    assert not periods.is_period_id(bad)
    assert not re.fullmatch(
        json.loads((ROOT / "data/schemas/observations.json").read_text())["fields"][1]["constraints"]["pattern"], bad
    )


def test_a_lowercase_period_in_a_row_gives_one_message_with_the_right_id(project):
    line = _edit(project, OBS, 0, period="2024-h1")
    found = [p for p in _errors(project) if p.row == line]
    assert [(p.column, p.kind, p.hint) for p in found] == [("period", "malformed-period", "write 2024-H1")]


def test_a_lowercase_period_folder_is_named_with_the_right_id(project):
    (project / "data/periods/2025-H1").rename(project / "data/periods/2025-h1")
    found = [p for p in _errors(project) if p.path == "data/periods/2025-h1"]
    assert [(p.kind, p.hint) for p in found] == [("malformed-period", "rename the folder to 2025-H1")]


# --- a file that cannot be read: its own error first, what follows from it in one line ----------


@pytest.mark.parametrize(
    "rel, damage, kind",
    [
        ("data/reference/agencies.csv", "utf-16", "encoding"),
        ("data/reference/indicators.csv", "cp1258", "encoding"),
        ("data/reference/sources.csv", "delete", "missing-file"),
        ("data/reference/periods.csv", "semicolons", "separator"),
    ],
)
def test_an_unreadable_reference_file_comes_first_and_its_cascade_is_one_line(project, rel, damage, kind):
    path = project / rel
    text = path.read_text(encoding="utf-8")
    if damage == "delete":
        path.unlink()
    elif damage == "semicolons":
        path.write_text(text.replace(",", ";"), encoding="utf-8")
    else:
        path.write_bytes(text.encode(damage, errors="replace"))
    found = problems_of(project)
    assert (found[0].path, found[0].kind) == (rel, kind)
    assert not any(p.kind.startswith("unknown-") for p in found), [p.text() for p in found]
    (cascade,) = [p for p in found if p.kind == "unchecked-references"]
    assert cascade.path == rel and "cannot be checked until it can be read" in cascade.message
    assert len(found) <= 3, [p.text() for p in found]


# --- header lines: one clear message each --------------------------------------------------------


def _header(project, rel):
    return (project / rel).read_text(encoding="utf-8").split("\n", 1)


def test_a_spreadsheet_saved_with_semicolons_gets_one_message(project):
    head, rest = _header(project, OBS)
    (project / OBS).write_text((head + "\n" + rest).replace(",", ";"), encoding="utf-8")
    found = [p for p in _errors(project) if p.path == OBS]
    assert [(p.row, p.kind) for p in found] == [(1, "separator")]
    assert "semicolons" in found[0].message and "CSV UTF-8 (Comma delimited)" in found[0].hint


def test_ten_thousand_extra_columns_give_one_message(project):
    head, rest = _header(project, OBS)
    (project / OBS).write_text(head + "".join(f",x{i}" for i in range(10_000)) + "\n" + rest, encoding="utf-8")
    found = [p for p in _errors(project) if p.path == OBS]
    assert [(p.row, p.kind) for p in found] == [(1, "extra-column")]
    assert found[0].message.startswith("10000 unexpected columns") and len(found[0].text()) < 600


def test_ten_thousand_blank_columns_give_one_message(project):
    head, rest = _header(project, OBS)
    (project / OBS).write_text(head + "," * 10_000 + "\n" + rest, encoding="utf-8")
    found = [p for p in _errors(project) if p.path == OBS]
    assert [(p.row, p.kind) for p in found] == [(1, "duplicate-column")] and "without a name" in found[0].hint


def test_a_header_with_many_columns_missing_gives_one_message(project):
    _, rest = _header(project, OBS)
    (project / OBS).write_text("indicator_id,period\n" + rest, encoding="utf-8")
    found = [p for p in _errors(project) if p.path == OBS and p.row == 1]
    assert [p.kind for p in found] == ["missing-column"] and "restore the header line" in found[0].hint


def test_reordered_columns_are_one_error_that_gives_the_order(project):
    """The model reads columns by name, but the published datapackage.json lists them in the
    schemas' order and tools read a CSV by position: the order matters, once."""
    rows = read_csv(project / OBS)
    order = [1, 0] + list(range(2, len(rows[0])))
    write_csv(project / OBS, [[r[i] for i in order] for r in rows])
    found = [p for p in _errors(project) if p.path == OBS]
    assert [(p.row, p.kind) for p in found] == [(1, "column-order")]
    assert found[0].hint.endswith(",".join(rows[0]))
    assert not any(p.kind.startswith("unknown-") or p.kind == "series-break" for p in problems_of(project))


# --- the boundaries -----------------------------------------------------------------------------


def test_an_edited_topojson_is_caught_by_its_size_and_hash(project):
    path = project / "data/boundaries/vn-provinces-63.topojson"
    path.write_text(path.read_text(encoding="utf-8").replace("tinh-a", "tinh-b", 1), encoding="utf-8")
    (found,) = [p for p in _errors(project) if p.kind == "boundaries"]
    assert found.path == "data/boundaries/vn-provinces-63.topojson" and "tools/make_boundaries.py" in found.hint
    assert "not the one its descriptor describes" in found.message


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda t: t.update(type="FeatureCollection"), "not a Topology"),
        (lambda t: t.pop("transform"), "transform"),
        (lambda t: t["arcs"].append([[0.5, 1]]), "whole-number points"),
        (lambda t: next(iter(t["objects"].values())).update(type="Polygon"), "GeometryCollection"),
        (lambda t: _first(t)["properties"].update(agency_id="bo-x"), "province or municipality"),
        (lambda t: _first(t)["properties"].update(agency_id="tinh-b"), "two features name tinh-b"),
        (lambda t: _first(t).update(arcs=[[len(t["arcs"])]]), "Polygon or MultiPolygon"),
        (lambda t: _first(t).update(type="Point"), "Polygon or MultiPolygon"),
    ],
)
def test_a_topojson_the_maps_cannot_read_is_named(project, edit, words):
    path = project / "data/boundaries/vn-provinces-63.topojson"
    topology = json.loads(path.read_text(encoding="utf-8"))
    edit(topology)
    path.write_text(json.dumps(topology), encoding="utf-8")
    _rehash(project)
    (found,) = [p for p in _errors(project) if p.kind == "boundaries"]
    assert words in found.message and found.path == "data/boundaries/vn-provinces-63.topojson"


def _first(topology):
    geometries = next(iter(topology["objects"].values()))["geometries"]
    return next(g for g in geometries if g["properties"]["agency_id"] == "tinh-a")


def test_the_boundaries_as_committed_pass():
    assert [p for p in problems_of(ROOT) if p.kind == "boundaries"] == []


@pytest.mark.parametrize("column", ["name_vi", "name_en", "definition_en"])
def test_a_name_with_a_line_break_is_an_error_and_other_text_may_have_one(project, column):
    rel = "data/reference/indicators.csv"
    rows = read_csv(project / rel)
    rows[1][rows[0].index(column)] = "Chỉ tiêu\nthử nghiệm"
    write_csv(project / rel, rows)
    found = [p for p in _errors(project) if p.path == rel]
    if column == "definition_en":
        assert found == []
    else:
        assert [(p.row, p.column, p.kind) for p in found] == [(2, column, "line-break")]


# --- agencies' history, checked directly ----------------------------------------------------------


def test_reversed_validity_dates_are_named(project):
    rel = "data/reference/agencies.csv"
    rows = read_csv(project / rel)
    header = rows[0]
    row = next(r for r in rows if r[0] == "tinh-e")
    row[header.index("valid_to")] = "2023-06-30"  # before its valid_from, 2024-01-01
    write_csv(project / rel, rows)
    found = [p for p in _errors(project) if p.kind == "validity-dates"]
    assert [(p.path, p.row, p.column, p.value) for p in found] == [(rel, rows.index(row) + 1, "valid_to", "2023-06-30")]
    assert "ends before it begins" in found[0].message


def test_a_succession_circle_is_named_once(project):
    rel = "data/reference/agency_successions.csv"
    with (project / rel).open("a", encoding="utf-8") as f:
        f.write("tinh-e,tinh-d,became,2024-01-01,nghi-quyet-thu-nghiem,,\n")
    circles = [p for p in _errors(project) if "circle" in p.message]
    assert [(p.path, p.row, p.kind) for p in circles] == [(rel, 3, "succession")]
    assert "tinh-e -> tinh-d -> tinh-e" in circles[0].message or "tinh-d -> tinh-e -> tinh-d" in circles[0].message


def test_a_long_chain_of_successions_is_no_circle():
    from scoreboard.data.validate.successions import _cycles
    from scoreboard.data.validate.table import Table

    chain = [{"predecessor_id": f"a{i}", "successor_id": f"a{i + 1}", "change": "merged_into"} for i in range(5000)]
    table = Table("agency_successions", ROOT, "x.csv", rows=chain, lines=list(range(2, 5002)))
    assert _cycles(table) == []
    chain.append({"predecessor_id": "a5000", "successor_id": "a2500", "change": "became"})
    table.lines.append(5002)
    assert [p.row for p in _cycles(table)] == [5002]
    diamond = [
        {"predecessor_id": a, "successor_id": b, "change": "merged_into"}
        for a, b in (("x", "y"), ("x", "z"), ("y", "w"), ("z", "w"))
    ]
    assert _cycles(Table("agency_successions", ROOT, "x.csv", rows=diamond, lines=[2, 3, 4, 5])) == []
