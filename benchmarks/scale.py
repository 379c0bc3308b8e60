#!/usr/bin/env python3
"""The build at the programme's scale, on data from benchmarks/generate.py.

    python benchmarks/scale.py [--indicators 250 --periods 20 --agencies 100] [--bare]

Prints: cold build (empty caches), rebuild after one CSV edit (as `build` and as `serve`
publishes it: pages first, search after), rebuild after adding one period, peak memory,
pages, site MB, search bytes and (with --bare) the ratio of the project's own work to bare
MkDocs + Material building the same generated pages, also measured like for like (see
like_for_like). Figures, not
assertions: the machine is shared, so absolute times are noisy.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402
from scoreboard.figures import chartengine  # noqa: E402
from scoreboard.maintain import scaffold as maintain  # noqa: E402
from scoreboard.site import build as site  # noqa: E402


def peak_mb() -> float:
    """Peak resident memory of this process and of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def timed_build(root: Path, **kwargs) -> tuple[float, float, site.Timings]:
    timings = site.Timings()
    start_wall, start_cpu = time.perf_counter(), _cpu()
    site.build(root, timings=timings, **kwargs)
    return time.perf_counter() - start_wall, _cpu() - start_cpu, timings


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def edit_one_value(root: Path) -> None:
    """Change the first figure of the newest period, as a maintainer correcting a value."""
    newest = sorted(p.name for p in (root / "data/periods").iterdir())[-1]
    path = root / f"data/periods/{newest}/observations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    row = next(r for r in rows[1:] if r[1] == newest and r[3] and not r[5])  # no x/y: a plain figure
    row[3] = "1" if row[3] != "1" else "2"
    row[9] = f"đạt {row[3]}"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def add_period(root: Path) -> str:
    newest = sorted(p.name for p in (root / "data/periods").iterdir())[-1]
    period_id = f"{newest[:4]}-H2" if newest.endswith("H1") else f"{int(newest[:4]) + 1}-H1"
    maintain.new_period(root, period_id)
    source = newest.lower()
    with (root / f"data/periods/{period_id}/observations.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            [
                "chi-tieu-002",
                period_id,
                "nationwide",
                "7",
                "",
                "",
                "reported",
                f"bao-cao-{source}",
                "true",
                "đạt 7",
                "",
                "",
            ]
        )
    return period_id


def site_figures(root: Path) -> dict:
    folder = (root / "site").resolve()
    files = [p for p in folder.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    search = [p for p in files if "search" in p.relative_to(folder).parts[:2] or "pagefind" in p.parts]
    return {
        "pages": len(pages),
        "site_mb": sum(p.stat().st_size for p in files) / 1e6,
        "search_bytes": sum(p.stat().st_size for p in search),
        "bytes_per_page": sum(p.stat().st_size for p in files) / max(len(pages), 1),
    }


def bare_mkdocs(root: Path) -> float:
    """Seconds for stock MkDocs + Material over the generated pages: MkDocs' own build of
    each config, without the project's hooks, Markdown extension or post steps."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from scoreboard.pages.share import lang_root
    from scoreboard.site.build import CONFIGS

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        for lang, config, _ in CONFIGS:
            mkdocs_build(load_config(str(root / config), site_dir=str(Path(out) / lang), site_url=lang_root(lang)))
    return time.perf_counter() - start


def run(indicators: int, periods: int, agencies: int, bare: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = generate.generate(Path(tmp) / "project", indicators, periods, agencies)
        print(f"Generated: {indicators} indicators, {periods} periods, {agencies} agencies", flush=True)
        rows = []

        def measure(label: str, **kwargs) -> None:
            rows.append((label, timed_build(root, **kwargs)))
            wall, cpu, timings = rows[-1][1]
            stages = ", ".join(f"{n.strip()} {s:.1f}" for n, s in timings.stages)
            print(f"  {label:<34} {wall:6.1f} s wall {cpu:6.1f} s CPU  ({stages})", flush=True)

        measure("cold build (no caches)", full=True)
        measure("rebuild, nothing changed")
        edit_one_value(root)
        measure("rebuild after one CSV edit")
        edit_one_value(root)
        with chartengine.running():  # as serve keeps it, started before the edit
            chartengine.wait_until_answering(120)
            measure("serve after one CSV edit: pages", preview=True)
            start = time.perf_counter()
            site.catch_up(root)
        print(f"  {'serve: then figures, search caught up':<34} {time.perf_counter() - start:6.1f} s wall", flush=True)
        add_period(root)
        measure("rebuild after adding a period")
        measure("full build, caches filled", full=True)
        print(f"  peak memory (largest process)  {peak_mb():6.0f} MB")
        figures = site_figures(root)
        print(
            f"  site: {figures['pages']} pages, {figures['site_mb']:.1f} MB "
            f"({figures['bytes_per_page'] / 1e3:.0f} KB a page), search files {figures['search_bytes'] / 1e6:.2f} MB"
        )
        if bare:
            seconds = bare_mkdocs(root)
            wall, _, timings = rows[-1][1]
            own = own_work(timings)
            print(
                f"  bare MkDocs + Material on the same pages {seconds:6.1f} s; full build / bare = "
                f"{wall / seconds:.2f}x; the project's own work (all but MkDocs, {own:.1f} s) / bare = "
                f"{own / seconds:.2f}x",
                flush=True,
            )
            _, _, timings = dict(rows)["rebuild after one CSV edit"]
            own = own_work(timings)
            print(
                f"  after one CSV edit: the project's own work ({own:.1f} s) / bare = {own / seconds:.2f}x", flush=True
            )
            like_for_like(root, seconds)


def own_work(timings: site.Timings) -> float:
    """Every stage but MkDocs (per language, as if one after the other)."""
    return sum(t for n, t in timings.stages if "mkdocs" not in n and n != "languages")


def like_for_like(root: Path, bare_seconds: float, rounds: int = 2) -> None:
    """The ratio with both sides measured alike. The build runs its two languages at once, so
    its stages (render, MkDocs) share the machine, while bare MkDocs builds one language after
    the other: here the --full build runs one process too (processes=1), in turn with bare
    MkDocs, and the quickest of each is compared (a busy host slows one run, not both)."""
    owns, mkdocs, bares = [], [], [bare_seconds]
    for _ in range(rounds):
        _, _, timings = timed_build(root, full=True, processes=1)
        owns.append(own_work(timings))
        mkdocs.append(sum(t for n, t in timings.stages if "mkdocs" in n))
        bares.append(bare_mkdocs(root))
    own, bare, theirs = min(owns), min(bares), min(mkdocs)
    print(
        f"  like for like ({rounds} --full builds in one process, in turn with bare MkDocs; quickest of each): "
        f"own work {own:.1f} s / bare MkDocs {bare:.1f} s = {own / bare:.2f}x "
        f"(/ the build's own MkDocs stages, {theirs:.1f} s = {own / theirs:.2f}x)",
        flush=True,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--bare", action="store_true", help="also time bare MkDocs + Material on the same pages")
    args = parser.parse_args(argv)
    run(args.indicators, args.periods, args.agencies, args.bare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
