#!/usr/bin/env python3
"""Print how long validation and the build take on this machine.

    python benchmarks/benchmark.py            all figures
    python benchmarks/benchmark.py --quick    skip the cold build (the store starts as this clone's)
    python benchmarks/benchmark.py --scale    also the build at the programme's scale (benchmarks/scale.py)

Figures, not assertions: machines are shared and noisy, so no test fails on time.
Every measurement runs on a temporary copy of the project; data/ and site/ are untouched.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import scale  # noqa: E402
from scoreboard.data import validate  # noqa: E402
from scoreboard.derive import quality  # noqa: E402
from scoreboard.site import build as site  # noqa: E402
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
        print(f"  real data                    {timed(lambda: quality.check(real), 3):6.2f} s (median of 3)")
        big = copy_project(tmp / "big")
        n = big_observations(big)
        fresh = functools.partial(shutil.rmtree, big / ".cache", ignore_errors=True)
        errors_only = timed(lambda: (fresh(), validate.validate(big)))
        print(f"  {n:,} observation rows    {errors_only:6.2f} s (schema, types, keys, references; nothing stored)")
        with_warnings = timed(lambda: (fresh(), quality.check(big)))
        print(f"  the same, with warnings     {with_warnings:6.2f} s (adds the derived data-quality checks)")

        print("Build of the real data (both languages; stage times below each)")
        builds = [("warm", False)] if args.quick else [("cold", True), ("warm", False)]
        if args.quick and (ROOT / ".cache").is_dir():  # warm from this clone's own store
            shutil.copytree(ROOT / ".cache", real / ".cache", symlinks=True)
        for label, cold in builds:
            if cold:
                shutil.rmtree(real / ".cache", ignore_errors=True)
            timings = site.Timings()
            start = time.perf_counter()
            site.build(real, timings=timings)
            total = time.perf_counter() - start
            bare = f"; bare MkDocs {scale.bare_mkdocs(real):.2f} s on the same pages" if cold else ""
            print(f"  {label} build (store {'empty' if cold else 'filled'}) {total:6.2f} s{bare}")
            for line in timings.report().splitlines():
                print("    " + line)
        pages = sum(1 for _ in (real / "site").rglob("*.html"))
        size = sum(p.stat().st_size for p in (real / "site").rglob("*") if p.is_file())
        print(f"Site: {pages} HTML pages, {size / 1e6:.1f} MB")
        maps_report(real)
        page_weight_report(real / "site")
    if args.scale:
        print("Build at scale (250 indicators, 20 periods, 100 agencies)")
        scale.run(250, 20, 100)
    return 0


def maps_report(root: Path) -> None:
    """Province maps: time to draw every map of one language from scratch, and SVG sizes."""
    from scoreboard.data import model
    from scoreboard.derive import derive_all
    from scoreboard.figures.maps import geometry
    from scoreboard.pages import maps as pages
    from scoreboard.pages.formatting import Locale

    dataset = model.load(root)
    derived = derive_all(dataset)
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


# Page types, as globs under each language's root; the heaviest page of each is reported.
PAGE_TYPES = {
    "home": "index.html",
    "indicators": "indicators/index.html",
    "indicator": "indicators/*/index.html",
    "periods": "periods/index.html",
    "period": "periods/*/index.html",
    "agencies": "agencies/index.html",
    "league table": "agencies/league-*/index.html",
    "agency": "agencies/*/index.html",
    "grades": "agencies/grades/index.html",
    "data": "data/index.html",
    "methodology": "methodology/index.html",
    "about": "about/index.html",
    "404": "404.html",
    "embed": "embed/*/index.html",
}


@functools.cache
def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


class _Resources(HTMLParser):
    """The addresses a browser fetches to show a page: stylesheets, scripts, icons, images.
    A lazy image inside a closed <details> is not fetched until the reader opens it."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.details: list[bool] = []  # open or not, innermost last

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "details":
            self.details.append("open" in a)
        elif tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "icon"}:
            self.refs.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.refs.append(a["src"])
        elif tag in ("img", "source") and (a.get("src") or a.get("srcset")):
            if a.get("loading") == "lazy" and not all(self.details):
                return
            self.refs.append((a.get("src") or a.get("srcset")).split()[0])

    def handle_endtag(self, tag):
        if tag == "details" and self.details:
            self.details.pop()


def page_weight(site_dir: Path, page: Path) -> tuple[int, int]:
    """(first visit, repeat visit) in gzip bytes: the HTML plus every stylesheet, script,
    image, icon and font it loads (fonts and images inside its CSS too); a repeat visit
    fetches only the HTML again (the rest is cached)."""
    parser = _Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    here = "/" + page.relative_to(site_dir).as_posix()
    seen: set[Path] = set()
    queue = [(here, ref) for ref in parser.refs]
    total = _gzip_size(page)
    while queue:
        base, ref = queue.pop()
        url = urlparse(urljoin(base, ref))
        if url.scheme in ("http", "https") and url.hostname not in (None, "127.0.0.1"):
            continue  # another host: the site has none (tests check), nothing to weigh here
        path = site_dir / url.path.lstrip("/")
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        total += _gzip_size(path)
        if path.suffix == ".css":
            css_url = "/" + path.relative_to(site_dir).as_posix()
            queue += [(css_url, u) for u in re.findall(r"url\(['\"]?([^'\")]+)", path.read_text(encoding="utf-8"))]
    return total, _gzip_size(page)


def page_weight_report(site_dir: Path) -> None:
    """Bytes a reader transfers (gzip), per page type and language, for the heaviest page of
    each type: first visit and repeat. Issue 11's budget: at most 150 KB on a first visit.
    Search downloads nothing until a reader uses it."""
    print("Page weight (gzip, heaviest page of each type; first visit = HTML + CSS + JS + images, repeat = HTML)")
    for lang, prefix in (("vi", ""), ("en", "en/")):
        for name, pattern in PAGE_TYPES.items():
            pages = [
                p
                for p in sorted(site_dir.glob(prefix + pattern))
                if not (lang == "vi" and p.parts[len(site_dir.parts)] == "en")
            ]
            if name == "agency":
                pages = [p for p in pages if not p.parent.name.startswith(("league-", "grades"))]
            if not pages:
                continue
            (first, repeat), page = max((page_weight(site_dir, p), p) for p in pages)
            flag = "  OVER 150 KB" if first > 150_000 else ""
            where = page.relative_to(site_dir).parent.as_posix()
            print(f"  {lang} {name:<13} first {first / 1e3:6.1f} KB   repeat {repeat / 1e3:6.1f} KB   {where}{flag}")
    bundle = site_dir / "pagefind"
    if bundle.is_dir():
        # Pagefind's index pieces, fragments, metadata and engine are gzip files already.
        for lang in ("vi", "en"):
            start = sum(_gzip_size(bundle / n) for n in ("pagefind.js", "pagefind-entry.json"))
            start += sum(p.stat().st_size for p in bundle.glob(f"pagefind.{lang}_*.pf_meta"))
            wasm = max((p.stat().st_size for p in bundle.glob(f"wasm.{lang}.pagefind")), default=0)
            wasm = wasm or (bundle / "wasm.unknown.pagefind").stat().st_size
            chunks = sorted(p.stat().st_size for p in (bundle / "index").glob(f"{lang}_*"))
            fragments = sorted(p.stat().st_size for p in (bundle / "fragment").glob(f"{lang}_*"))
            if not (chunks and fragments):
                continue
            print(
                f"  {lang} search, on first use: script, entry and metadata {start / 1e3:.1f} KB, engine "
                f"{wasm / 1e3:.1f} KB; then the index pieces the query's words need ({len(chunks)} in all: "
                f"largest {chunks[-1] / 1e3:.1f} KB, median {chunks[len(chunks) // 2] / 1e3:.1f} KB) and one "
                f"piece per result shown, 5 at first (median {fragments[len(fragments) // 2] / 1e3:.1f} KB)"
            )
            first = start + wasm + chunks[-1] + 5 * fragments[len(fragments) // 2]
            flag = "  OVER 150 KB" if first > 150_000 else ""
            print(f"    a one-word first search at most about {first / 1e3:.0f} KB{flag}")


if __name__ == "__main__":
    sys.exit(main())
