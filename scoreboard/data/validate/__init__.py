"""Validate the data packages and explain every problem in plain words.

Three layers, each catching what the one before cannot:

1. Raw text: empty file, not UTF-8, text not in NFC, header columns, and numbers
   written the Vietnamese way ("71,79", "1.418") that a number field would
   misread or reject without saying why.
2. Frictionless, per resource, against the Table Schemas in data/schemas:
   types, required fields, enums, patterns, ranges and primary keys.
3. Across files and packages: every reference (indicator, agency, criterion,
   source, period) from any package, the package's own period, a unit's range,
   target ranges, one shown row per figure, agency validity dates.

When no error remains, the data is loaded into the model; the derive stage then adds its
warnings (derive.quality.check): sources that disagree, counts that disagree with a list.
"""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

from scoreboard import workers
from scoreboard.data import layout, model, reports
from scoreboard.data import periods as periods_mod
from scoreboard.data.problems import Problem
from scoreboard.data.validate import cache
from scoreboard.data.validate.archive import archive_checks
from scoreboard.data.validate.boundaries import check_boundaries
from scoreboard.data.validate.files import check_layout, check_package
from scoreboard.data.validate.quality import quality_checks
from scoreboard.data.validate.references import reference_checks
from scoreboard.data.validate.schema import convert, frictionless_errors_all
from scoreboard.data.validate.schema_files import check_schemas
from scoreboard.data.validate.table import Table, rel

__all__ = ["Problem", "Table", "validate", "validate_and_load"]


def validate(root: Path = layout.ROOT) -> list[Problem]:
    """Check everything under root/data; return problems sorted by file and line."""
    return validate_and_load(root)[0]


def validate_and_load(root: Path = layout.ROOT, reports_dir: Path | None = None):
    """validate(), and the loaded dataset when there is no error (None otherwise). The
    warnings that need derivations come from the derive stage (derive.quality.check).
    reports_dir: the archive of report texts, if not the project's own (data/reports.py)."""
    dataset = None
    data = root / "data"
    schemas = data / "schemas"
    problems: list[Problem] = check_layout(root)
    unusable = check_schemas(root)
    if unusable:  # nothing can be checked against a schema that cannot be read
        return sorted(set(problems + unusable)), None
    packages: dict[str, dict[str, Table]] = {}

    reference_dir = data / "reference"
    queue: list[tuple[Table, dict, Path]] = []  # files for Frictionless, once their raw text is sound
    kept = cache.results(root)
    packages["reference"] = check_package(
        root, reference_dir, layout.reference_descriptor(schemas), schemas, problems, queue, kept
    )
    periods_dir = data / "periods"
    period_dirs = (
        sorted(p for p in periods_dir.iterdir() if p.is_dir() and not p.is_symlink()) if periods_dir.is_dir() else []
    )
    for period_dir in period_dirs:
        if not periods_mod.is_period_id(period_dir.name):
            problems.append(
                Problem(
                    rel(root, period_dir),
                    0,
                    "",
                    "the folder name is not a period id",
                    period_dir.name,
                    periods_mod.hint(period_dir.name, "rename the folder to"),
                    kind="malformed-period",
                )
            )
            continue
        descriptor = layout.period_descriptor(period_dir.name, schemas)
        packages[period_dir.name] = check_package(root, period_dir, descriptor, schemas, problems, queue, kept)

    problems += _frictionless_and_cross_checks(root, packages, queue, kept, reports.read(root, reports_dir))
    if not any(p.is_error for p in problems):
        dataset = model.load(root)  # the model needs valid data
    return sorted(set(problems), key=first_the_unreadable_files), dataset


# A file's own error that stops it being read: shown first (GitHub shows a step's first few
# annotations only), before anything that follows from it.
WHOLE_FILE = {"encoding", "empty-file", "missing-file", "missing-column", "duplicate-column", "extra-column"}
WHOLE_FILE |= {"separator", "bad-descriptor", "missing-descriptor", "bad-schema", "stray-file", "symlink"}


def first_the_unreadable_files(problem: Problem) -> tuple:
    return (problem.kind not in WHOLE_FILE, problem)


PARALLEL_ROWS = 20_000  # from this many rows, Frictionless runs in a second process


def _frictionless_and_cross_checks(
    root: Path, packages: dict, queue: list, kept: cache.Results, archive
) -> list[Problem]:
    """Frictionless's row checks and the cross-file checks are independent: on large data
    they run side by side on two cores; on small data, one after the other. Files whose
    findings are cached (same bytes, schema and code) are not read by Frictionless again."""
    names = [cache.frictionless_key(table, resource) for table, resource, _ in queue]
    results = [cache.frictionless_hit(kept, name) for name in names]
    todo = [i for i, found in enumerate(results) if found is None]
    jobs = [(queue[i][1], str(queue[i][2])) for i in todo]
    if sum(len(queue[i][0].rows) for i in todo) >= PARALLEL_ROWS and (os.cpu_count() or 1) > 1:
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=workers.context()) as pool:
            pending = pool.submit(frictionless_errors_all, jobs)
            problems = _cross_checks(root, packages, archive)
            found = pending.result()
    else:
        problems = _cross_checks(root, packages, archive)
        found = frictionless_errors_all(jobs)
    for i, errors in zip(todo, found):
        results[i] = errors
        if cache.still_reads(queue[i][0]):  # not edited while Frictionless read it
            kept.put(names[i], errors)
    for (table, resource, _), errors in zip(queue, results):
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        problems += [p for p in (convert(table, e, fields) for e in errors) if p]
    return problems


def _cross_checks(root: Path, packages: dict[str, dict[str, Table]], archive: reports.Archive) -> list[Problem]:
    problems = reference_checks(root, packages) + quality_checks(packages) + archive_checks(root, packages, archive)
    return problems + check_boundaries(root, packages["reference"]["agencies"])
