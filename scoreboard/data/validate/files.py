"""Which files may exist under data/: a package's descriptor (matching data/schemas), its
resources, and nothing else. Everything under data/ may end up on the public site, so a
symbolic link, a stray file or an unexpected folder is an error, never followed or read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from scoreboard import store
from scoreboard.data import layout
from scoreboard.data import periods as periods_mod
from scoreboard.data.problems import Problem
from scoreboard.data.validate import cache
from scoreboard.data.validate.schema_files import read_json
from scoreboard.data.validate.table import Table, rel

# what may sit directly in data/, and in each folder below it
TOP_LEVEL = {"README.md": "file", "schemas": "dir", "reference": "dir", "periods": "dir", "boundaries": "dir"}


def expected_files(root: Path) -> dict[str, set[str]]:
    """Folder (relative to data/) -> the names of the files it may hold."""
    data = root / "data"
    expected = {
        "schemas": {f"{name}.json" for name in (*layout.REFERENCE_RESOURCES, *layout.PERIOD_RESOURCES)},
        "reference": {"datapackage.json", *(f"{name}.csv" for name in layout.REFERENCE_RESOURCES)},
        "periods": set(),
        "boundaries": set(layout.BOUNDARY_FILES),
    }
    period_files = {"datapackage.json", *(f"{name}.csv" for name in layout.PERIOD_RESOURCES)}
    periods_dir = data / "periods"
    if periods_dir.is_dir() and not periods_dir.is_symlink():
        for entry in os.scandir(periods_dir):
            if entry.is_dir(follow_symlinks=False) and periods_mod.is_period_id(entry.name):
                expected[f"periods/{entry.name}"] = period_files
    return expected


def check_layout(root: Path) -> list[Problem]:
    """Name every symbolic link, stray file and unexpected folder under data/, without
    following or reading any of them."""
    data = root / "data"
    if data.is_symlink() or not data.is_dir():
        return [_odd(root, data, "data/ is a symbolic link or not a folder", "make data/ a plain folder")]
    expected = expected_files(root)
    problems = []
    for dirpath, dirnames, filenames in os.walk(data, followlinks=False):
        here = Path(dirpath)
        folder = here.relative_to(data).as_posix()
        for name in sorted(dirnames):
            path = here / name
            sub = path.relative_to(data).as_posix()
            if path.is_symlink():
                problems.append(_link(root, path))
                dirnames.remove(name)
            elif name.endswith(".csv") or name == "datapackage.json":
                continue  # a resource that is a folder: reported with its package
            elif folder == "periods" and not periods_mod.is_period_id(name):
                dirnames.remove(name)  # reported as a malformed period id
            elif (folder == "." and TOP_LEVEL.get(name) != "dir") or (folder != "." and sub not in expected):
                problems.append(
                    _odd(
                        root,
                        path,
                        "unexpected folder under data/",
                        "remove it: data/ holds only schemas/, reference/, boundaries/ and periods/<PERIOD>/ folders",
                    )
                )
                dirnames.remove(name)
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink():
                problems.append(_link(root, path))
            elif not stat.S_ISREG(path.lstat().st_mode):
                problems.append(_odd(root, path, "not a regular file", "remove it"))
            elif (folder == "." and TOP_LEVEL.get(name) != "file") or (
                folder != "." and name not in expected.get(folder, set())
            ):
                problems.append(
                    _odd(
                        root,
                        path,
                        "the file is not part of a data package and would not be published",
                        "remove it (only datapackage.json and the CSV files the package declares belong here)",
                    )
                )
    return problems


def _folder(root, path: Path) -> Problem:
    return _odd(root, path, "a folder where a file is expected", f"remove the folder and restore {path.name} as a file")


def _link(root, path: Path) -> Problem:
    message = "a symbolic link under data/ (links are never followed or published)"
    return _odd(root, path, message, "replace the link with the file itself, or remove it", kind="symlink")


def _odd(root, path: Path, message: str, hint: str, kind: str = "stray-file") -> Problem:
    """A problem with a path under data/ as a whole (no line, no column, no value)."""
    return Problem(rel(root, path), 0, "", message, "", hint, kind=kind)


def is_plain_file(path: Path, root: Path) -> bool:
    """A regular file inside root reached through no symbolic link: the only kind read or published."""
    return _plain(path, root, stat.S_ISREG)


def is_plain_dir(path: Path, root: Path) -> bool:
    """A real folder inside root reached through no symbolic link."""
    return _plain(path, root, stat.S_ISDIR)


def _plain(path: Path, root: Path, kind) -> bool:
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    current = root
    try:
        for part in parts:
            current = current / part
            mode = current.lstat().st_mode
            if stat.S_ISLNK(mode) or part == "..":
                return False
    except OSError:
        return False
    return bool(parts) and kind(mode)


def check_package(root, package_dir, descriptor, schemas, problems, queue, kept=None) -> dict[str, Table]:
    rel_dir = rel(root, package_dir)
    descriptor_path = package_dir / "datapackage.json"
    tables = {
        r["path"][:-4]: Table(
            r["path"][:-4], package_dir / r["path"], rel(root, package_dir / r["path"]), schema=r["schema"]
        )
        for r in descriptor["resources"]
    }
    if not is_plain_dir(package_dir, root):
        return tables  # check_layout names the link; nothing behind it is read
    if descriptor_path.is_symlink():
        pass  # named by check_layout; never read
    elif descriptor_path.is_dir():
        problems.append(_folder(root, descriptor_path))
    elif not descriptor_path.exists():
        problems.append(
            Problem(
                f"{rel_dir}/datapackage.json",
                0,
                "",
                "the package has no datapackage.json",
                "",
                "recreate it with `python build_site.py new-period` or copy it from another period",
                kind="missing-descriptor",
            )
        )
    else:
        try:
            on_disk = read_json(descriptor_path)
        except ValueError as exc:
            on_disk = None
            problems.append(
                Problem(
                    f"{rel_dir}/datapackage.json",
                    0,
                    "",
                    f"the descriptor cannot be read: {exc}",
                    "",
                    "rewrite it with `python build_site.py refresh-descriptors`, or restore it from the main branch",
                    kind="bad-descriptor",
                )
            )
        if on_disk is not None and on_disk != descriptor:
            problems.append(
                Problem(
                    f"{rel_dir}/datapackage.json",
                    0,
                    "",
                    "the descriptor differs from the schemas in data/schemas",
                    "",
                    "do not edit schemas per package; change data/schemas/*.json and run "
                    "`python build_site.py refresh-descriptors`",
                    kind="descriptor-mismatch",
                )
            )

    for resource in descriptor["resources"]:
        table = tables[resource["path"][:-4]]
        path = table.path
        if path.is_symlink():
            continue  # named by check_layout; never read, so no line of its target is echoed
        if path.is_dir():
            problems.append(_folder(root, path))
            continue
        if not path.exists():
            problems.append(
                Problem(
                    table.rel,
                    0,
                    "",
                    "the file is missing",
                    "",
                    f"restore {resource['path']} with its header line",
                    kind="missing-file",
                )
            )
            continue
        problems += cache.read_text(table, resource["schema"], kept or cache.Results(store.Store(None)))
        if table.readable:
            queue.append((table, resource, package_dir))
    return tables
