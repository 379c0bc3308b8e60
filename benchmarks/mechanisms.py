#!/usr/bin/env python3
"""Each speed mechanism, side by side: the build it targets with and without it, in one run
on one machine (docs/performance.md keeps the figures; a mechanism stays only where it saves
at least a tenth of that build).

    python benchmarks/mechanisms.py [--indicators 250 --periods 20 --agencies 100] [--rounds 2]

"Without" removes the mechanism for that build only: a kind of store entry is deleted before
the build (it then misses, as if the store did not keep it), or a function of the project's
own is swapped for its plain version in this process (forked language processes inherit
it). Each pair is measured `rounds` times, alternately, and the quickest of each is kept
(a busy host slows one run, not both). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402
from benchmarks.scale import edit_one_value  # noqa: E402
from scoreboard.data import model  # noqa: E402
from scoreboard.pages import downloads, formatting, urls  # noqa: E402
from scoreboard.site import build as site  # noqa: E402


def _build(root: Path) -> float:
    start = time.perf_counter()
    site.build(root)
    return time.perf_counter() - start


def _drop(root: Path, *names: str):
    """Before the build: delete these folders under the project (.cache/store/charts...)."""

    def before():
        for name in names:
            shutil.rmtree(root / name, ignore_errors=True)

    return before


def _swap(module, name: str, plain):
    """Before the build: the project's own `module.name` replaced by a plain version wherever
    a module of the package holds it (`from x import name` copies the reference); returns
    the undo."""

    def before():
        original = getattr(module, name)
        replacement = plain(original)
        holders = [
            (m, attr)
            for key, m in list(sys.modules.items())
            if key.startswith("scoreboard") and m is not None
            for attr, value in list(vars(m).items())
            if value is original
        ]
        for m, attr in holders:
            setattr(m, attr, replacement)
        return lambda: [setattr(m, attr, original) for m, attr in holders]

    return before


def _plain_records(_):
    return lambda frame: frame.to_dict("records")


def _plain_json(_):
    return lambda rows: json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def _uncached(function):
    return getattr(function, "__wrapped__", function)


# (mechanism, what it saves, the build it targets: "edit" = after one CSV edit, "same" = nothing
# changed, how to do without it)
MECHANISMS = [
    ("store: drawn charts", "edit", lambda root: _drop(root, ".cache/store/charts")),
    ("store: compiled chart templates", "edit", lambda root: _drop(root, ".cache/store/vega")),
    ("store: framed figure downloads", "edit", lambda root: _drop(root, ".cache/store/figures")),
    ("store: social cards", "edit", lambda root: _drop(root, ".cache/store/cards")),
    ("store: validation results", "edit", lambda root: _drop(root, ".cache/store/validate")),
    ("store: release zip", "edit", lambda root: _drop(root, ".cache/store/releases")),
    ("store: search index", "same", lambda root: _drop(root, ".cache/store/search")),
    ("store: pages the engine built", "edit", lambda root: _drop(root, ".cache/store/pages")),
    ("Jinja's bytecode cache", "edit", lambda root: _drop(root, ".cache/jinja")),
    ("docs folder kept, unchanged files not rewritten", "edit", lambda root: _drop(root, "site_src/build")),
    ("rows to dicts column by column (model.records)", "edit", lambda root: _swap(model, "records", _plain_records)),
    (
        "JSON downloads row by row (downloads.json_text)",
        "edit",
        lambda root: _swap(downloads, "json_text", _plain_json),
    ),
    ("links remembered (urls.relative)", "edit", lambda root: _swap(urls, "relative", _uncached)),
    ("numbers remembered (text.number_text)", "edit", lambda root: _swap(formatting, "number_text", _uncached)),
]


def measure(root: Path, kind: str, without, rounds: int) -> tuple[float, float]:
    """(with, without) seconds of the targeted build, quickest of `rounds` each."""
    withs, withouts = [], []
    for _ in range(rounds):
        for bucket, prepare in ((withs, None), (withouts, without)):
            _build(root)  # the store and folders as a build leaves them
            if kind == "edit":
                edit_one_value(root)
            undo = prepare() if prepare else None
            try:
                bucket.append(_build(root))
            finally:
                if callable(undo):
                    undo()
    return min(withs), min(withouts)


def run(indicators: int, periods: int, agencies: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = generate.generate(Path(tmp) / "project", indicators, periods, agencies)
        print(f"Generated: {indicators} indicators, {periods} periods, {agencies} agencies; quickest of {rounds}")
        _build(root)
        print(f"  {'mechanism':<50} {'build':<6} {'with':>7} {'without':>8}  saves")
        for name, kind, make in MECHANISMS:
            fast, slow = measure(root, kind, make(root), rounds)
            saving = (slow - fast) / slow if slow else 0.0
            print(f"  {name:<50} {kind:<6} {fast:6.2f}s {slow:7.2f}s  {saving:6.1%}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    run(args.indicators, args.periods, args.agencies, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
