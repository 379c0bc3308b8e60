"""The engine is one module (scoreboard/site/engine.py) and ProperDocs, the maintained fork of
MkDocs 1.x, builds the same site: leaving MkDocs 1.6 before Material's end of life is that
module and one requirement."""

from __future__ import annotations

import ast

import pytest

from scoreboard.data import layout
from scoreboard.site import build as site
from scoreboard.site import engine

from .conftest import file_digests, make_synthetic_project

pytestmark = pytest.mark.slow


def test_properdocs_builds_the_same_site(synthetic_built, tmp_path, monkeypatch):
    monkeypatch.setenv(engine.ENGINE_SETTING, "properdocs")
    root = make_synthetic_project(tmp_path / "properdocs")
    site.build(root, strict=True)
    built, expected = file_digests(root / "site"), file_digests(synthetic_built)
    assert built.keys() == expected.keys()
    assert [path for path in built if built[path] != expected[path]] == []


def test_an_unknown_engine_is_one_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv(engine.ENGINE_SETTING, "zensical")
    with pytest.raises(engine.EngineError, match="SCOREBOARD_ENGINE='zensical' is not an engine"):
        engine.name()


def test_only_the_engine_module_imports_the_engine():
    importers = set()
    for path in (layout.ROOT / "scoreboard").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            if any(n.split(".")[0] in engine.ENGINES for n in names):
                importers.add(path.relative_to(layout.ROOT).as_posix())
            text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
            if text.startswith(("mkdocs.", "properdocs.")) and not text.endswith((".yml", ".yaml")):
                importers.add(path.relative_to(layout.ROOT).as_posix())  # a module named in a string
    assert importers <= {"scoreboard/site/engine.py"}, importers
