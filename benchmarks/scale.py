#!/usr/bin/env python3
"""The build at the programme's scale, on invented data from benchmarks/generate.py.

    python benchmarks/scale.py [--indicators 250 --periods 20 --agencies 100]

Prints: a cold build (empty store), a rebuild with nothing changed, a rebuild after one CSV
edit (as `build`, and as `serve` shows it: from the saved file to the page reloading), a
rebuild after adding a period, peak memory, pages and bytes; beside each build, bare MkDocs +
Material building every generated page (measured once after the cold build: MkDocs has no
incremental build) and the ratio. Figures, not assertions: the machine is shared
and noisy, so no test fails on time.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402
from scoreboard.maintain import scaffold  # noqa: E402
from scoreboard.site import build as site  # noqa: E402


def peak_mb() -> float:
    """Peak resident memory of this process and of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(root: Path, **kwargs) -> tuple[float, float, site.Timings]:
    timings = site.Timings()
    start_wall, start_cpu = time.perf_counter(), _cpu()
    site.build(root, timings=timings, **kwargs)
    return time.perf_counter() - start_wall, _cpu() - start_cpu, timings


def edit_one_value(root: Path) -> None:
    """Change the first plain figure of the newest period, as a maintainer correcting a value."""
    newest = sorted(p.name for p in (root / "data/periods").iterdir())[-1]
    path = root / f"data/periods/{newest}/observations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    row = next(r for r in rows[1:] if r[1] == newest and r[3] and not r[5])  # no x/y: a plain figure
    row[3] = "1" if row[3] != "1" else "2"
    row[9] = f"đạt {row[3]}"
    tmp = path.with_name(path.name + ".tmp")  # saved whole, as an editor saves
    with tmp.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    os.replace(tmp, path)


def add_period(root: Path) -> str:
    newest = sorted(p.name for p in (root / "data/periods").iterdir())[-1]
    period_id = f"{newest[:4]}-H2" if newest.endswith("H1") else f"{int(newest[:4]) + 1}-H1"
    scaffold.new_period(root, period_id)
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
                f"bao-cao-{newest.lower()}",
                "true",
                "đạt 7",
                "",
                "",
            ]
        )
    return period_id


def bare_mkdocs(root: Path) -> float:
    """Seconds for stock MkDocs + Material over the docs folders the last build wrote (each
    config in turn, without the project's steps before and after); after a cold build, every
    page is there."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from scoreboard.pages.urls import lang_root

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        for lang, config, _ in site.CONFIGS:
            docs = root / "site_src" / "build" / lang
            mkdocs_build(
                load_config(
                    str(root / config), docs_dir=str(docs), site_dir=str(Path(out) / lang), site_url=lang_root(lang)
                )
            )
    return time.perf_counter() - start


def serve_after_an_edit(root: Path) -> float:
    """Seconds from saving an edited CSV to the preview publishing the rebuilt site (the
    page's reload script sees /__build change), with `serve` started and settled first."""
    code = f"import pathlib; from scoreboard.site import serve; serve.serve(pathlib.Path({str(root)!r}), 0)"
    server = subprocess.Popen(
        [sys.executable, "-u", "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        port = int(server.stdout.readline().split("127.0.0.1:")[1].split("/")[0])
        settled = threading.Event()  # the first build's pages and then its search index are out

        def read_output():  # as it comes, or a full pipe would stop the server at its next line
            for line in server.stdout:
                if line.startswith("search index updated"):
                    settled.set()

        threading.Thread(target=read_output, daemon=True).start()

        def build_number() -> str:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/__build", timeout=5) as r:
                    return r.read().decode()
            except OSError:
                return ""

        deadline = time.monotonic() + 900
        settled.wait(timeout=900)
        time.sleep(1)
        start = time.perf_counter()
        edit_one_value(root)
        while build_number() != "2" and time.monotonic() < deadline:
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def site_figures(root: Path) -> str:
    folder = (root / "site").resolve()
    files = [p for p in folder.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    size = sum(p.stat().st_size for p in files)
    search = sum(p.stat().st_size for p in (folder / "pagefind").rglob("*") if p.is_file())
    cards = sum(1 for p in files if p.name.endswith(".card.png"))
    return f"{pages} pages, {size / 1e6:.1f} MB, {cards} social cards, search files {search / 1e6:.2f} MB"


def run(indicators: int, periods: int, agencies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = generate.generate(Path(tmp) / "project", indicators, periods, agencies)
        print(f"Generated: {indicators} indicators, {periods} periods, {agencies} agencies", flush=True)

        bare = 0.0  # MkDocs has no incremental build: bare MkDocs redoes every page each time

        def measure(label: str) -> float:
            nonlocal bare
            wall, cpu, timings = timed_build(root)
            bare = bare or bare_mkdocs(root)  # after the cold build, the docs folder has every page
            stages = ", ".join(f"{n.strip()} {s:.1f}" for n, s in timings.stages if not n.startswith(" "))
            print(
                f"  {label:<32} {wall:6.1f} s wall {cpu:6.1f} s CPU; bare MkDocs {bare:5.1f} s ({wall / bare:.2f}x)  ({stages})",
                flush=True,
            )
            return wall

        shutil.rmtree(root / ".cache", ignore_errors=True)
        measure("cold build (empty store)")
        measure("rebuild, nothing changed")
        edit_one_value(root)
        measure("build after one CSV edit")
        seconds = serve_after_an_edit(root)
        print(
            f"  {'serve after one CSV edit':<32} {seconds:6.1f} s from saving the file to the page reloading",
            flush=True,
        )
        add_period(root)
        measure("build after adding a period")
        print(f"  peak memory (largest process)    {peak_mb():6.0f} MB")
        print(f"  site: {site_figures(root)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=100)
    args = parser.parse_args(argv)
    run(args.indicators, args.periods, args.agencies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
