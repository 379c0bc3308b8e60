"""Found by search engines and data tools (issue 30): schema.org Dataset JSON-LD on the pages
that offer data, data/datapackage.json describing the combined files (valid for
Frictionless), data/index.json listing each indicator, robots.txt naming the sitemaps, and
the combined files' columns in the data dictionary.

Tests on `built` (the real data) check properties; figures named here are the synthetic set's."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
import urllib.robotparser
from pathlib import Path

import frictionless
import pandas as pd

from scoreboard.data import periods as periods_mod
from scoreboard.derive import verdicts
from scoreboard.pages import downloads, jsonld, share, urls
from scoreboard.pages.formatting import Locale

LANGS = {"vi": "", "en": "en/"}
_JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(path: Path) -> list[dict]:
    return [json.loads(text) for text in _JSON_LD.findall(path.read_text(encoding="utf-8"))]


def local(built: Path, url: str) -> Path:
    """The built file an absolute address of the site points to."""
    assert url.startswith(urls.site_url()), url
    rel = url[len(urls.site_url()) :]
    return built / (rel + "index.html" if rel.endswith("/") or rel == "" else rel)


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def _check_dataset(built: Path, data: dict, lang: str, page: str) -> None:
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Dataset"
    assert data["inLanguage"] == lang
    assert data["license"] == share.LICENCE_URL
    assert data["url"] == urls.page_url(lang, page)
    assert local(built, data["url"]).is_file()
    assert len(data["description"]) >= 50  # Google's Dataset guidelines: 50 to 5,000 characters
    assert data["creator"]["name"] == Locale(lang).t("site_name")
    formats = set()
    for download in data["distribution"]:
        assert download["@type"] == "DataDownload"
        assert download["contentUrl"].startswith(urls.lang_root(lang))
        assert local(built, download["contentUrl"]).is_file(), download["contentUrl"]
        formats.add(download["encodingFormat"])
    assert {"text/csv", "application/json"} <= formats


def _coverage(dataset, period_ids) -> str:
    starts, ends = dataset.periods["start"], dataset.periods["end"]
    return f"{min(starts[p] for p in period_ids)}/{max(ends[p] for p in period_ids)}"


def test_indicator_pages_carry_a_dataset_in_their_language(built, dataset):
    obs = dataset.observations
    for lang, prefix in LANGS.items():
        for indicator_id in dataset.indicators.index:
            page = built / prefix / f"indicators/{indicator_id}/index.html"
            found = json_ld(page)
            assert len(found) == 1, page
            data = found[0]
            _check_dataset(built, data, lang, urls.indicator_page(indicator_id))
            row = dataset.indicator(indicator_id)
            assert data["name"] == row[f"name_{lang}"]
            assert data["description"].startswith(row[f"definition_{lang}"])
            files = {local(built, d["contentUrl"]) for d in data["distribution"]}
            assert files == {built / prefix / "data" / p for p in downloads.indicator_files(indicator_id).values()}
            own = set(obs.loc[obs["indicator_id"] == indicator_id, "period"])
            if own:
                assert data["temporalCoverage"] == _coverage(dataset, own)
                start, end = data["temporalCoverage"].split("/")
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", start) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", end)
                assert start <= end
            else:
                assert "temporalCoverage" not in data


def test_the_data_page_carries_a_dataset_of_every_combined_file(built, dataset):
    for lang, prefix in LANGS.items():
        found = json_ld(built / prefix / "data/index.html")
        assert len(found) == 1
        data = found[0]
        _check_dataset(built, data, lang, "data/index.md")
        assert data["name"] == Locale(lang).t("structured.data_name")
        assert data["temporalCoverage"] == _coverage(dataset, set(dataset.observations["period"]))
        offered = {local(built, d["contentUrl"]) for d in data["distribution"]}
        combined = {p for p in (built / prefix / "data").glob("*.csv")} | {
            p for p in (built / prefix / "data").glob("*.json") if p.name != "index.json"
        }
        assert combined <= offered
    assert json_ld(built / "index.html") == []  # only pages that offer data


def test_json_ld_keeps_hostile_text_inside_its_script(synthetic_built):
    for prefix in LANGS.values():
        html = (synthetic_built / prefix / "indicators/hostile-text/index.html").read_text(encoding="utf-8")
        (text,) = _JSON_LD.findall(html)
        assert "<" not in text and ">" not in text
        assert "<script>alert(1)</script>" in json.loads(text)["name"]


def test_script_text_escapes_what_could_end_a_script():
    data = {"name": "</script><script>alert(1)</script><!-- & \u2028 \u2029 \u0085 đ"}
    text = jsonld.script_text(data)
    assert not set(text) & set("<>&\u2028\u2029\u0085")
    assert json.loads(text) == data


def test_json_ld_dates_come_from_periods_and_releases(synthetic_built):
    (data,) = json_ld(synthetic_built / "en/indicators/share-met/index.html")
    assert data["temporalCoverage"] == "2022-01-01/2024-06-30"  # figures for 2022, 2023 and 2024-H1
    assert data["dateModified"] == "2024-09-15"  # release 2024-H1.1 corrected one of its figures
    (whole,) = json_ld(synthetic_built / "data/index.html")
    assert whole["version"] == "2025-H1" and whole["dateModified"] == "2025-08-01"


# --- data/datapackage.json ----------------------------------------------------------------------


def test_datapackage_describes_every_combined_file_and_is_valid(built):
    path = built / "data/datapackage.json"
    assert path.read_bytes() == (built / "en/data/datapackage.json").read_bytes()
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["path"] == share.LICENCE_URL
    resources = {r["path"]: r for r in descriptor["resources"]}
    assert set(resources) == {p.name for p in (built / "data").glob("*.csv")}
    for name, resource in resources.items():
        assert [f["name"] for f in resource["schema"]["fields"]] == header(built / "data" / name)
    targets = {f["name"]: f for f in resources["targets.csv"]["schema"]["fields"]}
    assert targets["verdict"]["constraints"]["enum"] == list(verdicts.VERDICTS)
    assert targets["year"]["type"] == "integer"
    links = re.findall(r'href="([^"]+)"', (built / "data/index.html").read_text(encoding="utf-8"))
    assert "datapackage.json" in links and "index.json" in links


def test_datapackage_rejects_what_its_schemas_forbid(built, tmp_path):
    """The schemas constrain the files: a verdict, a basis or a missing unit they do not allow
    makes the package invalid."""
    for path in (built / "data").glob("*.csv"):
        shutil.copy2(path, tmp_path / path.name)
    shutil.copy2(built / "data/datapackage.json", tmp_path / "datapackage.json")
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid

    def spoil(name: str, column: str, value: str) -> None:
        frame = pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
        frame.loc[0, column] = value
        frame.to_csv(tmp_path / name, index=False, lineterminator="\n")

    spoil("targets.csv", "verdict", "maybe")
    spoil("league-tables.csv", "basis", "guessed")
    spoil("observations.csv", "unit", "")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    errors = {(task.name, e[0], e[1]) for task in report.tasks for e in task.flatten(["fieldName", "type"])}
    assert ("targets", "verdict", "constraint-error") in errors
    assert ("league-tables", "basis", "constraint-error") in errors
    assert ("observations", "unit", "constraint-error") in errors


def test_combined_schemas_take_each_column_from_its_source_schema():
    from scoreboard.data import layout

    for name, source, schema in downloads.combined_schemas():
        own = {f["name"]: f for f in layout.load_schema(source)["fields"]}
        assert [f["name"] for f in schema["fields"]] == downloads.columns(name)
        for field in schema["fields"]:
            if field["name"] in own:
                assert field["type"] == own[field["name"]]["type"]
                expected = dict(own[field["name"]].get("constraints", {}))
                change = downloads.CHANGED_FIELDS.get(name, {}).get(field["name"], {})
                if change.get("required") is False:
                    expected.pop("required")
                assert field.get("constraints", {}) == expected, (name, field["name"])
            else:
                assert field["type"] == downloads.EXTRA_FIELDS[field["name"]]["type"], (name, field["name"])


# --- data/index.json ----------------------------------------------------------------------------


def test_data_index_lists_each_indicator_with_its_pages_files_and_last_update(built, dataset):
    path = built / "data/index.json"
    assert path.read_bytes() == (built / "en/data/index.json").read_bytes()
    index = json.loads(path.read_text(encoding="utf-8"))
    assert [r["id"] for r in index["indicators"]] == list(dataset.indicators.index)
    assert index["datapackage"] == "datapackage.json" and (path.parent / index["datapackage"]).is_file()
    released = dict(zip(dataset.releases["version"], dataset.releases["date"]))
    ends = dict(zip(dataset.periods.index, dataset.periods["end"]))
    obs = dataset.observations
    for row in index["indicators"]:
        for lang in LANGS:
            assert row["pages"][lang] == urls.page_url(lang, urls.indicator_page(row["id"]))
            assert local(built, row["pages"][lang]).is_file()
            assert row["name"][lang] == dataset.indicator(row["id"])[f"name_{lang}"]
        assert set(row["files"]) == {"csv", "json"}
        for file in row["files"].values():
            assert (path.parent / file).is_file()
        own = set(obs.loc[obs["indicator_id"] == row["id"], "period"])
        assert row["latest_period"] == (periods_mod.sorted_ids(own)[-1] if own else None)
        if row["last_update_release"]:
            assert row["last_update"] == released[row["last_update_release"]]
        elif own:
            assert row["last_update"] == ends[row["latest_period"]]
        else:
            assert row["last_update"] is None


def test_last_update_is_the_latest_release_that_touched_it_else_its_latest_period(synthetic):
    updates = downloads.last_updates(synthetic)
    assert updates["share-met"] == {"date": "2024-09-15", "release": "2024-H1.1", "period": "2024-H1"}  # corrected
    assert updates["share-on-track"]["release"] == "2023"  # added with the periods of release 2023
    assert updates["target-only"] == {"date": None, "release": None, "period": None}

    none = dataclasses.replace(synthetic, release_changes=synthetic.release_changes.iloc[:0])
    assert downloads.last_updates(none)["share-met"] == {"date": "2024-06-30", "release": None, "period": "2024-H1"}

    added = pd.DataFrame(
        [
            {
                "version": "2024-H1",
                "change": "added_indicator",
                "subject": "target-only",
                "old_value": "",
                "new_value": "",
            }
        ]
    )
    assert downloads.last_updates(dataclasses.replace(synthetic, release_changes=added))["target-only"] == {
        "date": "2024-08-01",
        "release": "2024-H1",
        "period": None,
    }


# --- robots.txt ----------------------------------------------------------------------------------


def test_robots_txt_names_both_sitemaps_and_lets_every_page_be_crawled(built):
    text = (built / "robots.txt").read_text(encoding="utf-8")
    sitemaps = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Sitemap:")]
    assert sitemaps == [urls.lang_root(lang) + "sitemap.xml" for lang in LANGS]
    for url in sitemaps:
        assert local(built, url).is_file()
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())
    embed = next((built / "embed").iterdir()).name if (built / "embed").is_dir() else "x"
    for page in ("", "indicators/", "data/observations.csv", f"embed/{embed}/", "en/data/"):
        assert robots.can_fetch("*", urls.site_url() + page), page
    assert not (built / "en/robots.txt").exists()


# --- the data dictionary ---------------------------------------------------------------------------


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<h3 id="{anchor}"')
    end = html.find("<h", start + 4)
    return html[start : end if end != -1 else len(html)]


def test_data_dictionary_describes_every_column_of_the_combined_files(synthetic_built):
    pages = {
        lang: (synthetic_built / prefix / "data/index.html").read_text(encoding="utf-8")
        for lang, prefix in LANGS.items()
    }
    for name in downloads.COMBINED_SOURCES:
        columns = header(synthetic_built / "data" / f"{name}.csv")
        described = {}
        for lang, html in pages.items():
            section = _section(html, f"dict-combined-{name}")
            rows = re.findall(r'<tr><th scope="row"><code>([^<]+)</code></th>.*?<td[^>]*>([^<]*)</td></tr>', section)
            assert [column for column, _ in rows] == columns, (lang, name)
            described[lang] = dict(rows)
        for column in columns:
            assert described["vi"][column] and described["en"][column]
            assert described["vi"][column] != described["en"][column], (name, column)
