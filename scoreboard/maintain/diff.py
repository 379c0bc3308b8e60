"""What changed in the data between a git revision and the working tree.

Rows are matched by each resource's primary key (from data/schemas), so a moved row
is not a change and an edited value is one change, shown as "old -> new".
Files other than data CSVs (schemas, code, workflows) are listed apart and first: they
need a code maintainer's review. Everything taken from the data is escaped where shown.
"""

from __future__ import annotations

import csv
import io
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from scoreboard.data import layout, reports
from scoreboard.data import periods as periods_mod
from scoreboard.data.escaping import code_span, markdown, visible
from scoreboard.data.validate.schema_files import read_json
from scoreboard.derive import quality


class DiffError(Exception):
    pass


@dataclass
class FileChanges:
    path: str
    resource: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict, list[str]]] = field(default_factory=list)  # old, new, columns

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _git(root: Path, *args: str) -> str:
    # errors="replace": a file in a wrong encoding is the validator's to report, not a crash here
    result = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    if result.returncode != 0:
        raise DiffError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def default_rev(root: Path) -> str:
    for rev in ("origin/main", "main", "HEAD"):
        if (
            subprocess.run(["git", "rev-parse", "--verify", "--quiet", rev], cwd=root, capture_output=True).returncode
            == 0
        ):
            return rev
    raise DiffError("no git revision to compare with")


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def _resource(path: str) -> str:
    return Path(path).stem


def diff_trees(old: dict[str, str], new: dict[str, str], schemas: Path) -> list[FileChanges]:
    """Compare two {path: csv text} maps of data files."""
    changes = []
    for path in sorted(set(old) | set(new)):
        resource = _resource(path)
        try:
            key = layout.load_schema(resource, schemas).get("primaryKey", [])
        except FileNotFoundError:
            continue
        before = {tuple(r.get(k, "") for k in key): r for r in _rows(old.get(path, ""))}
        after = {tuple(r.get(k, "") for k in key): r for r in _rows(new.get(path, ""))}
        fc = FileChanges(path, resource)
        fc.added = [after[k] for k in after if k not in before]
        fc.removed = [before[k] for k in before if k not in after]
        for k in before.keys() & after.keys():
            columns = [c for c in after[k] if before[k].get(c, "") != after[k].get(c, "")]
            if columns:
                fc.changed.append((before[k], after[k], columns))
        fc.changed.sort(key=lambda x: [x[1].get(k, "") for k in key])
        if not fc.empty:
            changes.append(fc)
    return changes


def _files_at(root: Path, rev: str) -> dict[str, str]:
    names = _git(root, "ls-tree", "-r", "--name-only", rev, "--", "data").split()
    return {n: _git(root, "show", f"{rev}:{n}") for n in names if n.endswith(".csv")}


def _files_now(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((root / "data").rglob("*.csv"))
    }


def diff_against(root: Path, rev: str | None = None) -> list[FileChanges]:
    rev = rev or default_rev(root)
    _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    return diff_trees(_files_at(root, rev), _files_now(root), root / "data" / "schemas")


# --- formatting ---------------------------------------------------------------------------------


def vi_number(text: str) -> str:
    """'45.78' -> '45,78' as written, keeping trailing zeros ('46.00' -> '46,00')."""
    return text.replace(".", ",") if text.replace(".", "", 1).lstrip("-").isdigit() else text


def describe(resource: str, row: dict) -> str:
    if resource in ("observations", "targets"):
        period = row.get("period") or row.get("target_period", "")
        what = "target" if resource == "targets" else "indicator"
        return f"{what} {row.get('indicator_id')}, period {period} ({row.get('breakdown')}, {row.get('source_id')})"
    if resource == "agency_checks":
        return f"agency {row.get('agency_id')}, criterion {row.get('criterion_id')}, period {row.get('period')}"
    if resource == "grade_distribution":
        return f"grade {row.get('grade')} of {row.get('agency_group')}, period {row.get('period')}"
    if resource == "agency_grades":
        return f"grade of {row.get('agency_id')}, period {row.get('period')}"
    if resource == "agencies":
        return f"agency {row.get('id')} ({row.get('name_vi')})"
    if resource == "periods":
        return f"period {row.get('id')}"
    return f"{resource} {row.get('id', '')}".strip()


def _value(resource: str, row: dict) -> str:
    for column in ("value", "status", "count", "grade"):
        if row.get(column):
            return vi_number(row[column])
    return ""


def lines(changes: list[FileChanges]) -> list[str]:
    out = []
    for fc in changes:
        for row in fc.added:
            value = _value(fc.resource, row)
            out.append(f"added   {describe(fc.resource, row)}" + (f": {value}" if value else ""))
        for row in fc.removed:
            value = _value(fc.resource, row)
            out.append(f"removed {describe(fc.resource, row)}" + (f": {value}" if value else ""))
        for old, new, columns in fc.changed:
            parts = [
                f"{c} {vi_number(old.get(c, ''))} -> {vi_number(new.get(c, ''))}" if c != "quote" else "quote edited"
                for c in columns
            ]
            if columns == ["value"]:
                parts = [f"{vi_number(old['value'])} -> {vi_number(new['value'])}"]
            out.append(f"changed {describe(fc.resource, new)}: {'; '.join(parts)}")
    return out


def format_text(changes: list[FileChanges]) -> str:
    """For a terminal: control characters from the data are shown as escapes."""
    if not changes:
        return "No data changes."
    body = []
    for fc in changes:
        body.append(f"{fc.path}: {len(fc.added)} added, {len(fc.removed)} removed, {len(fc.changed)} changed")
        body += ["  " + line for line in lines([fc])]
    return "\n".join(visible(line) for line in body)


def format_markdown(changes: list[FileChanges], rev: str | None) -> str:
    """For a job summary: file names as code spans, lines as escaped text (see escaping.py)."""
    head = ["## Thay đổi dữ liệu / Data changes", ""]
    if rev:
        head += [f"So với / Compared with {code_span(rev)}.", ""]
    if not changes:
        return "\n".join(head + ["Không có thay đổi dữ liệu. / No data changes.", ""])
    body = ["| Tệp / File | Thêm / Added | Xoá / Removed | Sửa / Changed |", "|---|---|---|---|"]
    body += [
        f"| {code_span(fc.path, in_table=True)} | {len(fc.added)} | {len(fc.removed)} | {len(fc.changed)} |"
        for fc in changes
    ]
    body += [""]
    for fc in changes:
        body += [f"### {code_span(fc.path)}", ""] + [f"- {markdown(line)}" for line in lines([fc])] + [""]
    return "\n".join(head + body)


# --- what the change introduced: problems new against the base revision -------------------------


def problems_at(root: Path, rev: str) -> list:
    """What `validate` reports for the data at a git revision (checked in a temporary copy of
    its data/, against the same archive of report texts as the working tree)."""
    raw = subprocess.run(["git", "archive", "--format=tar", rev, "--", "data"], cwd=root, capture_output=True)
    if raw.returncode != 0:
        raise DiffError(raw.stderr.decode("utf-8", "replace").strip() or f"git archive {rev} failed")
    with tempfile.TemporaryDirectory(prefix="scoreboard-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(raw.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        return quality.check(Path(tmp), reports_dir=reports.location(root))[0]


def _key(p) -> tuple:
    """A problem as compared across revisions: not its line, which moves as rows are added."""
    return (p.path, p.column, p.kind, p.severity, p.message, p.value)


def new_problems(now: list, before: list) -> list:
    """The problems of now that before does not have (as many times as they are new)."""
    left = Counter(_key(p) for p in before)
    out = []
    for p in now:
        if left[_key(p)]:
            left[_key(p)] -= 1
        else:
            out.append(p)
    return out


def format_new_markdown(found: list, rev: str) -> str:
    """First in the job summary: the errors and warnings this change brings (or none)."""
    head = ["## Mới trong thay đổi này / New in this change", ""]
    if not found:
        return "\n".join(
            head
            + [
                f"✅ Không có lỗi hay cảnh báo mới so với {code_span(rev)}. / No new error or warning against {code_span(rev)}.",
                "",
            ]
        )
    errors = sum(p.is_error for p in found)
    head += [
        f"So với {code_span(rev)}, thay đổi này mang đến **{errors}** lỗi và **{len(found) - errors}** cảnh báo mới. / "
        f"Against {code_span(rev)}, this change brings **{errors}** new {'error' if errors == 1 else 'errors'} and "
        f"**{len(found) - errors}** new {'warning' if len(found) - errors == 1 else 'warnings'}.",
        "",
    ]
    for p in found:
        level = "❌" if p.is_error else "⚠️"
        where = f"{p.path}:{p.row}" if p.row else p.path
        head.append(f"- {level} {code_span(where)} {markdown(p.body())}")
    return "\n".join(head + [""])


def format_new_text(found: list, rev: str) -> str:
    if not found:
        return f"No new error or warning against {rev}."
    return "\n".join([f"New against {visible(rev)} ({len(found)}):"] + ["  " + p.text() for p in found])


# --- files other than data -----------------------------------------------------------------------

# (group, title, path prefixes or names); the first group that matches a path wins.
GROUPS = (
    ("schemas", "Lược đồ và mô tả gói dữ liệu / Data schemas and package descriptors", ("data/schemas/",)),
    ("workflows", "Quy trình GitHub và CI / GitHub workflows and CI", (".github/", ".ci/")),
    (
        "code",
        "Mã nguồn, kiểm thử, cấu hình và phụ thuộc / Code, tests, configuration and dependencies",
        (
            "scoreboard/",
            "build_site.py",
            "tests/",
            "tools/",
            "benchmarks/",
            "site_src/overrides/",
            "site_src/assets/",
            "site_src/pages/",
            "site_src/partials/",
            "data/boundaries/",
            "requirements",
            "package.json",
            "package-lock.json",
            "pyproject.toml",
            "mkdocs.yml",
            "mkdocs.en.yml",
            ".pre-commit-config.yaml",
            ".gitignore",
        ),
    ),
    ("other", "Tệp khác / Other files", ("",)),
)


DESCRIPTORS = "descriptors"  # a data package's datapackage.json: data if it is the schemas' own


def group_of(path: str) -> str | None:
    """The review group of a changed path; None for a data CSV (shown by the data diff), and
    DESCRIPTORS for the descriptor of the reference package or a period's (see grouped())."""
    if path.startswith("data/") and path.endswith(".csv") and not path.startswith("data/schemas/"):
        return None
    if path == "data/reference/datapackage.json" or (
        path.startswith("data/periods/") and path.endswith("/datapackage.json") and path.count("/") == 3
    ):
        return DESCRIPTORS
    if path.startswith("data/") and path.endswith("datapackage.json"):
        return "schemas"  # the boundaries' descriptor is written by hand
    for group, _, prefixes in GROUPS:
        if path.startswith(prefixes):
            return group
    return "other"


def changed_paths(root: Path, rev: str | None = None) -> list[str]:
    """Paths that differ between `rev` and the working tree, new untracked files included."""
    rev = rev or default_rev(root)
    tracked = _git(root, "diff", "--name-only", "--no-renames", "-z", rev, "--").split("\0")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return sorted({p for p in tracked + untracked if p})


def grouped(paths: list[str], root: Path | None = None) -> dict[str, list[str]]:
    """Changed paths other than data CSVs, by review group (in GROUPS order). A package
    descriptor that is exactly what the schemas give (`new-period`, `refresh-descriptors`
    write it; validation fails on any other) is data; any other goes with the schemas."""
    out: dict[str, list[str]] = {group: [] for group, _, _ in GROUPS}
    for path in paths:
        group = group_of(path)
        if group == DESCRIPTORS:
            if root is not None and is_generated_descriptor(root, path):
                continue
            group = "schemas"
        if group:
            out[group].append(path)
    return {group: found for group, found in out.items() if found}


def is_generated_descriptor(root: Path, path: str) -> bool:
    """Whether the descriptor at path (in the working tree) is the one data/schemas give."""
    schemas = root / "data" / "schemas"
    folder = Path(path).parent.name
    try:
        if path == "data/reference/datapackage.json":
            expected = layout.reference_descriptor(schemas)
        elif periods_mod.is_period_id(folder):
            expected = layout.period_descriptor(folder, schemas)
        else:
            return False
        return read_json(root / path) == expected
    except (OSError, ValueError, KeyError, TypeError):
        return False


def format_paths_markdown(groups: dict[str, list[str]], limit: int = 50) -> str:
    """A notice at the top of the summary when more than data CSVs changed."""
    if not groups:
        return "✅ Chỉ tệp CSV trong `data/` thay đổi. / Only CSV files under `data/` changed.\n"
    out = [
        "## ⚠️ Không chỉ dữ liệu / Not only data",
        "",
        "**Yêu cầu này sửa cả các tệp dưới đây, không chỉ tệp CSV: người bảo trì mã phải xem xét trước khi hợp nhất.**",
        "",
        "**This pull request also changes the files below, not only CSV files: "
        "a code maintainer must review it before merging.**",
        "",
    ]
    titles = {group: title for group, title, _ in GROUPS}
    for group, paths in groups.items():
        out += [f"### {titles[group]} ({len(paths)})", ""]
        out += [f"- {code_span(path)}" for path in paths[:limit]]
        if len(paths) > limit:
            out.append(f"- … +{len(paths) - limit}")
        out.append("")
    return "\n".join(out)


def format_paths_text(groups: dict[str, list[str]]) -> str:
    if not groups:
        return "Only CSV files under data/ changed."
    out = ["Not only data: these files need a code maintainer's review:"]
    for group, paths in groups.items():
        out += [f"  {group}: {visible(path)}" for path in paths]
    return "\n".join(out)
