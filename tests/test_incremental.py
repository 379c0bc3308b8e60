"""Incremental builds: an edit shows, unchanged pages are reused, and the result is the same
bytes a full build writes. Runs on a small project from benchmarks/generate.py (invented
data), so nothing here depends on data/."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from benchmarks import generate
from scoreboard.data import validate
from scoreboard.maintain import scaffold as maintain
from scoreboard.site import build as site
from tests.conftest import read_rows, write_rows

EDITED = "chi-tieu-004"  # a percentage (see generate.UNITS): shown as 12,34 % / 12.34%
UNTOUCHED = "chi-tieu-005"  # an indicator no edit below touches
MARK = "<!-- reused from the page cache -->"


def tree(site_dir: Path) -> dict[str, str]:
    site_dir = site_dir.resolve()
    return {
        p.relative_to(site_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site_dir.rglob("*")
        if p.is_file()
    }


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


def replace(path: Path, text: str) -> None:
    """Give a stored file new text as the build does: a new file in its place, never a write
    through it (it may be linked into the docs dir or the site)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def mark_cache(root: Path) -> int:
    """Add MARK to every stored page: a page built from the cache then carries it."""
    count = 0
    for path in (root / ".cache" / "pages").rglob("*.html"):
        replace(path, path.read_text(encoding="utf-8").replace("</body>", MARK + "</body>"))
        count += 1
    return count


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return generate.generate(tmp_path_factory.mktemp("generated") / "project", 10, 3, 8)


def test_generated_data_is_valid_and_at_the_asked_scale(small):
    problems = validate.validate(small)
    assert [p.text() for p in problems if p.is_error] == []
    assert len(read_rows(small / "data/reference/indicators.csv")) == 10
    assert len(read_rows(small / "data/reference/agencies.csv")) == 8
    assert sorted(p.name for p in (small / "data/periods").iterdir()) == ["2024-H2", "2025-H1", "2025-H2"]


def test_incremental_builds_show_edits_reuse_the_rest_and_match_full_builds(small):
    root = small
    site.build(root, strict=True)  # empty cache: every page built and stored
    first = tree(root / "site")
    assert mark_cache(root) > 20

    set_value(root, EDITED, "12.34")
    site.build(root, strict=True)
    edited = page(root, f"indicators/{EDITED}/index.html")
    assert "12,34" in edited and MARK not in edited  # rebuilt: its source changed
    assert "12.34%" in page(root, f"en/indicators/{EDITED}/index.html")
    assert MARK in page(root, f"indicators/{UNTOUCHED}/index.html")  # reused, not rebuilt
    assert MARK in page(root, f"en/indicators/{UNTOUCHED}/index.html")

    site.build(root, strict=True, full=True)  # reads no stored page (and stores them all again)
    full = tree(root / "site")
    assert not any(MARK in p.read_text(encoding="utf-8") for p in (root / "site").resolve().rglob("*.html"))
    for rel in (f"indicators/{UNTOUCHED}/index.html", f"en/indicators/{UNTOUCHED}/index.html", "about/index.html"):
        assert full[rel] == first[rel]  # an unchanged page: the same bytes as before the edit
    assert full[f"indicators/{EDITED}/index.html"] != first[f"indicators/{EDITED}/index.html"]

    # a sequence of edits, built incrementally, then from scratch: the same bytes
    set_value(root, UNTOUCHED, "43.21")
    add_period(root, "2026-H1", EDITED, "56.78")
    site.build(root, strict=True)
    incremental = tree(root / "site")
    assert "56,78" in page(root, f"indicators/{EDITED}/index.html")
    assert "periods/2026-H1/index.html" in incremental
    site.build(root, strict=True, full=True)
    assert tree(root / "site") == incremental


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_agency_page_shows_its_latest_periods_and_folds_older_ones(small, tmp_path, lang):
    from scoreboard.data import model
    from scoreboard.pages import render
    from scoreboard.pages.formatting import Locale

    dataset = model.load(small)
    derived = render.derive_all(dataset)
    render.PageWriter(render.environment(), tmp_path, Locale(lang), dataset, derived).agencies()
    text = (tmp_path / "agencies/bo-sinh-1.md").read_text(encoding="utf-8")
    opened, _, folded = text.partition("<details")
    assert opened.index("{#period-2025-H2}") < opened.index("{#period-2025-H1}")  # latest first
    assert "period-2024-H2" not in opened and '<h2 id="period-2024-H2">' in folded
    assert Locale(lang).t("pages.agency_older", count=1) in folded


MD_MARK = "<!-- reused from the markdown cache -->"


def mark_markdown(root: Path) -> int:
    """Add MD_MARK to every stored Markdown page: a page taken from the store then carries it."""
    count = 0
    for path in (root / ".cache" / "markdown").rglob("*.md"):
        replace(path, path.read_text(encoding="utf-8") + "\n" + MD_MARK + "\n")
        count += 1
    return count


def test_generated_markdown_is_rendered_again_only_when_its_inputs_change(tmp_path, monkeypatch):
    root = generate.generate(tmp_path / "project", 10, 3, 8)
    docs = root / "site_src" / "build"

    def md(lang: str, rel: str) -> str:
        return (docs / lang / rel).read_text(encoding="utf-8")

    monkeypatch.chdir(tmp_path)
    site.build(Path("project"))  # a project named relative to the working folder builds too
    assert (root / "site" / "index.html").is_file()
    site.build(Path("project"), site_dir=Path("project/site"))  # and so does its site/, a link
    assert (root / "site").is_symlink() and (root / "site" / "index.html").is_file()
    assert (root / "site").resolve().parent == (root / "site.builds").resolve()  # replaced, not built into
    assert mark_markdown(root) > 20

    set_value(root, EDITED, "12.34")
    site.build(root)
    assert "12,34" in md("vi", f"indicators/{EDITED}.md") and MD_MARK not in md("vi", f"indicators/{EDITED}.md")
    assert MD_MARK in md("vi", f"indicators/{UNTOUCHED}.md")
    assert MD_MARK in md("en", "agencies/bo-sinh-1.md")
    assert mark_markdown(root) > 20

    # Reference data reaches pages through lookups by id, not through their own values:
    # renaming a ministry renders again every page that names it (its page, its league
    # tables) and only those.
    path = root / "data/reference/agencies.csv"
    rows = read_rows(path)
    next(r for r in rows if r["id"] == "bo-sinh-1").update(name_vi="Bộ Đổi Tên", name_en="Renamed Ministry")
    write_rows(path, rows)
    site.build(root)
    for lang, name in (("vi", "Bộ Đổi Tên"), ("en", "Renamed Ministry")):
        own = md(lang, "agencies/bo-sinh-1.md")
        assert name in own and MD_MARK not in own
        leagues = list((docs / lang / "agencies").glob("league-*-ministries.md"))
        assert leagues and all(name in p.read_text(encoding="utf-8") for p in leagues)
        assert all(MD_MARK not in p.read_text(encoding="utf-8") for p in leagues)
        assert MD_MARK in md(lang, f"indicators/{UNTOUCHED}.md")  # names no ministry

    def generated() -> dict[str, str]:  # every generated page, without the marks
        return {
            p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8").replace("\n" + MD_MARK + "\n", "")
            for p in docs.rglob("*.md")
        }

    incremental = generated()
    site.build(root, full=True)
    assert generated() == incremental


def test_the_markdown_key_covers_language_settings_and_values(small, monkeypatch):
    from scoreboard.pages import rendercache

    base = rendercache.site_key("vi")
    assert rendercache.site_key("vi") == base  # stable
    assert rendercache.site_key("en") != base
    monkeypatch.setenv("SCOREBOARD_SITE_URL", "https://example.org/other/")
    assert rendercache.site_key("vi") != base

    cache = rendercache.RenderCache(small / ".cache" / "unused", base)
    key = cache.key("indicators/x.md", "indicator.md.j2", {"observations": [{"value": 1.0}]})
    assert key == cache.key("indicators/x.md", "indicator.md.j2", {"observations": [{"value": 1.0}]})
    assert key != cache.key("indicators/x.md", "indicator.md.j2", {"observations": [{"value": 2.0}]})
    assert key != cache.key("indicators/y.md", "indicator.md.j2", {"observations": [{"value": 1.0}]})
    # pages made from site-wide aggregates are always rendered
    assert cache.key("index.md", "home.md.j2", {}) is None


def test_a_page_that_reads_the_data_outside_its_values_and_lookups_is_never_stored(small, tmp_path):
    from scoreboard.data import model
    from scoreboard.pages import render, rendercache

    dataset = model.load(small)
    derived = render.derive_all(dataset)
    cache = rendercache.RenderCache(tmp_path, rendercache.site_key("vi"))
    docs = tmp_path / "docs"
    docs.mkdir()

    def write(page: str, draw) -> str:
        cache.write(docs / page, page, "agency.md.j2", {}, dataset, derived, draw)
        return (docs / page).read_text(encoding="utf-8")

    looked_up = write("a.md", lambda ds, d: ds.agency("bo-sinh-1")["id"])
    assert looked_up == "bo-sinh-1" and len(list(tmp_path.glob("*.pickle"))) == 1
    counted = write("b.md", lambda ds, d: str(len(ds.observations)))
    assert counted == str(len(dataset.observations)) and len(list(tmp_path.glob("*.pickle"))) == 1


def test_preview_publishes_pages_first_and_catches_up_to_a_full_build(tmp_path):
    """serve builds with preview=True (pages at once: the previous index kept, the edited
    chart's downloads not drawn yet), then catch_up(): the result is the site a normal
    build writes."""
    root = generate.generate(tmp_path / "project", 6, 2, 6)
    site.build(root)
    before = tree(root / "site")
    set_value(root, EDITED, "12.34")
    site.build(root, preview=True)
    published = tree(root / "site")
    assert "12,34" in page(root, f"indicators/{EDITED}/index.html")
    index = {rel: digest for rel, digest in published.items() if rel.startswith("pagefind/")}
    assert index and index == {rel: digest for rel, digest in before.items() if rel.startswith("pagefind/")}
    # the edited chart's page and in-page SVG are new; its PNG and SVG downloads come later
    chart = f"indicators/{EDITED}"
    assert published[f"{chart}.svg"] != before[f"{chart}.svg"]
    assert f"{chart}.png" not in published and f"en/{chart}.png" not in published
    assert f"indicators/{UNTOUCHED}.png" in published
    site.catch_up(root)
    caught_up = tree(root / "site")
    assert f"{chart}.png" in caught_up and f"en/{chart}.download.svg" in caught_up
    assert not site.pending_figures_path(root).exists()
    site.build(root)
    assert tree(root / "site") == caught_up


def test_search_index_is_built_again_only_when_pages_change(tmp_path, monkeypatch):
    """A rebuild whose pages are all the same files reuses the stored search index instead
    of running Pagefind (the same bytes); an edit runs it, and the index is the one a
    project without stored index gets."""
    import shutil
    import subprocess

    runs, real = [], subprocess.run

    def counted(command, *args, **kwargs):
        if "--site" in command:  # Pagefind (the build also asks git for a date)
            runs.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(site.subprocess, "run", counted)
    root = generate.generate(tmp_path / "project", 6, 2, 6)
    site.build(root)
    before = {rel: h for rel, h in tree(root / "site").items() if rel.startswith("pagefind/")}
    assert len(runs) == 1 and before
    site.build(root)
    assert len(runs) == 1  # nothing changed: not run
    assert {rel: h for rel, h in tree(root / "site").items() if rel.startswith("pagefind/")} == before
    set_value(root, EDITED, "12.34")
    site.build(root)
    assert len(runs) == 2
    edited = {rel: h for rel, h in tree(root / "site").items() if rel.startswith("pagefind/")}
    assert edited != before
    shutil.rmtree(root / ".cache" / "search-index")
    site.build(root)
    assert len(runs) == 3
    assert {rel: h for rel, h in tree(root / "site").items() if rel.startswith("pagefind/")} == edited


def test_content_keyed_caches_keep_what_builds_use_and_drop_the_rest(tmp_path):
    """Chart, download and validation caches are keyed by content (and CI keeps them), so
    entries no build used are removed after a successful build; used ones stay."""
    import os

    root = generate.generate(tmp_path / "project", 4, 2, 5)
    site.build(root)
    folders = [root / ".cache" / name for name in ("charts", "figures", "validate")]
    used = {f: sorted(p.name for p in f.iterdir()) for f in folders}
    assert all(used.values())
    for folder in folders:
        stale = folder / "0000-left-by-an-old-build.svg"
        stale.write_text("<svg/>", encoding="utf-8")
        os.utime(stale, (1_000_000_000, 1_000_000_000))
        for name in used[folder]:  # entries from a build long ago, but this build uses them
            os.utime(folder / name, (1_000_000_000, 1_000_000_000))
    site.build(root)
    assert {f: sorted(p.name for p in f.iterdir()) for f in folders} == used


def test_a_kept_docs_dir_ends_as_if_written_from_empty(small, tmp_path):
    """The docs dir is kept from build to build and brought up to date: what a build no
    longer writes goes, changed files are replaced (never written through: the site links
    to them), and unchanged files are left alone."""
    from scoreboard.data import model
    from scoreboard.figures import charts
    from scoreboard.pages import render

    dataset = model.load(small)
    derived = render.derive_all(dataset)
    renderer = charts.SvgRenderer(cache_dir=tmp_path / "charts")

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    fresh = tmp_path / "fresh"
    render.render_language(dataset, derived, "vi", fresh, small, renderer)
    kept = tmp_path / "kept"
    render.render_language(dataset, derived, "vi", kept, small, renderer)
    page_path = kept / "indicators" / f"{UNTOUCHED}.md"
    unchanged = (page_path.stat().st_ino, page_path.stat().st_mtime_ns)
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
    render.render_language(dataset, derived, "vi", kept, small, renderer)
    assert files(kept) == files(fresh)
    assert not (kept / "stale").exists() and not (kept / "empty").exists()
    assert (tmp_path / "published.md").read_text(encoding="utf-8") == "an older version"
    assert (page_path.stat().st_ino, page_path.stat().st_mtime_ns) == unchanged  # left alone, not written again
