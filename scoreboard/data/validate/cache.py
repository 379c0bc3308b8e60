"""Per-file results of the checks that read one CSV alone, kept in the build's store.

A result is a pure function of the file's bytes, what the check is told about the file
(its schema, its path), the code of the check and the library versions it uses; the key
hashes all of them, so an edit to any of them misses the cache. Entries are JSON (never
pickle: a cache restored in CI must not run code), written atomically; a damaged or
unreadable entry is a miss, and a failed write is skipped. The cache only saves time.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import frictionless

from scoreboard import store
from scoreboard.data.problems import Problem
from scoreboard.data.validate import text
from scoreboard.data.validate.table import Table

FORMAT = 2  # bump when the stored layout changes
_HERE = Path(__file__).parent


def code_digest(*modules: str) -> str:
    """The source of the named modules of this package (and the problems and numbers modules
    they build on)."""
    h = hashlib.sha256()
    for name in (*modules, "../problems.py", "../numbers.py"):
        h.update(name.encode() + b"\0" + (_HERE / name).read_bytes() + b"\0")
    return h.hexdigest()


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def key(kind: str, code: str, file_digest: str, **inputs) -> str:
    """One entry's name: the check, its code, the versions, the file's bytes and its inputs."""
    return f"{kind}-" + store.key(kind, str(FORMAT), code, frictionless.__version__, inputs, file_digest)


class Results:
    """Validation results kept in the build's store (entries of kind "validate")."""

    def __init__(self, kept: store.Store):
        self.kept = kept

    def get(self, name: str):
        return self.kept.read_json("validate", name)

    def put(self, name: str, value) -> None:
        self.kept.write_json("validate", name, value)


def results(root: Path) -> Results:
    return Results(store.Store.of(root))


TEXT_CODE = code_digest("text.py", "cells.py", "table.py", "cache.py")
SCHEMA_CODE = code_digest("schema.py", "table.py", "cache.py")


def read_text(table: Table, schema: dict, cache: Results) -> list[Problem]:
    """The raw-text layer for one file (text.read_text), from the cache when its bytes,
    schema and path are unchanged; fills in the table as text.read_text does."""
    raw = table.path.read_bytes()
    table.digest = digest(raw)
    name = key("text", TEXT_CODE, table.digest, schema=schema, rel=table.rel)
    hit = cache.get(name)
    if hit is not None:
        try:
            problems = [Problem(*p) for p in hit["problems"]]
            header = [str(c) for c in hit["header"]]
            rows = [dict(zip(header, r, strict=True)) for r in hit["rows"]]
            lines, record_lines = list(hit["lines"]), list(hit["record_lines"])
            readable = hit["readable"] is True
        except (KeyError, TypeError, ValueError):
            pass  # a damaged entry: check the file again
        else:
            table.header, table.rows, table.lines, table.record_lines = header, rows, lines, record_lines
            table.readable = readable
            return problems
    problems = text.read_text(table, schema, raw)
    entry = {
        "problems": [dataclasses.astuple(p) for p in problems],
        "header": table.header,
        "rows": [[row[c] for c in table.header] for row in table.rows],
        "lines": table.lines,
        "record_lines": table.record_lines,
        "readable": table.readable,
    }
    cache.put(name, entry)
    return problems


def frictionless_key(table: Table, resource: dict) -> str:
    return key("frictionless", SCHEMA_CODE, table.digest, resource=resource)


def frictionless_hit(cache: Results, name: str) -> list[dict] | None:
    """Stored Frictionless findings, or None when missing or damaged."""
    hit = cache.get(name)
    fields = {"type", "row", "column", "cell", "note", "message"}
    if isinstance(hit, list) and all(isinstance(e, dict) and set(e) == fields for e in hit):
        return hit
    return None


def still_reads(table: Table) -> bool:
    """Whether the file still holds the bytes the raw-text layer read."""
    try:
        return digest(table.path.read_bytes()) == table.digest
    except OSError:
        return False
