"""Both languages are first class: the same keys, every enum labelled, nav in step."""

from __future__ import annotations

import yaml

from scoreboard.data import layout
from scoreboard.pages.formatting import translations


def keys(tree, prefix=""):
    out = set()
    for k, v in tree.items():
        out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}"}
    return out


def test_both_languages_have_the_same_keys():
    vi, en = translations("vi"), translations("en")
    # the data dictionary's English text is the schemas' own descriptions
    assert keys({k: v for k, v in vi.items() if k != "dictionary"}) == keys(en)


def test_every_schema_field_is_described_in_both_languages():
    from scoreboard.pages.formatting import Locale

    for resource in layout.REFERENCE_RESOURCES + layout.PERIOD_RESOURCES:
        for field in layout.load_schema(resource)["fields"]:
            assert Locale("en").describe(resource, field) == field["description"] != ""
            assert Locale("vi").describe(resource, field) != field["description"]


def test_every_column_of_the_combined_files_is_described_in_both_languages():
    """English from the combined schemas (downloads.py), Vietnamese from the dictionary; a
    column described differently from its source schema, or added, has its own Vietnamese."""
    from scoreboard.pages import downloads
    from scoreboard.pages.formatting import Locale

    vi = translations("vi")["dictionary"]
    for name, source, schema in downloads.combined_schemas():
        own = {f["name"]: f for f in layout.load_schema(source)["fields"]}
        for field in schema["fields"]:
            assert Locale("en").describe(name, field, "combined", source) == field["description"] != ""
            said = Locale("vi").describe(name, field, "combined", source)
            assert said and said != field["description"]
            if field["name"] not in own or own[field["name"]]["description"] != field["description"]:
                assert field["name"] in vi.get(name, {}) | vi["combined"], (name, field["name"])


def test_every_value_of_the_schemas_enums_has_a_label():
    schemas = {name: layout.load_schema(name) for name in ("indicators", "observations", "agencies", "agency_checks")}
    enums = {
        f["name"]: f["constraints"]["enum"]
        for s in schemas.values()
        for f in s["fields"]
        if "enum" in f.get("constraints", {})
    }
    for lang in ("vi", "en"):
        t = translations(lang)
        assert set(enums["pillar"]) <= set(t["pillar"])
        assert set(enums["breakdown"]) <= set(t["breakdown"])
        assert set(enums["value_kind"]) <= set(t["value_kind"])
        assert set(enums["kind"]) <= set(t["agency_kind"])
        assert set(enums["status"]) <= set(t["agency_status"])


def _nav(config):
    text = (layout.ROOT / config).read_text(encoding="utf-8")
    return [next(iter(item)) for item in yaml.safe_load(text.split("\nnav:\n", 1)[1].join(["nav:\n", ""]))["nav"]]


def test_mkdocs_nav_labels_match_the_translation_tables():
    for lang, config in (("vi", "mkdocs.yml"), ("en", "mkdocs.en.yml")):
        assert _nav(config) == list(translations(lang)["nav"].values())


def test_data_text_exists_in_both_languages():
    import csv

    for name in ("indicators", "agencies", "criteria", "sources", "units"):
        with (layout.REFERENCE / f"{name}.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for column in row:
                    if column.endswith("_vi"):
                        twin = column[:-3] + "_en"
                        assert bool(row[column]) == bool(row[twin]), (name, row.get("id"), column)


def test_every_validation_message_kind_is_explained_in_contributing():
    import re

    kinds = set()
    for path in (layout.ROOT / "scoreboard").rglob("*.py"):
        kinds |= set(re.findall(r'kind="([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    kinds -= {"stable"}  # pandas' sort_values(kind="stable"), not a message kind
    kinds |= {f"unknown-{what}" for what in ("indicator", "agency", "period", "source", "criterion", "unit")}
    guide = (layout.ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    vietnamese, english = guide.split("# Contributing guide", 1)
    for part in (vietnamese, english):
        assert sorted(k for k in kinds if f"`{k}`" not in part) == []


def _guide() -> str:
    return (layout.ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_every_link_in_contributing_lands_on_the_section_it_names():
    """An anchor link leads to an anchor of the guide, and to the section whose heading it
    names ("Thêm một chỉ số" to the heading "3. Thêm một chỉ số", "section 2" to "2. ...")."""
    import re

    guide = _guide()
    links = re.findall(r"\[([^\]]+)\]\(#([^)\s]+)\)", guide)
    assert len(links) >= 20
    for text, anchor in links:
        marker = f'<a id="{anchor}"></a>'
        assert guide.count(marker) == 1, anchor
        heading = re.search(r"^#+ (.+)$", guide[guide.index(marker) :], re.MULTILINE).group(1)
        number = re.fullmatch(r"(?:section|mục) (\d+)", text)
        if number:
            assert heading.startswith(number.group(1) + ". "), (text, anchor, heading)
        elif anchor not in ("tieng-viet", "english"):
            assert heading.split(". ", 1)[-1] == text, (text, anchor, heading)


def test_contributing_is_the_maintainers_tasks_in_both_languages_and_short():
    guide = _guide()
    assert len(guide.encode("utf-8")) <= 40 * 1024
    vietnamese, english = guide.split("# Contributing guide", 1)
    assert guide.index("# Hướng dẫn đóng góp") < guide.index("# Contributing guide")
    assert "<!--" not in guide and "columns:" not in guide  # no generated column reference
    for part, dictionary in ((vietnamese, "data/#dictionary"), (english, "en/data/#dictionary")):
        assert f"`{dictionary}`" in part
        for words in ("SCOREBOARD_REPORTS", "seed_file", "series_breaks.csv", "`measure`", "`flow`", "releases.csv"):
            assert words in part, words
        assert "CITATION.cff" in part and "ministries_and_provinces" in part and "validate --all" in part
