"""Pages the engine has already built, kept in the store (kind "pages").

A page's HTML is a function of its Markdown, its path and the engine's setup (configuration,
theme and its overrides, package versions, site address): nothing of another page enters it,
as the navigation lists only the index pages, with their titles written in the
configuration. So a page whose Markdown is unchanged is left out of the engine's input and
its stored HTML is placed in the built site instead; the navigation's pages are built every
time. After one edit the engine lays out a few pages instead of every page of the language.
tests/test_built_pages.py checks that a site built this way is byte-identical to one built
from scratch.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from scoreboard import store
from scoreboard.pages import urls

KIND = "pages"


def html_path(page: str) -> str:
    """Where the engine writes a page (directory URLs): x.md and x/index.md -> x/index.html."""
    return posixpath.join(urls.page_dir(page), "index.html")


class BuiltPages:
    """Which pages of one language the engine must build, and the stored HTML of the others."""

    def __init__(self, kept: store.Store, engine_setup: str, always: set[str]):
        self.kept = kept
        self.engine_setup = engine_setup
        self.always = always  # the navigation's pages: built every time
        self.stored: dict[str, Path] = {}  # page -> its stored HTML, left out of the engine's input
        self.to_build: dict[str, str] = {}  # page -> its key, for the engine to build

    def key(self, page: str, markdown: bytes) -> str:
        return store.key("page", self.engine_setup, page, markdown)

    def needs_building(self, page: str, markdown: bytes) -> bool:
        """False when the page's HTML is stored (the engine then leaves it out)."""
        name = self.key(page, markdown)
        entry = self.kept.path(KIND, name, ".html")
        if page not in self.always and entry is not None and entry.is_file():
            store.mark_used(entry)
            self.stored[page] = entry
            return False
        self.to_build[page] = name
        return True

    def finish(self, site: Path) -> None:
        """After the engine's build: the stored pages placed in the site, the built ones stored."""
        for page, entry in self.stored.items():
            store.place(entry, site / html_path(page))
        for page, name in self.to_build.items():
            path = self.kept.path(KIND, name, ".html")
            built = site / html_path(page)
            if path is not None and built.is_file():
                store.write_entry(path, built.read_bytes())
