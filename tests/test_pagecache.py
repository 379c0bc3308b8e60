"""The MkDocs page cache (scoreboard/pagecache.py) on a tiny MkDocs project: a new page
leaves the other stored pages reusable, and a page whose link target went away is built
again (so a strict build still reports the broken link)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scoreboard.site import build as site

MARK = "<!-- reused from the page cache -->"
CONFIG = """\
site_name: Page cache test
docs_dir: docs
use_directory_urls: true
theme:
  name: mkdocs
nav:
  - Home: index.md
"""


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n[A](a.md)\n", encoding="utf-8")
    (docs / "a.md").write_text("# A\n\nSee [B](b.md) and [the figure](figure.csv).\n", encoding="utf-8")
    (docs / "b.md").write_text("# B\n\nNo links.\n", encoding="utf-8")
    (docs / "figure.csv").write_text("x\n1\n", encoding="utf-8")
    return tmp_path


def build(root: Path, strict: bool = True) -> None:
    site._mkdocs_build(root / "mkdocs.yml", root / "site", strict, cache=root / "cache")


def mark_cache(root: Path) -> int:
    """Add MARK to every stored page: a page taken from the cache then carries it."""
    count = 0
    for path in (root / "cache").glob("*.html"):
        tmp = path.with_name(path.name + ".tmp")  # a new file, as the build writes entries
        tmp.write_text(path.read_text(encoding="utf-8").replace("</body>", MARK + "</body>"), encoding="utf-8")
        os.replace(tmp, path)
        count += 1
    return count


def html(root: Path, page: str) -> str:
    return (root / "site" / page / "index.html").read_text(encoding="utf-8")


def test_a_new_page_leaves_the_pages_that_do_not_link_to_it_reusable(project):
    build(project)
    assert mark_cache(project) == 3
    (project / "docs" / "new.md").write_text("# New\n\nA new period.\n", encoding="utf-8")
    build(project)
    assert MARK in html(project, "a") and MARK in html(project, "b")
    assert "A new period." in html(project, "new")


def test_without_a_fixed_menu_a_new_page_builds_every_page_again(project):
    """A menu made from the files lists the new page on every page."""
    config = project / "mkdocs.yml"
    config.write_text(CONFIG.split("nav:")[0], encoding="utf-8")
    build(project)
    mark_cache(project)
    (project / "docs" / "new.md").write_text("# New\n", encoding="utf-8")
    build(project)
    assert MARK not in html(project, "b") and "new/" in html(project, "b")


def test_a_page_whose_link_target_went_away_is_built_again(project):
    build(project)
    mark_cache(project)
    (project / "docs" / "b.md").unlink()
    build(project, strict=False)
    assert MARK not in html(project, "a")  # built again: its link to b.md now warns
    assert MARK in html(project, "")  # index links only to a.md, which is still there
    with pytest.raises(site.BuildError):
        build(project)  # strict: the broken link stops the build, as on a first build


def test_a_page_whose_linked_download_was_removed_is_built_again(project):
    build(project)
    mark_cache(project)
    (project / "docs" / "figure.csv").unlink()
    build(project, strict=False)
    assert MARK not in html(project, "a")
    assert MARK in html(project, "b")


def test_generated_files_reach_the_site_as_links_and_theme_files_as_copies(project):
    """MkDocs puts files of the generated docs dir into the site as hard links (no bytes
    copied: they are never changed in place), and still copies the theme's own files."""
    from mkdocs import utils

    copy_file = utils.copy_file
    build(project)
    assert (project / "site" / "figure.csv").samefile(project / "docs" / "figure.csv")
    theme_files = [p for p in (project / "site").rglob("*.css") if p.is_file()]
    assert theme_files and all(p.stat().st_nlink == 1 for p in theme_files)
    assert utils.copy_file is copy_file  # MkDocs is left as it was


def test_an_unchanged_page_is_linked_from_the_store_with_the_bytes_of_a_full_build(project):
    build(project)
    full = (project / "site" / "b" / "index.html").read_bytes()
    (project / "docs" / "a.md").write_text("# A\n\nEdited, and see [B](b.md).\n", encoding="utf-8")
    build(project)
    page = project / "site" / "b" / "index.html"
    assert page.read_bytes() == full
    assert any(page.samefile(p) for p in (project / "cache").glob("*.html"))  # no bytes written
    assert "Edited" in html(project, "a")


def test_a_full_build_keeps_the_stored_file_of_a_page_that_came_out_the_same(project, monkeypatch):
    """`build --full` builds every page again; a page with the same bytes keeps its stored
    file (inode and time), so the search mirror knows not to read it again, and a changed
    page gets a new one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # as site.build sets it: the theme prints a build date
    site._mkdocs_build(project / "mkdocs.yml", project / "site", True, cache=project / "cache", reuse=False)
    before = {p.name: p.stat() for p in (project / "cache").glob("*.html")}
    b_page = (project / "site" / "b" / "index.html").stat()
    (project / "docs" / "a.md").write_text("# A\n\nEdited, and see [B](b.md).\n", encoding="utf-8")
    site._mkdocs_build(project / "mkdocs.yml", project / "site2", True, cache=project / "cache", reuse=False)
    after = {p.name: p.stat() for p in (project / "cache").glob("*.html")}
    kept = [n for n in after if n in before and after[n].st_ino == before[n].st_ino]
    assert (project / "site2" / "b" / "index.html").stat().st_ino == b_page.st_ino
    assert len(kept) == 2 and len(after) == 3  # home and B kept; A stored anew
    assert "Edited" in (project / "site2" / "a" / "index.html").read_text(encoding="utf-8")
