#!/usr/bin/env python3
"""Each speed mechanism, side by side: the build it targets with and without it, in one run
on one machine (docs/performance.md keeps the figures; a mechanism stays only where it saves
at least a tenth of that build).

    python benchmarks/mechanisms.py [--indicators 250 --periods 20 --agencies 100] [--rounds 2]
    python benchmarks/mechanisms.py --real      the same on a copy of this clone's data/

"Without" removes the mechanism for that build only: a kind of store entry is deleted before
the build (it then misses, as if the store did not keep it), or a function of the project's
own is swapped for its plain version in this process (forked language processes inherit
it). Each pair is measured `rounds` times, alternately, and the quickest of each is kept
(a busy host slows one run, not both). Figures, not assertions.
"""

from __future__ import annotations

import argparse
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
from scoreboard.derive import quality  # noqa: E402
from scoreboard.pages import formatting  # noqa: E402
from scoreboard.site import build as site  # noqa: E402
from tests.conftest import copy_project  # noqa: E402


def _build(root: Path) -> float:
    start = time.perf_counter()
    site.build(root)
    return time.perf_counter() - start


def _check(root: Path) -> float:
    """`python build_site.py validate`'s work: the checks alone."""
    start = time.perf_counter()
    quality.check(root)
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


def _uncached(function):
    return getattr(function, "__wrapped__", function)


# (mechanism, the build it targets: "edit" = after one CSV edit, "same" = nothing changed,
# "check" = `validate` after one CSV edit; how to do without it)
MECHANISMS = [
    ("store: drawn charts", "edit", lambda root: _drop(root, ".cache/store/charts")),
    ("store: framed figure downloads", "edit", lambda root: _drop(root, ".cache/store/figures")),
    ("store: social cards", "edit", lambda root: _drop(root, ".cache/store/cards")),
    ("store: search index", "same", lambda root: _drop(root, ".cache/store/search")),
    ("store: validation results", "edit", lambda root: _drop(root, ".cache/store/validate")),
    ("store: validation results", "check", lambda root: _drop(root, ".cache/store/validate")),
    ("store: pages the engine built", "edit", lambda root: _drop(root, ".cache/store/pages")),
    ("numbers remembered (text.number_text)", "edit", lambda root: _swap(formatting, "number_text", _uncached)),
]


def measure(root: Path, kind: str, without, rounds: int) -> tuple[float, float]:
    """(with, without) seconds of the targeted build, quickest of `rounds` each."""
    withs, withouts = [], []
    for _ in range(rounds):
        for bucket, prepare in ((withs, None), (withouts, without)):
            _build(root)  # the store and folders as a build leaves them
            if kind in ("edit", "check"):
                edit_one_value(root)
            undo = prepare() if prepare else None
            try:
                bucket.append(_check(root) if kind == "check" else _build(root))
            finally:
                if callable(undo):
                    undo()
    return min(withs), min(withouts)


def run(indicators: int, periods: int, agencies: int, rounds: int, real: bool = False, only: str = "") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if real:
            root = copy_project(Path(tmp) / "project")
            print(f"The real data (data/); quickest of {rounds}")
        else:
            root = generate.generate(Path(tmp) / "project", indicators, periods, agencies)
            print(f"Generated: {indicators} indicators, {periods} periods, {agencies} agencies; quickest of {rounds}")
        _build(root)
        print(f"  {'mechanism':<50} {'build':<6} {'with':>7} {'without':>8}  saves")
        for name, kind, make in [m for m in MECHANISMS if only in m[0]]:
            fast, slow = measure(root, kind, make(root), rounds)
            saving = (slow - fast) / slow if slow else 0.0
            print(f"  {name:<50} {kind:<6} {fast:6.2f}s {slow:7.2f}s  {saving:6.1%}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=250)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--real", action="store_true", help="this clone's data/ instead of generated data")
    parser.add_argument("--only", default="", help="only the mechanisms whose name contains this text")
    args = parser.parse_args(argv)
    run(args.indicators, args.periods, args.agencies, args.rounds, args.real, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
