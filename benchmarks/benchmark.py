#!/usr/bin/env python3
"""Print how long validation and the build take on this machine.

    python benchmarks/benchmark.py            all figures
    python benchmarks/benchmark.py --quick    skip the cold build
    python benchmarks/benchmark.py --scale    also the build at the programme's scale (benchmarks/scale.py)

Figures, not assertions: machines are shared and noisy, so no test fails on time.
Every measurement runs on a temporary copy of the project; data/ and site/ are untouched.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoreboard import site, validate  # noqa: E402
from tests.conftest import copy_project  # noqa: E402


def timed(fn, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_observations(project: Path, rows: int = 100_000, seed: int = 1) -> int:
    """Replace the 2024-H1 observations with `rows` generated, valid rows (and enough
    generated sources to keep every primary key unique)."""
    rng = random.Random(seed)
    with (project / "data/reference/indicators.csv").open(encoding="utf-8") as f:
        indicators = [(r["id"], r["unit"]) for r in csv.DictReader(f)]
    breakdowns = ("nationwide", "ministries", "provinces")
    sources_needed = rows // (len(indicators) * len(breakdowns)) + 1
    with (project / "data/reference/sources.csv").open("a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for i in range(sources_needed):
            writer.writerow(
                [
                    f"generated-{i}",
                    f"Nguồn sinh {i}",
                    f"Generated source {i}",
                    "true",
                    "",
                    "",
                    "",
                    "2024",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    path = project / "data/periods/2024-H1/observations.csv"
    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    written = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for s in range(sources_needed):
            for indicator, unit in indicators:
                for b in breakdowns:
                    if written == rows:
                        return written
                    value = round(rng.uniform(0, 100), 2) if unit == "percent" else rng.randint(0, 100000)
                    writer.writerow(
                        [
                            indicator,
                            "2024-H1",
                            b,
                            value,
                            "",
                            "",
                            "reported",
                            f"generated-{s}",
                            "true" if s == 0 else "false",
                            "generated row",
                            "",
                            "",
                        ]
                    )
                    written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the cold build")
    parser.add_argument("--scale", action="store_true", help="also build generated data at the programme's scale")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        real = copy_project(tmp / "real")
        print("Validation")
        print(f"  real data                    {timed(lambda: validate.validate(real), 3):6.2f} s (median of 3)")
        big = copy_project(tmp / "big")
        n = big_observations(big)
        errors_only = timed(lambda: validate.validate(big, with_warnings=False))
        print(f"  {n:,} observation rows    {errors_only:6.2f} s (schema, types, keys, references)")
        with_warnings = timed(lambda: validate.validate(big))
        print(f"  the same, with warnings     {with_warnings:6.2f} s (adds the derived data-quality checks)")

        print("Build of the real data (both languages; stage times below each)")
        builds = [("warm", False)] if args.quick else [("cold", True), ("warm", False)]
        for label, cold in builds:
            if cold:
                shutil.rmtree(real / ".cache", ignore_errors=True)
            timings = site.Timings()
            start = time.perf_counter()
            site.build(real, timings=timings)
            total = time.perf_counter() - start
            print(f"  {label} build (chart cache {'empty' if cold else 'filled'}) {total:6.2f} s")
            for line in timings.report().splitlines():
                print("    " + line)
        pages = sum(1 for _ in (real / "site").rglob("*.html"))
        size = sum(p.stat().st_size for p in (real / "site").rglob("*") if p.is_file())
        print(f"Site: {pages} HTML pages, {size / 1e6:.1f} MB")
        maps_report(real)
    if args.scale:
        from benchmarks import scale

        print("Build at scale (250 indicators, 20 periods, 100 agencies)")
        scale.run(250, 20, 100, bare=True)
    return 0


def maps_report(root: Path) -> None:
    """Province maps: time to draw every map of one language from scratch, and SVG sizes."""
    from scoreboard import model, render
    from scoreboard.formatting import Locale
    from scoreboard.maps import geometry, pages

    dataset = model.load(root)
    derived = render.derive_all(dataset)
    start = time.perf_counter()
    boundaries = geometry.Boundaries.load(root, dataset)
    figures = [f for t in derived.league_tables for f in pages.league_maps(boundaries, t, dataset, Locale("vi"))]
    locators = [pages.locator(boundaries, dataset.agency(a), Locale("vi"), a) for a in dataset.agencies.index]
    figures += [f for f in locators if f]
    seconds = time.perf_counter() - start
    sizes = sorted(len(f.svg.encode("utf-8")) for f in figures)
    print(f"Maps (one language): {len(figures)} drawn in {seconds:.2f} s")
    if sizes:
        print(f"  SVG size: median {sizes[len(sizes) // 2] / 1e3:.0f} KB, largest {sizes[-1] / 1e3:.0f} KB")


if __name__ == "__main__":
    sys.exit(main())
