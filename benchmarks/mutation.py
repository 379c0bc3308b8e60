#!/usr/bin/env python3
"""Mutation testing of the rules that must never break silently; run by hand, not in CI.

    pip install -r requirements-mutation.txt
    python benchmarks/mutation.py            # 20-30 minutes on the shared 2-core machine
    python benchmarks/mutation.py --list     # what would be mutated, and by which tests
    python benchmarks/mutation.py --keep     # keep the copy; --work DIR reuses its results

mutmut changes one thing at a time in the functions named below (a `<` becomes `<=`, a
string is altered, a line dropped...) and runs the tests that reach that function. A
mutant the tests do not notice ("survived") is a rule that no test pins. The score
printed at the end is killed / (killed + survived); mutants that hang or crash count
apart. Everything runs on a temporary copy of the project: this tree is not touched.

Adjust TARGETS when code moves: each entry is a file and the function names (shell
patterns) to mutate in it; a run that finds no mutant at all says so and fails.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGETS = {
    # status rules: a value against its target, lower-is-better indicators, deadlines; which
    # figures compare and their change
    "scoreboard/derive/verdicts.py": ["threshold", "meets", "judge"],
    "scoreboard/derive/series.py": ["change", "why_not_comparable"],
    # the one rule for numbers that validation checks and the model reads by
    "scoreboard/data/numbers.py": ["is_written_as_number", "parse"],
    # escaping: annotations and the validation summary, the data diff, terminal text
    "scoreboard/data/problems.py": ["escape_data", "_escape_property", "_text", "_code", "*github", "*body"],
    "scoreboard/data/escaping.py": ["visible", "markdown", "code_span", "_backtick_runs", "_is_hidden"],
    "scoreboard/maintain/diff.py": ["format_text", "format_markdown", "group_of"],
    # the swap into site/ and the removal of what killed builds left
    "scoreboard/site/publish.py": ["swap", "_swap_by_rename", "prune", "_remove", "check_target"],
}
# With --all: each of these mutants runs tests that validate whole projects (15-130 s a
# mutant on the shared 2-core machine): hours.
SLOW = {
    "scoreboard/data/validate/cells.py": ["check_cell", "_bad_char"],
    "scoreboard/data/validate/quality.py": ["check_range", "check_observations", "check_targets"],
    "scoreboard/data/validate/text.py": ["read_text", "header_problems"],
}
TESTS = [
    "tests/test_rules.py",
    "tests/test_derive.py",
    "tests/test_validate.py",
    "tests/test_validate_text.py",
    "tests/test_validate_hostile.py",
    "tests/test_validate_problems.py",
    "tests/test_maintain.py",
    "tests/test_diff_summary.py",
    "tests/test_failures.py",
]
# Whole builds take seconds each: left out here (the unit tests above reach the same code).
DESELECT = (
    "not mkdocs and not full_disk and not generated_pages and not released_when"
    " and not validate_and_build_fail and not real_data"
)
# What the tests read besides the code and the tests themselves (mutmut copies tests/ and
# pyproject.toml): the data, the site's sources, the guides and the files the tests check.
ALSO_COPY = [
    "data",
    "site_src",
    "build_site.py",
    "mkdocs.yml",
    "mkdocs.en.yml",
    "tools",
    "CONTRIBUTING.md",
    "README.md",
    "CITATION.cff",
    "LICENSE",
    ".gitignore",
    ".github",
    ".ci",
]


def mutant_patterns(targets: dict[str, list[str]]) -> list[str]:
    """mutmut names a mutant `package.module.x_function__mutmut_N`, and a method's
    `package.module.xǁClassǁname__mutmut_N`: a target "*name" is a method of any class."""
    out = []
    for path, functions in targets.items():
        module = path.removesuffix(".py").replace("/", ".")
        for name in functions:
            where = f"xǁ*ǁ{name[1:]}" if name.startswith("*") else f"x_{name}"
            out.append(f"{module}.{where}__mutmut_*")
    return out


def copy_project(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    config = [
        "",
        "[tool.mutmut]",
        'source_paths = ["scoreboard"]',
        f"only_mutate = {json.dumps(sorted(set(TARGETS) | set(SLOW)))}",
        f"pytest_add_cli_args_test_selection = {json.dumps(TESTS)}",
        f"pytest_add_cli_args = {json.dumps(['-q', '-p', 'no:cacheprovider', '-k', DESELECT])}",
        f"also_copy = {json.dumps(ALSO_COPY)}",
        "use_git_change_detection = false",
    ]
    with (dest / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write("\n".join(config) + "\n")


def module_of(name: str) -> str:
    """scoreboard.data.problems.xǁProblemǁgithub__mutmut_3 -> scoreboard/data/problems.py"""
    return re.split(r"\.xǁ|\.x_", name, maxsplit=1)[0].replace(".", "/") + ".py"


def scores(found: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """Module -> (killed, killed + survived)."""
    out: dict[str, list[int]] = {}
    for status, names in found.items():
        for name in names:
            counts = out.setdefault(module_of(name), [0, 0])
            counts[0] += status == "killed"
            counts[1] += status in ("killed", "survived")
    return {module: (k, n) for module, (k, n) in sorted(out.items())}


def outcomes(work: Path, patterns: list[str]) -> dict[str, list[str]]:
    """Mutant names by outcome (killed, survived, timeout...), read from mutmut's records."""
    from mutmut.stats import status_by_exit_code

    out: dict[str, list[str]] = {}
    for meta in sorted((work / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for name, code in codes.items():
            if any(fnmatch.fnmatch(name, p) for p in patterns):
                out.setdefault(status_by_exit_code[code], []).append(name)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="print the targets and tests, run nothing")
    parser.add_argument("--all", action="store_true", help="also the SLOW targets (hours)")
    parser.add_argument("--work", type=Path, help="reuse this copy from an earlier --keep run (results are cached)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy (to inspect or reuse)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    targets = {**TARGETS}
    if args.all:
        for path, functions in SLOW.items():
            targets[path] = targets.get(path, []) + functions
    patterns = mutant_patterns(targets)
    if args.list:
        print("mutants:", *patterns, sep="\n  ")
        print("tests:", *TESTS, f"(-k '{DESELECT}')", sep="\n  ")
        return 0
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print("mutmut is not installed: pip install -r requirements-mutation.txt", file=sys.stderr)
        return 1
    work = args.work or Path(tempfile.mkdtemp(prefix="scoreboard-mutation-"))
    start = time.perf_counter()
    try:
        if not args.work:
            copy_project(work)
        run = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children), *patterns],
            cwd=work,
            env={**os.environ, "PYTHONPATH": ""},
            stdout=subprocess.DEVNULL,  # a progress line redrawn many times a second
        )
        if run.returncode != 0:
            print(f"mutmut run exited {run.returncode}", file=sys.stderr)
            return run.returncode
        found = outcomes(work, patterns)
    finally:
        if args.keep or args.work:
            print(f"copy kept in {work} (reuse it with --work)")
        else:
            shutil.rmtree(work, ignore_errors=True)
    killed, survived = len(found.get("killed", [])), len(found.get("survived", []))
    print("survived (no test noticed the change; `mutmut show NAME` in the copy shows it):")
    print(*(f"  {name}" for name in sorted(found.get("survived", []))), sep="\n")
    print(", ".join(f"{status} {len(names)}" for status, names in sorted(found.items())))
    print("score per module (killed / killed + survived):")
    for module, (k, n) in scores(found).items():
        print(f"  {module}: {k}/{n} ({k / max(n, 1):.1%})")
    total = sum(len(names) for names in found.values())
    print(
        f"mutation score: {killed}/{killed + survived} killed ({killed / max(killed + survived, 1):.1%}); "
        f"{total} mutants in {time.perf_counter() - start:.0f} s"
    )
    return 0 if total else 1  # no mutant at all: the targets name nothing that exists


if __name__ == "__main__":
    sys.exit(main())
