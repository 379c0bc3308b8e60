"""Which files a package has: its descriptor (matching data/schemas) and its resources."""

from __future__ import annotations

import json

from ..problems import Problem
from .table import Table, rel
from .text import read_text


def check_package(root, package_dir, descriptor, schemas, problems, queue) -> dict[str, Table]:
    rel_dir = rel(root, package_dir)
    descriptor_path = package_dir / "datapackage.json"
    if not descriptor_path.exists():
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
            on_disk = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            on_disk = None
            problems.append(
                Problem(
                    f"{rel_dir}/datapackage.json",
                    0,
                    "",
                    "the file is not valid JSON",
                    str(exc)[:80],
                    "restore it from the main branch",
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

    tables: dict[str, Table] = {}
    for resource in descriptor["resources"]:
        name = resource["path"][:-4]
        path = package_dir / resource["path"]
        table = Table(name, path, rel(root, path), schema=resource["schema"])
        tables[name] = table
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
        problems += read_text(table, resource["schema"])
        if table.readable:
            queue.append((table, resource, package_dir))
    return tables
