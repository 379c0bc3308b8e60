"""Builds with a store: an edit shows, what did not change is taken from the store, and the
result is the same bytes a build with an empty store writes. Runs on small projects from
benchmarks/generate.py (invented data), so nothing here depends on data/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from benchmarks import generate
from scoreboard import store
from scoreboard.data import model
from scoreboard.derive import derive_all
from scoreboard.maintain import scaffold as maintain
from scoreboard.pages import downloads, render
from scoreboard.pages.formatting import Locale
from scoreboard.site import build as site
from scoreboard.site import docs, search
from tests.conftest import file_digests, problems_of, read_rows, write_rows

EDITED = "chi-tieu-004"  # a percentage (see generate.UNITS): shown as 12,34 % / 12.34%
UNTOUCHED = "chi-tieu-005"  # an indicator no edit below touches


def page(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def set_value(root: Path, indicator_id: str, value: str) -> None:
    """Change one figure of the newest period (and its quotation, which must contain it)."""
    newest = read_rows(root / "data/reference/periods.csv")[-1]["id"]
    path = root / f"data/periods/{newest}/observations.csv"
    rows = read_rows(path)
    row = next(r for r in rows if r["indicator_id"] == indicator_id)
    row.update(value=value, quote=f"đạt {value.replace('.', ',')}")
    write_rows(path, rows)


def add_period(root: Path, period_id: str, indicator_id: str, value: str) -> None:
    maintain.new_period(root, period_id)
    path = root / f"data/periods/{period_id}/observations.csv"
    header = list(read_rows(root / "data/periods/2025-H2/observations.csv")[0].keys())
    row = dict.fromkeys(header, "")
    row.update(
        indicator_id=indicator_id,
        period=period_id,
        breakdown="nationwide",
        value=value,
        value_kind="reported",
        source_id="bao-cao-2025-h2",
        shown="true",
        quote=f"đạt {value.replace('.', ',')}",
    )
    write_rows(path, [row], header)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return generate.generate(tmp_path_factory.mktemp("generated") / "project", 10, 3, 8)


def test_generated_data_is_valid_and_at_the_asked_scale(small):
    problems = problems_of(small)
    assert [p.text() for p in problems if p.is_error] == []
    assert len(read_rows(small / "data/reference/indicators.csv")) == 10
    assert len(read_rows(small / "data/reference/agencies.csv")) == 8
    assert sorted(p.name for p in (small / "data/periods").iterdir()) == ["2024-H2", "2025-H1", "2025-H2"]


def test_builds_with_a_store_show_edits_and_match_a_build_from_an_empty_store(tmp_path, monkeypatch):
    root = generate.generate(tmp_path / "project", 10, 3, 8)
    monkeypatch.chdir(tmp_path)
    site.build(Path("project"))  # a project named relative to the working folder builds too
    assert (root / "site" / "index.html").is_file()
    site.build(Path("project"), site_dir=Path("project/site"))  # and so does its site/, a link
    assert (root / "site").is_symlink() and (root / "site" / "index.html").is_file()
    assert (root / "site").resolve().parent == (root / "site.builds").resolve()  # replaced, not built into
    first = file_digests(root / "site")

    set_value(root, EDITED, "12.34")
    site.build(root, strict=True)
    assert "12,34" in page(root, f"indicators/{EDITED}/index.html")
    assert "12.34%" in page(root, f"en/indicators/{EDITED}/index.html")
    edited = file_digests(root / "site")
    for rel in (f"indicators/{UNTOUCHED}/index.html", f"en/indicators/{UNTOUCHED}.svg", "about/index.html"):
        assert edited[rel] == first[rel]
    assert edited[f"indicators/{EDITED}.svg"] != first[f"indicators/{EDITED}.svg"]

    # a sequence of edits, built with the store, then from an empty store: the same bytes
    set_value(root, UNTOUCHED, "43.21")
    add_period(root, "2026-H1", EDITED, "56.78")
    site.build(root, strict=True)
    with_store = file_digests(root / "site")
    assert "56,78" in page(root, f"indicators/{EDITED}/index.html")
    assert "periods/2026-H1/index.html" in with_store
    shutil.rmtree(root / ".cache")
    site.build(root, strict=True)
    assert file_digests(root / "site") == with_store


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_agency_page_shows_its_latest_periods_and_folds_older_ones(small, lang):
    rendered = render.render_language(model.load(small), derive_all(model.load(small)), lang, small)
    text = rendered.pages["agencies/bo-sinh-1.md"]
    opened, _, folded = text.partition("<details")
    assert opened.index("{#period-2025-H2}") < opened.index("{#period-2025-H1}")  # latest first
    assert "period-2024-H2" not in opened and '<h2 id="period-2024-H2">' in folded
    assert Locale(lang).t("pages.agency_older", count=1) in folded


def test_search_index_is_built_again_only_when_pages_change(tmp_path, monkeypatch):
    """A rebuild whose indexed pages are all unchanged reuses the stored search index instead
    of running Pagefind (the same bytes); an edit runs it, and the index is the one a
    project with an empty store gets."""
    runs, real = [], search._write_index

    def counted(folder, output):
        runs.append(folder)
        real(folder, output)

    monkeypatch.setattr(search, "_write_index", counted)
    root = generate.generate(tmp_path / "project", 6, 2, 6)

    def index() -> dict[str, str]:
        return {rel: h for rel, h in file_digests(root / "site").items() if rel.startswith("pagefind/")}

    site.build(root)
    before = index()
    assert len(runs) == 1 and before
    site.build(root)
    assert len(runs) == 1 and index() == before  # nothing changed: not run
    set_value(root, EDITED, "12.34")
    site.build(root)
    assert len(runs) == 2
    edited = index()
    assert edited != before
    shutil.rmtree(root / ".cache" / "store" / "search")
    site.build(root)
    assert len(runs) == 3 and index() == edited


def test_serve_publishes_pages_first_and_its_search_then_matches_a_build(tmp_path):
    """serve's order (build(search_later=True), then refresh_search): the pages are published
    with the previous index, and once refreshed the site is the bytes a plain build writes."""
    root = generate.generate(tmp_path / "project", 6, 2, 6)
    site.build(root)
    first = file_digests(root / "site")
    set_value(root, EDITED, "12.34")
    site.build(root, search_later=True)
    published = file_digests(root / "site")
    assert "12,34" in page(root, f"indicators/{EDITED}/index.html")
    assert {r: h for r, h in published.items() if r.startswith("pagefind/")} == {
        r: h for r, h in first.items() if r.startswith("pagefind/")
    }
    site.refresh_search(root)
    refreshed = file_digests(root / "site")
    assert refreshed != published
    assert not [r for r in refreshed if r.startswith(("pagefind.new", "pagefind.old"))]
    shutil.rmtree(root / ".cache" / "store" / "search")  # Pagefind runs again: no stored index
    site.build(root)
    assert file_digests(root / "site") == refreshed


def test_the_store_keeps_what_builds_use_and_drops_the_rest(tmp_path):
    """Entries are keyed by what they are made from (and CI keeps the store), so entries no
    build used are removed after a successful build; used ones stay, however old."""
    root = generate.generate(tmp_path / "project", 4, 2, 5)
    site.build(root)
    kinds = [root / ".cache" / "store" / name for name in ("charts", "figures", "cards", "validate", "search", "pages")]
    used = {f: sorted(p.name for p in f.iterdir()) for f in kinds}
    assert all(used.values()), used
    for folder in kinds:
        stale = folder / "0000-left-by-an-old-build.svg"
        stale.write_text("<svg/>", encoding="utf-8")
        os.utime(stale, (1_000_000_000, 1_000_000_000))
        for name in used[folder]:  # entries from a build long ago, but this build uses them
            os.utime(folder / name, (1_000_000_000, 1_000_000_000))
    site.build(root)
    assert {f: sorted(p.name for p in f.iterdir()) for f in kinds} == used


def test_a_docs_dir_written_over_an_old_one_ends_as_if_written_from_empty(small, tmp_path):
    """What an earlier build left in the docs dir goes, and its files are never written
    through (a published site may hold hard links to them)."""
    dataset = model.load(small)
    derived = derive_all(dataset)
    data_files = downloads.files(dataset, derived, small)
    kept_store = store.Store(tmp_path / "store")

    def write(folder: Path) -> None:
        docs.write(render.render_language(dataset, derived, "vi", small), folder, small, kept_store, data_files)

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    fresh = tmp_path / "fresh"
    write(fresh)
    kept = tmp_path / "kept"
    write(kept)
    # what an earlier build left: a page since removed, a changed page (linked from the
    # site), a folder where a file now goes, an empty folder
    (kept / "stale" / "deep").mkdir(parents=True)
    (kept / "stale" / "deep" / "old.md").write_text("old", encoding="utf-8")
    (kept / "empty").mkdir()
    edited = kept / "indicators" / f"{EDITED}.md"
    edited.unlink()
    edited.write_text("an older version", encoding="utf-8")
    os.link(edited, tmp_path / "published.md")
    (kept / "feed.xml").unlink()
    (kept / "feed.xml").mkdir()
    write(kept)
    assert files(kept) == files(fresh)
    assert not (kept / "stale").exists() and not (kept / "empty").exists()
    assert (tmp_path / "published.md").read_text(encoding="utf-8") == "an older version"
