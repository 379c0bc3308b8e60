"""Build the static site: check the data -> derive -> per language: render, write the docs
folder, engine build -> sitemaps and robots.txt -> search index -> swap into site/.

The site is built into a temporary folder beside site/ and replaces site/ only once
everything succeeded, so a failed build never removes or half-writes the last good site;
the swap itself is atomic and builds of one project take turns (see publish.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from scoreboard import store, workers
from scoreboard.data import layout
from scoreboard.data.problems import Problem
from scoreboard.derive import derive_all, quality
from scoreboard.pages import downloads, render, urls
from scoreboard.site import docs, engine, publish, search, sitemap
from scoreboard.site.built_pages import BuiltPages

# (language, engine configuration, folder under the site)
CONFIGS = (("vi", "mkdocs.yml", ""), ("en", "mkdocs.en.yml", "en"))


class BuildError(Exception):
    """The build stopped; args[0] lists the problems. The previous site is untouched."""


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
    search_later: bool = False,
) -> list[Problem]:
    """Build root/site. Returns the data's warnings; raises BuildError (with the problems)
    when the data has errors or a step cannot finish.

    `search_later` (serve): the new site keeps the previous one's search index, and
    refresh_search() replaces it once the pages are published.

    After the checks and the shared derivations, each language is rendered and built by the
    engine in its own process (two cores, two languages); `processes=1` builds in turn."""
    timings = timings or Timings()
    # Absolute (the engine reads relative paths from its config file's folder), but not
    # resolved: site/ is a link that each build replaces, never a folder to build into.
    root = Path(root).absolute()
    site_dir = Path(site_dir).absolute() if site_dir else root / "site"
    processes = processes or min(len(CONFIGS), os.cpu_count() or 1)
    publish.check_target(site_dir)
    started = time.time()
    with _turn(root):
        # The previous build and what killed builds left, deleted while this one works.
        cleaner = publish.remove_in_background(publish.set_aside(site_dir))
        try:
            problems = _build_locked(root, strict, timings, site_dir, processes, search_later)
        finally:
            with timings.stage("old site removed"):
                if cleaner is not None:
                    cleaner.wait()
        store.Store.of(root).prune(started)  # only after success: a failed build may have stopped early
        return problems


@contextlib.contextmanager
def _turn(root: Path):
    """Builds of one project take turns; a second one stops with a message."""
    try:
        with publish.lock(root):
            yield
    except publish.BuildRunning as exc:
        holder = f" (process {exc.holder})" if exc.holder else ""
        message = f"another build of this project is running{holder}"
        raise BuildError(
            [Problem(exc.lock.name, 0, "", message, "", "wait for it to finish, then build again", kind="build-running")]
        ) from None


_inherited: dict = {}  # what forked language processes read (see _build_locked)


def _build_locked(
    root: Path, strict: bool, timings: Timings, site_dir: Path, processes: int, search_later: bool
) -> list[Problem]:
    with timings.stage("validate"):
        problems, dataset = quality.check(root)
    if dataset is None:
        raise BuildError(problems)
    with timings.stage("derive"):
        derived = derive_all(dataset)
        data_files = downloads.files(dataset, derived, root)
        render.environment()  # once: forked children reuse it
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root)
    tmp = publish.tmp_dir(site_dir)
    outputs = {lang: tmp.with_name(f"{tmp.name}-{lang}") for lang, _, _ in CONFIGS}
    for path in [tmp, *outputs.values()]:
        shutil.rmtree(path, ignore_errors=True)
    # Forked language processes (and this one) inherit the data; spawned ones receive it pickled.
    _inherited["data"] = (dataset, derived, data_files)
    data = None if workers.context().get_start_method() == "fork" else _inherited["data"]
    jobs = [(lang, root / config, outputs[lang], root, strict, data) for lang, config, _ in CONFIGS]
    try:
        with timings.stage("languages"):
            results = workers.map_in_processes(_build_language, jobs, processes)
        for lang, stages, _ in results:
            timings.stages += [(f"  {lang} {name}", seconds) for name, seconds in stages]
        with timings.stage("post"):
            outputs["vi"].rename(tmp)
            outputs["en"].rename(tmp / "en")
            folders = {lang: tmp / folder if folder else tmp for lang, _, folder in CONFIGS}
            sitemap.write_sitemaps(folders, {lang: pages for lang, _, pages in results})
            sitemap.write_robots(tmp, folders)
        with timings.stage("search"):
            if search_later:
                search.carry_over(site_dir.resolve(), tmp)
            else:
                _search(lambda: search.index(tmp, store.Store.of(root)))
        with timings.stage("swap"):
            publish.swap(tmp, site_dir)
    finally:
        _inherited.clear()
        for path in [tmp, *outputs.values()]:
            shutil.rmtree(path, ignore_errors=True)
    return problems


def refresh_search(root: Path = layout.ROOT, site_dir: Path | None = None) -> None:
    """After build(search_later=True): the published site's search index made from its pages."""
    root = Path(root).absolute()
    site_dir = Path(site_dir).absolute() if site_dir else root / "site"
    with _turn(root):
        _search(lambda: search.replace_index(site_dir.resolve(), store.Store.of(root)))


def _search(run) -> None:
    try:
        run()
    except search.SearchError as exc:
        raise BuildError([Problem("pagefind", 0, "", exc.args[0], "", exc.args[1], kind="search")]) from None


def _build_language(job) -> tuple[str, list[tuple[str, float]], list[str]]:
    """Render one language, write its docs folder and build it with the engine."""
    lang, config_file, out, root, strict, data = job
    dataset, derived, data_files = data or _inherited["data"]
    stages = Timings()
    with stages.stage("render"):
        rendered = render.render_language(dataset, derived, lang, root)
    kept = store.Store.of(root)
    try:
        with stages.stage("write"):
            folder = root / "site_src" / "build" / lang
            setup = engine.setup_key(config_file, urls.lang_root(lang))
            built = BuiltPages(kept, setup, engine.nav_pages(config_file, folder))
            pages = docs.write(rendered, folder, root, kept, data_files, built)
        with stages.stage("engine"):
            engine.build(config_file, folder, out, urls.lang_root(lang), strict)
            built.finish(out)
    except engine.EngineError as exc:
        message = f"{engine.name()} stopped: {exc}"
        raise BuildError(
            [Problem(config_file.name, 0, "", message, "", "read the messages above", kind="engine")]
        ) from exc
    return lang, stages.stages, pages


def default_address_note() -> str | None:
    """Said once by a build without SCOREBOARD_SITE_URL: what the links it writes will say."""
    if os.environ.get("SCOREBOARD_SITE_URL", "").strip():
        return None
    return (
        f"SCOREBOARD_SITE_URL is not set: canonical links, citations, embed snippets and the feed "
        f"carry {urls.DEFAULT_SITE_URL} (set it to the published address, as CI does)"
    )

