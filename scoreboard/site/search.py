"""The search index: Pagefind, over the finished site, one index per language.

Pagefind indexes what main.html marks as the article (data-pagefind-body), minus what the
templates mark data-pagefind-ignore (data tables, the print-only address line, the download,
embed and cite blocks, sources and quotations, navigation aids), keeps one
index per <html lang> and folds tone marks itself ('dien thoai' finds 'điện thoại'); a
page loads only its own language's pieces, and only when a reader searches. It runs as the
Pagefind Python package's command (`python -m pagefind`), which exits once every file is
written: its service API answers "written" and is then stopped at once, and under load that
left an empty pagefind-entry.json (seen 1 run in 30 with both cores busy). An index is stored
by the pages it was made from: a build whose indexed pages are all unchanged reuses it
instead of running Pagefind again.

Index pieces are cut at PIECE_WORDS words (Pagefind's PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE, read
by the pinned version): by default most Vietnamese syllables fell in one 67 KB piece, and a
reader's first search loaded 153-172 KB; with smaller pieces a query loads only the few
kilobytes its words need, however large the site grows. The name says the setting may
change in a later Pagefind: tests/test_site.py fails if pieces grow back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from scoreboard import store

BODY = b"data-pagefind-body"  # main.html marks the article; pages without it are not indexed
# Pagefind's own UIs: the site's dialog (assets/search.js) uses only pagefind.js.
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")
OUTPUT = "pagefind"
PIECE_WORDS = 2000  # see above; the pieces of the real data's Vietnamese index are then 17 KB or less


class SearchError(Exception):
    """Pagefind could not index the site: args are (what happened, what to do)."""


def index(site: Path, kept: store.Store, output: Path | None = None) -> None:
    """Write site/pagefind (or `output`): the stored index when the indexed pages are
    unchanged, else a new one (then stored)."""
    output = output or site / OUTPUT
    pages = indexed_pages(site)
    name = store.key(
        "search",
        _version(),
        Path(__file__).read_bytes(),
        [(rel, hashlib.sha256(page).hexdigest()) for rel, page in pages],
    )
    stored = kept.path("search", name)
    if stored is not None and stored.is_dir():
        store.mark_used(stored)
        store.link_tree(stored, output)
        return
    _write_index(site, output)
    _tidy(output)
    if stored is not None:
        _keep(output, stored)


def carry_over(previous: Path, site: Path) -> None:
    """Give a new site the previous one's index (hard links), for `serve`, which publishes the
    pages first and then replaces the index (replace_index): the search is a build behind
    for a few seconds instead of the page."""
    if (previous / OUTPUT).is_dir():
        store.link_tree(previous / OUTPUT, site / OUTPUT)


def replace_index(site: Path, kept: store.Store) -> None:
    """Index a published site anew beside its index, then put the new one in its place (two
    renames; the old files are never written, as they may be hard links into the store)."""
    new, old = site / f"{OUTPUT}.new", site / f"{OUTPUT}.old"
    for path in (new, old):
        shutil.rmtree(path, ignore_errors=True)
    index(site, kept, new)
    if (site / OUTPUT).exists():
        (site / OUTPUT).rename(old)
    new.rename(site / OUTPUT)
    shutil.rmtree(old, ignore_errors=True)


def indexed_pages(site: Path) -> list[tuple[str, bytes]]:
    """(path, bytes) of every page Pagefind indexes, in a fixed order."""
    out = []
    for path in sorted(site.rglob("*.html")):
        data = path.read_bytes()
        if BODY in data:
            out.append((path.relative_to(site).as_posix(), data))
    return out


def _version() -> str:
    try:
        return metadata.version("pagefind-bin")
    except metadata.PackageNotFoundError:
        raise SearchError("Pagefind is not installed", "run `pip install -r requirements.txt`") from None


def _write_index(site: Path, output: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), "--silent"]
    try:
        env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(PIECE_WORDS)}
        result = subprocess.run(command, capture_output=True, text=True, env=env)
    except OSError as exc:
        raise SearchError(f"Pagefind could not run ({exc})", "reinstall it: `pip install -r requirements.txt`") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no message"]
        raise SearchError(f"Pagefind could not index the site: {detail[0]}", "read Pagefind's message above")


def _tidy(folder: Path) -> None:
    """Leave out Pagefind's own UIs, and list the languages in a fixed order (Pagefind lists
    them at random): two builds give the same bytes."""
    for pattern in UNUSED:
        for path in folder.glob(pattern):
            path.unlink()
    entry_path = folder / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _keep(index: Path, stored: Path) -> None:
    """Store a finished index (hard links); one that cannot be stored only costs time."""
    tmp = stored.with_name(stored.name + ".tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        store.link_tree(index, tmp)
        tmp.rename(stored)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
