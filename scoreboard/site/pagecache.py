"""MkDocs hooks that reuse a page's previous HTML when nothing it depends on changed.

MkDocs converts and renders every page on every build; at scale most of a rebuild's time
goes into pages whose Markdown did not change. site.py loads this file as MkDocs hooks
(`hooks:`) for incremental builds and points SCOREBOARD_PAGE_CACHE at a folder per
language. A page is reused only when its key matches: the page's own source (front matter
and Markdown) and a site-wide key (config files, site address, theme overrides, this
file, the Markdown extensions site.py adds, and the versions of MkDocs, Material and
Markdown), and only while every file its links looked up is still there at the same
address (or still missing). The navigation is fixed in mkdocs.yml, so a new page (a new
period) rebuilds the pages whose Markdown or links changed, not every page. Pages whose build logged a warning are never stored, so a
strict build still sees every warning.
A full build (SCOREBOARD_PAGE_CACHE_REUSE=0) builds every page and refreshes the store;
without SCOREBOARD_PAGE_CACHE these hooks do nothing.

On a hit, the Markdown conversion is replaced by the stored HTML, table of contents and
anchors (MkDocs still validates links between pages from them), and the theme template by
the stored page: the output is the same bytes a full build writes. The stored page is a
file of its own (<key>.html beside <key>.pickle), which site.py links into the site
instead of writing the same bytes again. The theme's compiled templates are kept in the
same folder (templates/), so a build compiles only the templates that changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sys
from importlib import metadata
from pathlib import Path

import jinja2

from scoreboard import store as cachedir
from scoreboard.pages import templatecache

CACHE_ENV = "SCOREBOARD_PAGE_CACHE"
REUSE_ENV = "SCOREBOARD_PAGE_CACHE_REUSE"  # "0": store every page, reuse none (a full build)
TEMPLATE = "__scoreboard_cached_page__.html"
_log = logging.getLogger("mkdocs")


class _State:
    def __init__(self, folder: Path, reuse: bool):
        self.folder = folder
        self.reuse = reuse
        self.site_key = ""
        self.current: str | None = None  # the page being built: warnings are charged to it
        self.warned: set[str] = set()
        self.keys: dict[str, str] = {}  # src_uri -> key of this build
        self.entries: dict[str, dict] = {}  # src_uri -> what render produced (to store)
        self.hits: dict[str, dict] = {}  # src_uri -> stored entry reused
        self.used: set[str] = set()
        self.lookups: dict[str, dict] = {}  # src_uri -> {path its links looked up: answer}
        self.lookup = None  # MkDocs' own Files.get_file_from_path, unrecorded
        self.outputs: dict[str, Path] = {}  # abs_dest_path -> stored HTML that MkDocs would write there


_state: _State | None = None


class _WarningWatch(logging.Handler):
    def emit(self, record):
        if _state is not None and _state.current is not None and record.levelno >= logging.WARNING:
            _state.warned.add(_state.current)


_watch = _WarningWatch()


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _config_texts(path: Path) -> list[str]:
    """A config file's text and the texts it inherits."""
    texts = []
    while path and path.is_file():
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        inherit = next((line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("INHERIT:")), "")
        path = (path.parent / inherit) if inherit else None
    return texts


def _tree_text(folder: str | None) -> list[str]:
    if not folder or not Path(folder).is_dir():
        return []
    out = []
    for f in sorted(Path(folder).rglob("*")):
        if f.is_file():
            out += [f.relative_to(folder).as_posix(), hashlib.sha256(f.read_bytes()).hexdigest()]
    return out


def _versions() -> list[str]:
    names = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
    out = []
    for name in names:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return out


def _extension_texts(config) -> list[str]:
    """The code of Markdown extensions given as objects, not names (site.py adds rawhtml's)."""
    modules = {type(ext).__module__ for ext in config["markdown_extensions"] if not isinstance(ext, str)}
    return [Path(sys.modules[name].__file__).read_text(encoding="utf-8") for name in sorted(modules)]


def on_config(config):
    global _state
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        _state = None
        return config
    _state = _State(Path(folder), os.environ.get(REUSE_ENV) != "0")
    _state.folder.mkdir(parents=True, exist_ok=True)
    env = [
        f"{k}={v}"
        for k, v in sorted(os.environ.items())
        if k.startswith("SCOREBOARD_") and k not in (CACHE_ENV, REUSE_ENV)
    ]
    _state.site_key = _hash(
        *_config_texts(Path(config.config_file_path)),
        str(config.site_url),
        *env,
        *_tree_text(config.theme.custom_dir),
        Path(__file__).read_text(encoding="utf-8"),
        *_extension_texts(config),
        *_versions(),
    )
    if _watch not in _log.handlers:
        _log.addHandler(_watch)
    return config


def _answer(file) -> tuple | None:
    """What a page's HTML takes from a file it links to: its address, and whether it is
    left out of the site (None: no such file, the link stays as written, with a warning)."""
    return None if file is None else (file.url, file.inclusion.is_excluded())


def on_files(files, config):
    """Record, for the page being built, every file its links look up (see _reusable)."""
    if _state is not None:
        if not config.nav:  # a menu made from the files: every page shows the list of files
            listing = sorted(f.src_uri + ("" if f.is_documentation_page() else "*") for f in files)
            _state.site_key = _hash(_state.site_key, *listing)
        lookup = _state.lookup = files.get_file_from_path

        def recorded(path):
            found = lookup(path)
            if _state is not None and _state.current is not None:
                _state.lookups.setdefault(_state.current, {})[path] = _answer(found)
            return found

        files.get_file_from_path = recorded
    return files


def _reusable(key: str, entry: dict | None) -> bool:
    return (
        entry is not None
        and _html_path(key).is_file()
        and all(_answer(_state.lookup(p)) == a for p, a in entry.get("lookups", {}).items())
    )


def stored_output(path: str) -> Path | None:
    """The stored page that this build writes at `path` unchanged, if any: site.py links it
    there instead of writing its bytes again."""
    return _state.outputs.get(path) if _state is not None else None


def on_env(env, config, files):
    if _state is not None:
        own = jinja2.DictLoader({TEMPLATE: "{{ page.scoreboard_cached_output|safe }}"})
        env.loader = jinja2.ChoiceLoader([own, env.loader])
        # The theme's templates, compiled once and kept (see templatecache.py).
        templatecache.attach(env, _state.folder / "templates", "\n".join(_versions()))
    return env


def on_pre_page(page, config, files):
    if _state is not None:
        _state.current = page.file.src_uri
    return page


def on_page_markdown(markdown, page, config, files):
    if _state is None:
        return markdown
    uri = page.file.src_uri
    key = _hash(_state.site_key, uri, json.dumps(page.meta, sort_keys=True, default=str), markdown)
    _state.keys[uri] = key
    entry = _load(key) if _state.reuse else None
    if not _reusable(key, entry):
        return markdown
    _state.hits[uri] = entry

    def render(config, files):  # instead of Markdown: what the same source gave last time
        page.content = entry["content"]
        page.toc = entry["toc"]
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        links = {}
        for target, anchors in entry["links"].items():
            links[files.get_file_from_path(target)] = dict(anchors)
        page.links_to_anchors = links

    page.render = render
    return markdown


def on_page_content(html, page, config, files):
    if _state is None:
        return html
    uri = page.file.src_uri
    if uri in _state.hits:
        key = _state.keys[uri]
        try:
            page.scoreboard_cached_output = _html_path(key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):  # removed since on_page_markdown: build it
            page.scoreboard_cached_output = None
        if page.scoreboard_cached_output:
            page.meta["template"] = TEMPLATE
            _state.outputs[page.file.abs_dest_path] = _html_path(key)
            _state.used.add(key)
            _state.current = None
            return html
    else:
        _state.entries[uri] = {
            "content": html,
            "toc": page.toc,
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {f.src_uri: dict(a) for f, a in (page.links_to_anchors or {}).items()},
            "lookups": dict(_state.lookups.get(uri, {})),
        }
    _state.current = None
    return html


def on_page_context(context, page, config, nav):
    if _state is not None:
        _state.current = page.file.src_uri
    return context


def on_post_page(output, page, config):
    if _state is None:
        return output
    uri = page.file.src_uri
    _state.current = None
    entry = _state.entries.pop(uri, None)
    if entry is not None and uri not in _state.warned and uri in _state.keys:
        key = _state.keys[uri]
        # The page as MkDocs writes it, in a file of its own: the next build links it into
        # the site (see stored_output). Then what else the page needs, when that worked.
        # An entry with the same bytes (a --full build of an unchanged page) stays the same
        # file, so the search mirror does not trim the page again.
        if cachedir.write_entry(_html_path(key), output.encode("utf-8", errors="xmlcharrefreplace"), keep_same=True):
            _store(key, entry)
            _state.used.add(key)
            _state.outputs[page.file.abs_dest_path] = _html_path(key)  # one file, not two copies
    return output


def on_post_build(config):
    """Forget pages no longer built, so the cache does not grow without end."""
    if _state is not None:
        cachedir.keep_only(_state.folder, "*.pickle", _state.used)
        cachedir.keep_only(_state.folder, "*.html", _state.used)


def _html_path(key: str) -> Path:
    return _state.folder / f"{key}.html"


def _load(key: str) -> dict | None:
    return cachedir.read_pickle(_state.folder / f"{key}.pickle")


def _store(key: str, entry: dict) -> None:
    cachedir.write_entry(_state.folder / f"{key}.pickle", pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
