"""The tree is the pipeline (docs/architecture.md): each stage a folder, imports running down
the pipeline only, no cycle between modules, no module over 600 lines, and libraries used
through their public interfaces (no private name imported from another package)."""

from __future__ import annotations

import ast
from pathlib import Path

from scoreboard.data import layout

PACKAGE = layout.ROOT / "scoreboard"
# A module may import its own stage and any stage below it; maintain (the maintainers'
# tools) stands beside the pipeline and uses only what is below derive.
LEVEL = {"store": 0, "workers": 0, "data": 1, "derive": 2, "figures": 3, "pages": 4, "site": 5, "maintain": 2}
LONGEST = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(layout.ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "scoreboard"


def _imports(module: str, path: Path) -> set[str]:
    """The scoreboard modules a module imports (a package import counts as its __init__)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("scoreboard"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("scoreboard")}
    return found


def test_imports_run_down_the_pipeline():
    modules = _modules()
    upward = []
    for module, path in modules.items():
        own = LEVEL.get(_stage(module))
        if own is None:
            continue
        for target in _imports(module, path):
            if target not in modules:
                continue  # a name imported from a module, not a module
            if LEVEL.get(_stage(target), 0) > own:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_no_cycle_between_modules():
    modules = _modules()
    graph = {m: {t for t in _imports(m, p) if t in modules and t != m} for m, p in modules.items()}
    for module in graph:  # a package imports its submodules by design: skip parent -> child edges
        graph[module] = {t for t in graph[module] if not t.startswith(module + ".") and not module.startswith(t + ".")}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return trail + [node, nxt]
            if nxt not in state and (cycle := visit(nxt, trail + [node])):
                return cycle
        state[node] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            assert visit(module, []) is None


def test_no_module_over_600_lines():
    long = {
        p.relative_to(layout.ROOT).as_posix(): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONGEST
    }
    assert long == {}


def test_no_private_name_of_another_package_is_imported():
    private = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and not node.module.startswith(("scoreboard", "__future__"))
            ):
                if any(part.startswith("_") for part in node.module.split(".")) or any(
                    a.name.startswith("_") for a in node.names
                ):
                    private.append(f"{path.name}: from {node.module} import {', '.join(a.name for a in node.names)}")
    assert private == []


def test_no_other_package_is_changed_at_run_time():
    """No assignment to an attribute of an imported module (replacing a library's function)."""
    patched = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        external = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                external |= {
                    (a.asname or a.name).split(".")[0] for a in node.names if not a.name.startswith("scoreboard")
                }
            elif (
                isinstance(node, ast.ImportFrom)
                and node.module
                and not node.module.startswith(("scoreboard", "__future__"))
            ):
                external |= {a.asname or a.name for a in node.names}
        for node in ast.walk(tree):
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AugAssign)
                else []
            )
            for target in targets:  # `module.name = ...` (setting os.environ["X"] is no patch)
                for t in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in external:
                        patched.append(f"{path.name}: {t.value.id}.{t.attr}")
    assert patched == []
