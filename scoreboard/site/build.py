"""Build the static site: validate -> render -> MkDocs (vi, then en) -> post-process -> swap.

The site is built into a temporary folder beside site/ and only replaces site/ once
everything succeeded, so a failed build never removes or half-writes the last good site;
the swap itself is atomic and builds of one project take turns (see publish.py).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gzip
import hashlib
import http.server
import json
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from scoreboard import store as cachedir
from scoreboard.figures import chartengine
from scoreboard.figures import charts
from scoreboard.figures import frame as figures
from scoreboard.data import layout
from scoreboard.site import pagecache
from scoreboard.site import publish
from scoreboard.site import rawhtml
from scoreboard.pages import render
from scoreboard.pages import rendercache
from scoreboard.pages import share
from scoreboard.data import validate

CONFIGS = (("vi", "mkdocs.yml", ""), ("en", "mkdocs.en.yml", "en"))


class BuildError(Exception):
    """The build stopped; the previous site is untouched."""


@dataclass
class Timings:
    stages: list[tuple[str, float]] = field(default_factory=list)

    @contextlib.contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        yield
        self.stages.append((name, time.perf_counter() - start))

    def report(self) -> str:
        total = sum(s for name, s in self.stages if not name.startswith(" "))
        lines = [f"{name:<12} {seconds:6.2f} s" for name, seconds in self.stages]
        return "\n".join(lines + [f"{'total':<12} {total:6.2f} s"])


def source_date_epoch(root: Path) -> str:
    """The last commit's time, so that two builds of one commit are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True)
        return out.stdout.strip() or "0"
    except (OSError, subprocess.CalledProcessError):
        return "0"


def build(
    root: Path = layout.ROOT,
    strict: bool = False,
    timings: Timings | None = None,
    site_dir: Path | None = None,
    processes: int | None = None,
    full: bool = False,
    preview: bool = False,
) -> list[validate.Problem]:
    """Build root/site. Raises BuildError (with the problems) when the data has errors.

    After validation and the shared derivations, each language is rendered and built by
    MkDocs in its own process (two cores, two languages); `processes=1` builds in turn.
    Pages whose source did not change reuse their HTML from root/.cache/pages (see
    pagecache.py); `full=True` builds every page from scratch, to the same bytes.
    `preview=True` publishes the pages at once, for the preview to show an edit: with the
    previous site's search index, and without the figure downloads not drawn yet (their
    pages link to them); catch_up() then draws those and brings search up to date.
    """
    timings = timings or Timings()
    # Absolute (MkDocs reads relative paths from its config file's folder), but not resolved:
    # site/ is a link that each build replaces, never a folder to build into.
    root = Path(root).absolute()
    site_dir = Path(site_dir).absolute() if site_dir else root / "site"
    processes = processes or min(len(CONFIGS), os.cpu_count() or 1)
    publish.check_target(site_dir)
    started = time.time()
    with _turn(root):
        # The previous build and what killed builds left, deleted while this one works.
        cleaner = publish.remove_in_background(publish.set_aside(site_dir))
        try:
            problems = _build_locked(root, strict, timings, site_dir, processes, full, preview)
        finally:
            with timings.stage("old site removed"):
                if cleaner is not None:
                    cleaner.wait()
        with timings.stage("caches pruned"):
            cachedir.prune_unused(root, started)  # only after success: a failed build may have stopped early
        return problems


@contextlib.contextmanager
def _turn(root: Path):
    """Builds of one project take turns; a second one stops with a message."""
    try:
        with publish.lock(root):
            yield
    except publish.BuildRunning as exc:
        holder = f" (process {exc.holder})" if exc.holder else ""
        raise BuildError(
            [
                validate.Problem(
                    exc.lock.name,
                    0,
                    "",
                    f"another build of this project is running{holder}",
                    "",
                    "wait for it to finish, then build again",
                    kind="build-running",
                )
            ]
        ) from None


def _build_locked(
    root: Path, strict: bool, timings: Timings, site_dir: Path, processes: int, full: bool, preview: bool
):
    with timings.stage("validate"):  # and load: the warnings need the model too
        problems, dataset = validate.validate_and_load(root)
    if any(p.is_error for p in problems):
        raise BuildError(problems)
    with timings.stage("derive"):
        derived = render.derive_all(dataset)
        render.environment(render.compiled_templates(root))  # once: forked children reuse it
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    tmp = publish.tmp_dir(site_dir)
    outputs = {lang: tmp.with_name(f"{tmp.name}-{lang}") for lang, _, _ in CONFIGS}
    for path in [tmp, *outputs.values()]:
        shutil.rmtree(path, ignore_errors=True)
    # Forked language processes inherit the data instead of receiving it pickled (about
    # 20 MB at scale, half a second to pickle and unpickle).
    inherit = processes > 1 and _start_method() == "fork"
    if inherit:
        _inherited["data"] = (dataset, derived)
    data = None if inherit else (dataset, derived)
    jobs = [
        (lang, root / config, outputs[lang], root, strict, data, page_cache(root, lang), not full, preview)
        for lang, config, _ in CONFIGS
    ]
    try:
        with timings.stage("languages"):
            results = _map_in_processes(_build_language, jobs, processes)
        for lang, stages, _ in results:
            timings.stages += [(f"  {lang} {name}", seconds) for name, seconds in stages]
        with timings.stage("post"):
            outputs["vi"].rename(tmp)
            outputs["en"].rename(tmp / "en")
            write_sitemaps(tmp)
        with timings.stage("search"):
            if not preview:
                index_search(tmp, search_mirror_dir(root))
            elif (site_dir / "pagefind").is_dir():
                _link_tree(site_dir / "pagefind", tmp / "pagefind")
        with timings.stage("swap"):
            publish.swap(tmp, site_dir)
        # What the site now published lacks (a failed build leaves the previous list).
        _keep_pending_figures(root, [figure for _, _, deferred in results for figure in deferred])
    finally:
        _inherited.clear()
        for path in [tmp, *outputs.values()]:
            shutil.rmtree(path, ignore_errors=True)
    return problems


def _start_method() -> str:
    """fork is quickest (children inherit compiled templates and data), but a process whose
    vl_convert engine is running has threads that a fork must not copy: then spawn."""
    return "spawn" if "vl_convert" in sys.modules else "fork"


def _map_in_processes(function, jobs: list, processes: int) -> list:
    """function(job) for every job: in child processes, one a job, when `processes` > 1;
    in this process, in turn, otherwise."""
    if processes <= 1 or not jobs:
        return [function(job) for job in jobs]
    context = multiprocessing.get_context(_start_method())
    with concurrent.futures.ProcessPoolExecutor(len(jobs), mp_context=context) as pool:
        return list(pool.map(function, jobs))


def catch_up(root: Path = layout.ROOT, site_dir: Path | None = None, processes: int | None = None) -> None:
    """Finish what a preview build left for later (build(preview=True)): draw the figure
    downloads it did not draw and index search, in a copy of the published site (hard
    links, no bytes copied) that then replaces site/."""
    site_dir = site_dir or root / "site"
    with _turn(root):
        if not site_dir.is_dir():
            return
        tmp = publish.tmp_dir(site_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            _link_tree(site_dir.resolve(), tmp)
            shutil.rmtree(tmp / "pagefind", ignore_errors=True)  # unlinks only: the live index stays
            draw_figures(cachedir.read_pickle(pending_figures_path(root)) or [], tmp, root, processes)
            index_search(tmp, search_mirror_dir(root))
            publish.swap(tmp, site_dir)
            pending_figures_path(root).unlink(missing_ok=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def pending_figures_path(root: Path) -> Path:
    """The figures a preview build did not draw (see catch_up)."""
    return root / ".cache" / "figures-pending.pickle"


def _keep_pending_figures(root: Path, pending: list[figures.Figure]) -> None:
    path = pending_figures_path(root)
    if pending:
        cachedir.write_entry(path, pickle.dumps(pending, protocol=pickle.HIGHEST_PROTOCOL))
    else:
        path.unlink(missing_ok=True)


def draw_figures(pending: list[figures.Figure], site: Path, root: Path, processes: int | None = None) -> None:
    """Draw figure downloads into a finished site (each language's figures in its folder),
    through the figure cache; the languages in parallel, as in build()."""
    jobs = []
    for lang, _, subdir in CONFIGS:
        mine = [figure for figure in pending if figure.lang == lang]
        if mine:
            jobs.append((mine, site / subdir if subdir else site, root / ".cache" / "figures"))
    # In child processes even for one language: the Vega engine's threads, once started
    # here, would make every later build spawn its language processes instead of forking.
    _map_in_processes(_draw_figures, jobs, processes or min(len(CONFIGS), os.cpu_count() or 1))


def _draw_figures(job) -> None:
    pending, folder, cache_dir = job
    images = figures.DownloadRenderer(cache_dir=cache_dir)
    for figure in pending:
        images.write(figure, folder)


def _link_tree(src: Path, dest: Path) -> None:
    """Copy a folder as hard links (files are never changed in place once published)."""
    shutil.copytree(src, dest, copy_function=lambda a, b: cachedir.place(Path(a), Path(b)))


@contextlib.contextmanager
def _unchanged_files_linked(docs_dir: str):
    """While MkDocs builds, files it would copy from the generated docs dir (figures,
    downloads, charts: most of a site's bytes) and pages it would write unchanged from the
    page cache reach the site as hard links, not new bytes. Neither is ever changed in
    place (the next render starts a new docs dir; cache entries are replaced whole), so
    the site is the same; the theme's own files are still copied."""
    from mkdocs import utils

    copy_file, write_file = utils.copy_file, utils.write_file
    docs = os.path.join(os.path.abspath(docs_dir), "")

    # cachedir.place makes a missing folder itself (only when a link finds it missing).
    def copy_or_link(source_path: str, output_path: str) -> None:
        if os.path.abspath(source_path).startswith(docs) and not os.path.isdir(output_path):
            cachedir.place(Path(source_path), Path(output_path))
        else:
            copy_file(source_path, output_path)

    def write_or_link(content: bytes, output_path: str) -> None:
        stored = pagecache.stored_output(output_path)
        try:
            if stored is not None and stored.stat().st_size == len(content):
                cachedir.place(stored, Path(output_path))
                return
        except OSError:
            pass  # gone since: written below
        write_file(content, output_path)

    # MkDocs 1.6 copies each static file with utils.copy_file and writes each page with
    # utils.write_file.
    utils.copy_file, utils.write_file = copy_or_link, write_or_link
    try:
        yield
    finally:
        utils.copy_file, utils.write_file = copy_file, write_file


_inherited: dict = {}  # what forked language processes read here (see _build_locked)


def _build_language(job) -> tuple[str, list[tuple[str, float]], list[figures.Figure]]:
    lang, config_file, out, root, strict, data, cache, reuse, preview = job
    dataset, derived = data if data is not None else _inherited["data"]
    stages = Timings()
    with stages.stage("render"):
        charts.keep_compiled_templates(root / ".cache" / "vega-templates")
        renderer = charts.SvgRenderer(cache_dir=root / ".cache" / "charts")
        images = figures.DownloadRenderer(cache_dir=root / ".cache" / "figures", defer=preview)
        markdown = rendercache.RenderCache(root / ".cache" / "markdown" / lang, rendercache.site_key(lang), reuse=reuse)
        # A full build renders every page again into the kept docs dir: the files it would
        # write with the bytes they already hold are left as they are (render_language).
        docs = root / "site_src" / "build" / lang
        render.render_language(dataset, derived, lang, docs, root, renderer, images, markdown)
    stages.stages[-1] = (f"render ({markdown.misses} pages rendered, {markdown.hits} reused)", stages.stages[-1][1])
    with stages.stage("mkdocs"):
        _mkdocs_build(config_file, out, strict, share.lang_root(lang), cache, reuse)
    return lang, stages.stages, images.deferred


def search_mirror_dir(root: Path) -> Path:
    """Where the trimmed pages that Pagefind reads are kept between builds."""
    return root / ".cache" / "search"


def page_cache(root: Path, lang: str) -> Path:
    """Where one language's built pages are kept between builds."""
    return root / ".cache" / "pages" / lang


def _mkdocs_build(
    config_file: Path,
    site_dir: Path,
    strict: bool,
    site_url: str | None = None,
    cache: Path | None = None,
    reuse: bool = True,
) -> None:
    """One language's MkDocs build. With a cache folder, pages are stored there and (when
    `reuse`) unchanged ones taken from it; a full build (`reuse=False`) only refreshes it."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        overrides = {"site_url": site_url} if site_url else {}  # one setting: share.site_url()
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=strict, **overrides)
        config.plugins["scoreboard-pagecache"] = pagecache  # not in mkdocs.yml: Zensical ignores hooks
        config["markdown_extensions"].append(rawhtml.RawHtmlExtension())  # the same HTML, sooner
        settings = {pagecache.CACHE_ENV: str(cache) if cache else None, pagecache.REUSE_ENV: "1" if reuse else "0"}
        previous = {name: os.environ.pop(name, None) for name in settings}
        os.environ.update({name: value for name, value in settings.items() if value is not None})
        try:
            with _unchanged_files_linked(config["docs_dir"]):
                mkdocs_build(config)
        finally:
            for name, value in previous.items():
                os.environ.pop(name, None)
                if value is not None:
                    os.environ[name] = value
    except (Abort, ConfigurationError) as exc:
        raise BuildError(
            [
                validate.Problem(
                    config_file.name,
                    0,
                    "",
                    f"MkDocs stopped: {exc}",
                    "",
                    "read the MkDocs messages above",
                    kind="mkdocs",
                )
            ]
        ) from exc


# Pagefind reads <dt>Unit</dt><dd>per cent</dd> (and adjacent table cells) as one word,
# "Unitper cent", in its index and excerpts: it indexes a copy with a space between them.
ADJACENT_CELLS = re.compile(r"(</(?:td|th|dt|dd)>)(?=<(?:td|th|dt|dd)[\s>])")
# Search finds pages by their titles, headings, text and lists; the figures in data tables
# stay on the pages and in the downloads. Tables are most of the bytes of period, league and
# agency pages (and never nest), and indexing them made search the slowest step at scale.
DATA_TABLE = re.compile(r"<table\b.*?</table>", re.S)
BODY = "data-pagefind-body"  # main.html marks the article; pages without it are not indexed
# Pagefind's own UIs: the site's dialog (assets/search.js) uses only pagefind.js.
UNUSED_PAGEFIND = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")


HTML_TAG = re.compile(r"<html\b[^>]*>")


def searched_html(html: str) -> str | None:
    """What Pagefind reads of a page: None for a page it does not index; otherwise the
    <html> tag (its lang picks the index) and the page from the article on, without its
    data tables, with a space between adjacent terms and cells. The head, header and menus
    before the article are never indexed, and leaving them out halves what Pagefind parses."""
    body = html.find(BODY)
    tag = HTML_TAG.search(html, 0, body) if body >= 0 else None
    if tag is None:
        return None
    article = html[html.rfind("<", 0, body) :]
    return ADJACENT_CELLS.sub(r"\1 ", DATA_TABLE.sub("", tag.group(0) + "<body>" + article))


def index_search(site: Path, mirror: Path | None = None) -> None:
    """Build Pagefind's search index over the finished site, before it replaces site/.

    One run covers both languages: Pagefind keeps one index per <html lang> and a page
    loads only its own language's pieces, only when a reader searches. It indexes the
    article body (main.html marks it), without its data tables, and folds tone marks
    itself: 'dien thoai' finds 'điện thoại'. Pagefind reads a trimmed copy of the pages
    it indexes (kept in `mirror` between builds, see search_mirror); the site's own HTML
    stays as MkDocs wrote it."""
    try:
        from pagefind_bin import get_executable

        binary = str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise _search_problem(f"Pagefind is not installed ({exc})", "run `pip install -r requirements.txt`") from None
    copy = mirror or site.with_name(site.name + "-search")
    try:
        stamps = search_mirror(site, copy)
        stored = stored_index_dir(mirror, stamps) if mirror else None
        if stored is not None and stored.is_dir():
            _link_tree(stored, site / "pagefind")  # the same pages as last time: the same index
            return
        command = [binary, "--site", str(copy), "--output-path", str(site / "pagefind"), "--silent"]
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError as exc:
        raise _search_problem(
            f"Pagefind could not run ({exc})", "reinstall it: `pip install -r requirements.txt`"
        ) from None
    finally:
        if mirror is None:
            shutil.rmtree(copy, ignore_errors=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no message"]
        raise _search_problem(f"Pagefind could not index the site: {detail[0]}", "read Pagefind's message above")
    for pattern in UNUSED_PAGEFIND:
        for path in (site / "pagefind").glob(pattern):
            path.unlink()
    # Pagefind lists the languages in a random order: sorted, two builds give the same bytes.
    entry_path = site / "pagefind" / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    if stored is not None:
        _keep_index(site / "pagefind", stored)


def stored_index_dir(mirror: Path, stamps: str) -> Path:
    """Where the index of the pages `stamps` names is kept: a rebuild whose pages are all
    the same files as last time (see search_mirror) reuses it instead of running Pagefind.
    Keyed by the pages, Pagefind's version and this file (which trims and tidies)."""
    key = hashlib.sha256(
        "\0".join([stamps, metadata.version("pagefind-bin"), Path(__file__).read_text(encoding="utf-8")]).encode()
    ).hexdigest()
    return mirror.with_name("search-index") / key


def _keep_index(index: Path, stored: Path) -> None:
    """Keep a copy of a finished index (hard links) as the only stored one; a copy that
    cannot be made only costs the next build time."""
    tmp = stored.with_name(stored.name + ".tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        _link_tree(index, tmp)
        for old in stored.parent.iterdir():
            if old != tmp:
                shutil.rmtree(old, ignore_errors=True)
        tmp.rename(stored)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


MIRROR_STAMPS = ".stamps.json"  # in the mirror: page -> the identity of the site file it was trimmed from


def search_mirror(site: Path, mirror: Path) -> str:
    """Make `mirror` hold searched_html() of every page of `site` that Pagefind indexes, and
    nothing else; returns the stamps of the pages it indexes (see stored_index_dir). A page
    is trimmed again only when its file is not the one trimmed last time: the site's
    unchanged pages are hard links to the page cache (see _unchanged_files_linked), so they
    keep their inode, size and time from build to build.
    The stamps are removed before any change and written after the last one: a killed
    build leaves no stamps, and the next one trims every page."""
    stamps_path = mirror / MIRROR_STAMPS
    try:
        before = json.loads(stamps_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    if not isinstance(before, dict):
        before = {}
    stamps_path.unlink(missing_ok=True)
    after: dict[str, dict] = {}  # page -> {'stamp': [...], 'indexed': bool}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        info = page.stat()
        stamp = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns]
        target = mirror / rel
        known = before.get(rel)
        if isinstance(known, dict) and known.get("stamp") == stamp and known.get("indexed") in (False, True):
            if not known["indexed"] or target.is_file():
                after[rel] = known
                continue
        text = searched_html(page.read_text(encoding="utf-8"))
        if text is None:
            target.unlink(missing_ok=True)
        else:
            cachedir.put(text.encode("utf-8"), target)
        after[rel] = {"stamp": stamp, "indexed": text is not None}
    for path in sorted(mirror.rglob("*.html")):  # pages no longer in the site
        rel = path.relative_to(mirror).as_posix()
        if not after.get(rel, {}).get("indexed"):
            path.unlink()
    mirror.mkdir(parents=True, exist_ok=True)
    stamps_path.write_text(json.dumps(after, sort_keys=True), encoding="utf-8")
    return json.dumps({rel: known["stamp"] for rel, known in after.items() if known["indexed"]}, sort_keys=True)


def _search_problem(message: str, action: str) -> BuildError:
    return BuildError([validate.Problem("pagefind", 0, "", message, "", action, kind="search")])


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def write_sitemaps(site: Path) -> None:
    """Each language's sitemap lists its pages with both languages' versions as
    xhtml:link alternates (pages present in one language only get no alternates).
    Written in a fixed order with no build date, so two builds give the same bytes;
    the .gz copy is rewritten to match (with no time stamp)."""
    import xml.etree.ElementTree as ET

    roots = {lang: share.lang_root(lang) for lang, _, _ in CONFIGS}
    dirs = {lang: site / subdir if subdir else site for lang, _, subdir in CONFIGS}
    pages: dict[str, list[str]] = {}
    for lang, folder in dirs.items():
        path = folder / "sitemap.xml"
        if not path.exists():
            return
        locs = [el.text or "" for el in ET.parse(path).getroot().iter(f"{{{SITEMAP_NS}}}loc")]
        pages[lang] = sorted(loc[len(roots[lang]) :] for loc in locs if loc.startswith(roots[lang]))
    for lang, folder in dirs.items():
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
        ]
        for rel in pages[lang]:
            lines += ["  <url>", f"    <loc>{_xml(roots[lang] + rel)}</loc>"]
            versions = [other for other in roots if rel in pages[other]]
            if len(versions) > 1:
                for other in versions:
                    href = _xml(roots[other] + rel)
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{other}" href="{href}"/>')
            lines.append("  </url>")
        lines.append("</urlset>")
        text = ("\n".join(lines) + "\n").encode("utf-8")
        (folder / "sitemap.xml").write_bytes(text)
        (folder / "sitemap.xml.gz").write_bytes(gzip.compress(text, mtime=0))


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- preview ------------------------------------------------------------------------------------

RELOAD_SCRIPT = (
    "<script>(function(){var v=null;setInterval(function(){fetch('/__build').then(function(r){return r.text()})"
    ".then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},1000)})();</script>"
)
WATCHED = (
    "data",
    "site_src/pages",
    "site_src/partials",
    "site_src/assets",
    "site_src/overrides",
    "scoreboard",
    "mkdocs.yml",
    "mkdocs.en.yml",
)


def _snapshot(root: Path) -> dict:
    stamps = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                stamps[str(f)] = f.stat().st_mtime_ns
    return stamps


class PreviewServer(http.server.ThreadingHTTPServer):
    """The preview's HTTP server. A browser that stops loading a page (a reload, a closed tab,
    a click on another link) drops its connection while files are still being sent: that is
    no error, and printing a traceback for it would only alarm whoever is editing."""

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):  # broken pipe, connection reset
            return
        super().handle_error(request, client_address)


def serve(root: Path = layout.ROOT, port: int = 8000) -> None:
    """Build, serve site/ on localhost and rebuild when data, pages or code change.

    A rebuild publishes the pages first, and the figure downloads it has not drawn yet and
    the search index a few seconds later (at scale, indexing and drawing PNGs are the longest
    steps). Pages reload themselves after a rebuild (a small script is added to served pages
    only; the built files are not changed). A failed rebuild keeps the last good site.
    """
    state = {"build": 0}

    def rebuild():
        try:
            problems = build(root, preview=True)  # pages first: the preview shows the edit at once
            for p in problems:
                print(p.text())
            state["build"] += 1
            print(f"built site/ (#{state['build']}); serving http://127.0.0.1:{port}/", flush=True)
            catch_up(root)  # then the figure downloads and search
            print("figure downloads and search index updated", flush=True)
        except BuildError as exc:
            for p in exc.args[0]:
                print(p.text())
            print("build failed; still serving the previous site", flush=True)
        except OSError as exc:
            print(publish.describe_os_error(exc), flush=True)
            print("build failed; still serving the previous site", flush=True)

    site_dir = root / "site"

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def log_message(self, *args):
            pass

        def _send(self, body: bytes, content_type: str):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/__build":
                return self._send(str(state["build"]).encode(), "text/plain")
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                location, _, query = self.path.partition("?")
                location = "/" + location.lstrip("/")  # never "//host": a redirect stays on this server
                if not location.endswith("/"):
                    # /en -> /en/, as a web server does: relative links resolve from the folder
                    self.send_response(301)
                    self.send_header("Location", location + "/" + ("?" + query if query else ""))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                path = path / "index.html"
            if path.suffix == ".html" and path.exists():
                body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>")
                return self._send(body, "text/html; charset=utf-8")
            return super().do_GET()

    def watch(before: dict):
        while True:
            time.sleep(1)
            now = _snapshot(root)
            if now != before:
                before = now
                rebuild()

    server = PreviewServer(("127.0.0.1", port), Handler)  # a taken port fails at once
    threading.Thread(target=server.serve_forever, daemon=True).start()  # serves the last site meanwhile
    print(f"Preview: http://127.0.0.1:{port}/ (English: /en/). Ctrl+C stops.", flush=True)
    try:
        with chartengine.running():  # the charts of an edit, drawn without starting an engine
            sources = _snapshot(root)  # taken first: an edit during the first build is seen
            rebuild()
            watch(sources)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
