#!/usr/bin/env python3
"""Two commits side by side, in one run on one machine: each builds its own real data from a
fresh copy (empty store), again with nothing changed, and after one figure is edited.

    python benchmarks/compare.py --before 52e4625 [--after HEAD] [--rounds 3] [--scale]

Rounds alternate between the commits and the quickest of each is kept, so that a busy host
slows one run, not one commit. With --scale, each commit's own benchmarks/scale.py follows
(250 indicators x 20 periods x 100 agencies), one after the other. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scale import edit_one_value  # noqa: E402

STEPS = ("cold", "nothing changed", "one figure edited")


def checkout(rev: str, dest: Path) -> Path:
    """The commit's files (as git archive gives them) in dest."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def build(tree: Path) -> float:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "build_site.py", "build"], cwd=tree, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def one_round(source: Path, work: Path) -> list[float]:
    """The three builds on a fresh copy of a commit's tree."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work, symlinks=True)
    cold, same = build(work), build(work)
    edit_one_value(work)
    return [cold, same, build(work)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trees = {name: checkout(rev, tmp / name) for name, rev in (("before", args.before), ("after", args.after))}
        best = {name: [float("inf")] * len(STEPS) for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                times = one_round(tree, tmp / f"{name}-work")
                best[name] = [min(a, b) for a, b in zip(best[name], times)]
        print(f"Real data, each commit's own; quickest of {args.rounds} (before {args.before}, after {args.after})")
        print(f"  {'build':<20} {'before':>8} {'after':>8}")
        for i, step in enumerate(STEPS):
            print(f"  {step:<20} {best['before'][i]:7.2f}s {best['after'][i]:7.2f}s")
        if args.scale:
            for name, tree in trees.items():
                print(f"\nAt scale, {name} ({getattr(args, name)}):", flush=True)
                subprocess.run([sys.executable, "benchmarks/scale.py"], cwd=tree, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
