#!/usr/bin/env python3
"""Build the Vietnam digital-transformation scoreboard.

    python build_site.py                 validate, generate pages and charts, build site/
    python build_site.py build --strict  the same, failing on any MkDocs warning
    python build_site.py validate        check data/ and explain each problem
    python build_site.py serve           preview on http://127.0.0.1:8000 with live reload
    python build_site.py diff [REV]      data changes against a git revision
    python build_site.py new-period ID   create data/periods/ID, ready for values
    python build_site.py refresh-descriptors   rewrite every datapackage.json from data/schemas

The stages live in the `scoreboard` package, a folder each: data -> derive -> figures and
pages -> site (docs/architecture.md).
"""

from __future__ import annotations

import argparse
import os
import sys

from scoreboard.data import layout, problems, reports
from scoreboard.derive import quality
from scoreboard.maintain import diff, scaffold
from scoreboard.site import build as site
from scoreboard.site import publish, serve

ROOT = layout.ROOT


def _print_problems(found, fmt: str, summary: str | None, hidden: int = 0) -> None:
    for p in found:
        print(p.github() if fmt == "github" else p.text())
    archive = reports.status_line(ROOT)
    if fmt == "github":
        print(f"::notice title=reports::{problems.escape_data(archive)}")
    else:
        print(archive, file=sys.stderr)
    if summary:
        lines = [problems.summary_markdown(found, hidden)]
        lines.append(problems.note_markdown(reports.status_line(ROOT, "vi"), archive))
        with open(summary, "a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")


def cmd_validate(args) -> int:
    every, _ = quality.check(ROOT, explained=True)
    found = every if args.all else problems.unexplained(every)
    _print_problems(found, args.format, args.summary, len(every) - len(found))
    print(problems.counts_text(found, len(every) - len(found)), file=sys.stderr)
    return 1 if any(p.is_error for p in found) else 0


def cmd_build(args) -> int:
    timings = site.Timings()
    try:
        note = site.default_address_note()
        if note:
            print(f"note: {note}", file=sys.stderr)
        print(reports.status_line(ROOT), file=sys.stderr)
        found = site.build(ROOT, strict=args.strict, timings=timings)
    except site.BuildError as exc:
        for p in exc.args[0]:
            print(p.text())
        print("The build stopped; the previous site/ is unchanged.", file=sys.stderr)
        return 1
    except OSError as exc:  # disk full, read-only folder, a file where a folder belongs
        print(f"build: {publish.describe_os_error(exc)}", file=sys.stderr)
        print("The build stopped; the previous site/ is unchanged.", file=sys.stderr)
        return 1
    for p in found:
        print(p.text())
    if args.timings:
        print(timings.report())
    print(f"Site built in {ROOT / 'site'} (Vietnamese at /, English at /en/).", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    try:
        serve.serve(ROOT, args.port)
    except OSError as exc:  # the port is taken, or the first build could not write
        print(f"serve: {publish.describe_os_error(exc)}", file=sys.stderr)
        return 1
    return 0


def cmd_diff(args) -> int:
    try:
        rev = args.rev or diff.default_rev(ROOT)
        groups = diff.grouped(diff.changed_paths(ROOT, rev), ROOT)
        changes = diff.diff_against(ROOT, rev)
        new = diff.new_problems(quality.check(ROOT)[0], diff.problems_at(ROOT, rev))
    except diff.DiffError as exc:
        print(f"diff: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"diff: {publish.describe_os_error(exc)}", file=sys.stderr)
        return 2
    if args.format == "markdown":  # files that need a code review first, then what the change brings
        print(
            diff.format_paths_markdown(groups)
            + "\n"
            + diff.format_new_markdown(new, rev)
            + "\n"
            + diff.format_markdown(changes, rev)
        )
    else:
        print(
            diff.format_paths_text(groups)
            + "\n\n"
            + diff.format_new_text(new, rev)
            + "\n\n"
            + diff.format_text(changes)
        )
    return 0


def cmd_new_period(args) -> int:
    try:
        created = scaffold.new_period(ROOT, args.period)
    except scaffold.MaintainError as exc:
        print(f"new-period: {exc}", file=sys.stderr)
        return 1
    for path in created:
        print(f"created {path.relative_to(ROOT).as_posix()}")
    print("\n".join(["", *scaffold.next_steps(ROOT, args.period)]))
    return 0


def cmd_refresh(args) -> int:
    try:
        written = scaffold.refresh_descriptors(ROOT)
    except scaffold.MaintainError as exc:
        print(f"refresh-descriptors: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(ROOT).as_posix()}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build_site.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command")
    b = sub.add_parser("build", help="validate and build the site (the default)")
    b.add_argument("--strict", action="store_true", help="fail on any MkDocs warning")
    b.add_argument("--timings", action="store_true", help="print the time of each stage")
    b.set_defaults(func=cmd_build)
    v = sub.add_parser("validate", help="check the data and explain problems")
    v.add_argument("--format", choices=["text", "github"], default="text")
    v.add_argument("--summary", help="append a Markdown summary table to this file (e.g. $GITHUB_STEP_SUMMARY)")
    v.add_argument("--all", action="store_true", help="also the warnings that the rows' notes already explain")
    v.set_defaults(func=cmd_validate)
    s = sub.add_parser("serve", help="preview with live reload")
    s.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    s.set_defaults(func=cmd_serve)
    d = sub.add_parser("diff", help="data changes (and other changed files) against a git revision")
    d.add_argument("rev", nargs="?", default=None, help="git revision (default: origin/main, else HEAD)")
    d.add_argument("--format", choices=["text", "markdown"], default="text")
    d.set_defaults(func=cmd_diff)
    n = sub.add_parser("new-period", help="create an empty package for a reporting period")
    n.add_argument("period", help="YYYY, YYYY-H1, YYYY-H2 or YYYY-Q1..Q4")
    n.set_defaults(func=cmd_new_period)
    r = sub.add_parser(
        "refresh-descriptors",
        help="rewrite every datapackage.json from data/schemas",
    )
    r.set_defaults(func=cmd_refresh)
    return p


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]  # `python build_site.py --timings` builds
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
