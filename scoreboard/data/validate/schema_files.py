"""The Table Schemas themselves (data/schemas/*.json), checked before anything is read with
them: each is a JSON object with a non-empty list of fields, each field a name and a type the
model reads, its constraints well formed. A schema that fails here stops validation with one
message per schema (nothing else can be checked against it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from scoreboard.data import layout
from scoreboard.data.problems import Problem

TYPES = ("string", "number", "integer", "boolean", "date")  # the types model._typed reads
CONSTRAINTS = {"required": bool, "unique": bool, "enum": list, "pattern": str, "minimum": (int, float)}
CONSTRAINTS["maximum"] = (int, float)
HINT = "restore the file from the main branch (a code maintainer changes schemas; see data/README.md)"


def read_json(path: Path):
    """A JSON file's data; ValueError (with a plain reason) for any file that is not
    readable JSON, nested too deeply included."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError("the file is not UTF-8 text") from exc
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ValueError("the JSON is nested too deeply to read") from exc
    except ValueError as exc:
        raise ValueError(f"the file is not valid JSON ({str(exc)[:80]})") from exc


def check_schemas(root: Path) -> list[Problem]:
    """One problem for each schema under root/data/schemas that cannot be used."""
    schemas = root / "data" / "schemas"
    problems = []
    for name in (*layout.REFERENCE_RESOURCES, *layout.PERIOD_RESOURCES):
        path = schemas / f"{name}.json"
        where = f"data/schemas/{name}.json"
        if path.is_symlink() or not path.is_file():
            problems.append(Problem(where, 0, "", "the schema is missing", "", HINT, kind="bad-schema"))
            continue
        try:
            found = schema_fault(read_json(path))
        except (ValueError, OSError) as exc:
            found = str(exc)
        if found:
            problems.append(Problem(where, 0, "", f"the schema cannot be used: {found}", "", HINT, kind="bad-schema"))
    return problems


def schema_fault(schema) -> str | None:
    """What is wrong with a schema's structure, in plain words, or None."""
    if not isinstance(schema, dict):
        return "it is not a JSON object"
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return "it has no fields"
    names = []
    for number, field in enumerate(fields, 1):
        if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"].strip():
            return f"field {number} has no name"
        name = field["name"]
        if field.get("type") not in TYPES:
            return f"field {name} has type {field.get('type')!r}; the types read are {', '.join(TYPES)}"
        constraints = field.get("constraints", {})
        if not isinstance(constraints, dict):
            return f"the constraints of field {name} are not a JSON object"
        for key, value in constraints.items():
            if (
                key not in CONSTRAINTS
                or not isinstance(value, CONSTRAINTS[key])
                or isinstance(value, bool) != (CONSTRAINTS[key] is bool)
            ):
                return f"field {name} has a constraint {key!r} that is not understood"
            if key == "pattern":
                try:
                    re.compile(value)
                except re.error:
                    return f"the pattern of field {name} is not a regular expression"
        names.append(name)
    if len(set(names)) != len(names):
        return "two fields have the same name"
    key = schema.get("primaryKey", [])
    if not isinstance(key, list) or any(k not in names for k in key):
        return "its primaryKey names a field it does not have"
    return None
