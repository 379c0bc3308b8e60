"""Pages the engine built before come from the store: after an edit the engine lays out only
the changed pages and the navigation's, and the site is the same bytes as one built from an
empty store (tests/test_incremental.py builds that sequence); a change to the theme's
overrides builds every page again. Small invented projects (benchmarks/generate.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks import generate
from scoreboard.pages.urls import page_path
from scoreboard.site import build as site
from scoreboard.site import engine
from scoreboard.site.built_pages import html_path
from tests.conftest import file_digests
from tests.test_incremental import EDITED, UNTOUCHED, set_value


@pytest.mark.parametrize(
    "page, path, url",
    [
        ("index.md", "index.html", ""),
        ("about.md", "about/index.html", "about/"),
        ("indicators/index.md", "indicators/index.html", "indicators/"),
        ("indicators/x.md", "indicators/x/index.html", "indicators/x/"),
    ],
)
def test_a_page_is_written_where_the_engine_writes_it(page, path, url):
    assert html_path(page) == path and page_path(page) == url


def engine_input(root: Path, lang: str = "vi") -> set[str]:
    folder = root / "site_src" / "build" / lang
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")}


@pytest.fixture
def project(tmp_path) -> Path:
    return generate.generate(tmp_path / "project", 6, 2, 6)


def test_after_an_edit_the_engine_builds_the_changed_pages_and_the_navigations(project):
    site.build(project)
    every = engine_input(project)
    nav = engine.nav_pages(project / "mkdocs.yml", project / "site_src" / "build" / "vi")
    assert nav < every and f"indicators/{UNTOUCHED}.md" in every
    first = file_digests(project / "site")

    site.build(project)  # nothing changed: the navigation's pages only
    assert engine_input(project) == nav
    assert file_digests(project / "site") == first

    set_value(project, EDITED, "12.34")
    site.build(project)
    built = engine_input(project)
    assert f"indicators/{EDITED}.md" in built and f"indicators/{UNTOUCHED}.md" not in built
    assert nav < built and len(built) < len(every) / 2
    edited = file_digests(project / "site")
    assert "12,34" in (project / "site" / f"indicators/{EDITED}/index.html").read_text(encoding="utf-8")
    assert edited[f"indicators/{UNTOUCHED}/index.html"] == first[f"indicators/{UNTOUCHED}/index.html"]

    shutil.rmtree(project / ".cache" / "store" / "pages")  # from scratch: the same bytes
    site.build(project)
    assert engine_input(project) == every and file_digests(project / "site") == edited


def test_a_change_to_the_theme_overrides_builds_every_page_again(project):
    site.build(project)
    every = engine_input(project)
    main = project / "site_src" / "overrides" / "main.html"
    text = main.read_text(encoding="utf-8").replace("{% block extrahead %}", "{% block extrahead %}<!-- changed -->")
    main.write_text(text, encoding="utf-8")
    site.build(project)
    assert engine_input(project) == every
    page = (project / "site" / f"en/indicators/{UNTOUCHED}/index.html").read_text(encoding="utf-8")
    assert "<!-- changed -->" in page
