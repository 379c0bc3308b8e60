"""Every failure leaves the site whole: a crash at any step of the swap, a failing MkDocs
stage, a second build at the same time, a full disk or a file where a folder belongs.
Each ends with the old site or the new one in site/, never none and never half of one."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import build_site
from scoreboard import store
from scoreboard.figures import charts
from scoreboard.site import build as site
from scoreboard.site import docs, publish

from .conftest import make_synthetic_project


def _fake_build(root: Path, name: str, text: str) -> Path:
    """A small finished build: a home page and a nested page, both saying `text`."""
    folder = root / name
    (folder / "en").mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    (folder / "en" / "index.html").write_text(text, encoding="utf-8")
    return folder


def _site_is(site_dir: Path) -> str:
    """'old' or 'new' when site/ is one whole build, else the reason it is not."""
    if not site_dir.is_dir():
        return "missing"
    texts = {
        (site_dir / page).read_text(encoding="utf-8") if (site_dir / page).exists() else "missing"
        for page in ("index.html", "en/index.html")
    }
    return texts.pop() if len(texts) == 1 else f"mixed {texts}"


def _leftovers(parent: Path) -> list[str]:
    found = [p.name for p in parent.iterdir() if p.name.startswith("site.") and p.name != "site.builds"]
    builds = parent / "site.builds"
    if builds.is_dir():
        current = (parent / "site").resolve()
        found += [f"site.builds/{p.name}" for p in builds.iterdir() if p.resolve() != current]
    return sorted(found)


class Crash(BaseException):
    """A kill at this instant: nothing after it runs, no cleanup either."""


FILE_OPERATIONS = ("rename", "replace", "symlink", "unlink", "rmdir", "mkdir")


def _crash_after(monkeypatch, steps: int | None) -> list[str]:
    """Count file-system operations, and raise Crash instead of the one numbered `steps`."""
    done: list[str] = []
    for name in FILE_OPERATIONS:
        real = getattr(os, name)

        def operation(*args, _real=real, _name=name, **kwargs):
            if steps is not None and len(done) == steps:
                raise Crash(_name)
            done.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, operation)
    return done


def _old_site(tmp_path: Path, legacy: bool) -> Path:
    site_dir = tmp_path / "site"
    if legacy:  # a site/ folder as builds made it before site/ became a link
        _fake_build(tmp_path, "site", "old")
    else:
        publish.swap(_fake_build(tmp_path, "first", "old"), site_dir)
    return site_dir


@pytest.mark.parametrize("legacy", [False, True], ids=["link", "legacy-folder"])
def test_a_crash_at_any_step_of_the_swap_leaves_the_old_or_the_new_site(tmp_path, monkeypatch, legacy):
    with monkeypatch.context() as m:  # how many steps does a swap take?
        site_dir = _old_site(tmp_path / "count", legacy)
        steps = _crash_after(m, None)
        publish.swap(_fake_build(tmp_path / "count", "site.tmp-1", "new"), site_dir)
    assert len(steps) >= 3 and "replace" in steps
    for step in range(len(steps) + 1):
        folder = tmp_path / f"crash-{step}"
        site_dir = _old_site(folder, legacy)
        new = _fake_build(folder, "site.tmp-1", "new")
        with monkeypatch.context() as m:
            _crash_after(m, step)
            try:
                publish.swap(new, site_dir)
                crashed = False
            except Crash:
                crashed = True
        state = _site_is(site_dir)
        # The one instant without site/ is the first swap over a pre-link folder; the next
        # build puts the old site back (below). Every other instant has a whole site.
        if not (legacy and state == "missing"):
            assert state in ("old", "new"), f"crash at step {step} ({steps[step : step + 1]}): site is {state}"
        if not crashed:
            assert state == "new"
        publish.prune(site_dir)  # what the next build does first
        assert _site_is(site_dir) in ("old", "new"), f"after a crash at step {step} and the next build"
        assert _leftovers(folder) == [], f"after a crash at step {step} and the next build"


def test_site_is_a_link_to_the_new_build_and_the_next_prune_removes_the_old_one(tmp_path):
    site_dir = _old_site(tmp_path, legacy=False)
    old_build = site_dir.resolve()
    publish.swap(_fake_build(tmp_path, "site.tmp-7", "new"), site_dir)
    assert site_dir.is_symlink() and _site_is(site_dir) == "new"
    assert not os.path.isabs(os.readlink(site_dir))  # the project folder can move
    assert old_build.is_dir()  # still whole: a server may be sending its files
    assert not (tmp_path / "first").exists()
    publish.prune(site_dir)
    assert len(list((tmp_path / "site.builds").iterdir())) == 1
    assert _leftovers(tmp_path) == [] and _site_is(site_dir) == "new"


def test_set_aside_only_renames_and_what_it_returns_is_all_that_remove_deletes(tmp_path):
    site_dir = _old_site(tmp_path, legacy=False)
    publish.swap(_fake_build(tmp_path, "site.tmp-7", "new"), site_dir)
    _fake_build(tmp_path, "site.tmp-123", "junk")
    trash = publish.set_aside(site_dir)
    assert len(trash) == 2 and all(p.name.startswith("site.trash-") and p.is_dir() for p in trash)
    # what a build writes next (its own site.tmp-<pid>) is never among them
    assert not (tmp_path / "site.tmp-123").exists()
    publish.remove(trash)
    assert not any(p.exists() for p in trash)
    assert _leftovers(tmp_path) == [] and _site_is(site_dir) == "new"


def test_a_killed_cleaner_leaves_trash_that_the_next_build_removes(tmp_path):
    site_dir = _old_site(tmp_path, legacy=False)
    publish.swap(_fake_build(tmp_path, "site.tmp-7", "new"), site_dir)
    publish.set_aside(site_dir)  # killed before remove()
    assert any(p.name.startswith("site.trash-") for p in tmp_path.iterdir())
    publish.prune(site_dir)
    assert _leftovers(tmp_path) == [] and _site_is(site_dir) == "new"


def test_the_next_build_removes_what_killed_builds_left(tmp_path):
    site_dir = _old_site(tmp_path, legacy=False)
    for name in ("site.tmp-123", "site.tmp-123-vi", "site.old-45"):
        _fake_build(tmp_path, name, "junk")
    _fake_build(tmp_path / "site.builds", "99-99", "unfinished")
    os.symlink("site.builds/99-99", tmp_path / "site.link-45")
    publish.prune(site_dir)
    assert _leftovers(tmp_path) == [] and _site_is(site_dir) == "old"


def test_without_symbolic_links_the_swap_still_replaces_the_site(tmp_path, monkeypatch):
    site_dir = tmp_path / "site"
    _fake_build(tmp_path, "site", "old")

    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "symbolic links are not allowed")

    monkeypatch.setattr(os, "symlink", no_links)
    publish.swap(_fake_build(tmp_path, "site.tmp-3", "new"), site_dir)
    assert not site_dir.is_symlink() and _site_is(site_dir) == "new"
    assert _leftovers(tmp_path) == []


# --- the whole build ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chart_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("chart-cache")


@pytest.fixture
def synthetic_with_site(tmp_path, chart_cache) -> Path:
    """The synthetic project with a previous site in place (made by a swap, as a build does);
    its builds share one chart cache, so only the first draws the charts."""
    root = make_synthetic_project(tmp_path / "project")
    (root / ".cache").symlink_to(chart_cache, target_is_directory=True)
    publish.swap(_fake_build(root, "previous", "old"), root / "site")
    return root


def test_an_mkdocs_failure_leaves_the_previous_site(synthetic_with_site):
    root = synthetic_with_site
    about = root / "site_src/pages/vi/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    with pytest.raises(site.BuildError) as failure:
        site.build(root, strict=True, processes=1)
    assert [p.kind for p in failure.value.args[0]] == ["engine"]
    assert _site_is(root / "site") == "old"
    assert _leftovers(root) == []


def test_a_second_build_at_the_same_time_stops_with_a_clear_message(synthetic_with_site):
    root = synthetic_with_site
    with publish.lock(root):  # a build of this project is running
        with pytest.raises(site.BuildError) as failure:
            site.build(root, processes=1)
    (problem,) = failure.value.args[0]
    assert problem.kind == "build-running" and "another build of this project is running" in problem.message
    assert "wait for it to finish" in problem.hint
    assert _site_is(root / "site") == "old"
    with publish.lock(root):  # released: the next build may run
        pass


def _run_cli(monkeypatch, capsys, root: Path, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(build_site, "ROOT", root)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # one process: quicker, and the patches below apply
    code = build_site.main(["build", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_full_disk_is_one_line_and_exit_1_and_the_site_stays(synthetic_with_site, monkeypatch, capsys):
    root = synthetic_with_site

    def full(new, site_dir):
        raise OSError(errno.ENOSPC, "No space left on device", str(new / "index.html"))

    monkeypatch.setattr(publish, "swap", full)
    code, output = _run_cli(monkeypatch, capsys, root)
    assert code == 1 and "Traceback" not in output
    (line,) = [ln for ln in output.splitlines() if "No space left" in ln]
    assert "site.tmp-" in line and "free some space" in line
    assert _site_is(root / "site") == "old" and _leftovers(root) == []


def test_a_file_where_the_generated_pages_go_is_one_line_and_exit_1(synthetic_with_site, monkeypatch, capsys):
    root = synthetic_with_site
    (root / "site_src/build").write_text("not a folder", encoding="utf-8")
    code, output = _run_cli(monkeypatch, capsys, root)
    assert code == 1 and "Traceback" not in output
    (line,) = [ln for ln in output.splitlines() if ln.startswith("build: ")]
    assert "site_src/build" in line and "a file stands where a folder belongs" in line
    assert _site_is(root / "site") == "old" and _leftovers(root) == []


def test_a_file_where_the_site_goes_stops_before_any_work(tmp_path, monkeypatch, capsys):
    root = tmp_path / "project"
    root.mkdir()
    (root / "site").write_text("someone's notes", encoding="utf-8")
    code, output = _run_cli(monkeypatch, capsys, root)
    assert code == 1 and "Traceback" not in output
    assert (
        f"build: {root / 'site'}: a file stands where the site folder belongs -> a file stands where a folder" in output
    )
    assert (root / "site").read_text(encoding="utf-8") == "someone's notes"


def test_messages_about_files_show_control_characters_escaped():
    exc = OSError(errno.EROFS, "Read-only file system", "data/\x1b[2Jx\ny")
    line = publish.describe_os_error(exc)
    assert (
        line
        == "data/\\x1b[2Jx\\ny: Read-only file system -> this folder is read-only: build in a writable copy of the project"
    )


# --- the store ------------------------------------------------------------------------------------

JOB = {
    "kind": "grade",
    "variant": "en",
    "lang": "en",
    "titles": ["Grade", "Count"],
    "values": {"grades": [{"grade": "A", "count": 3, "group": "Ministries", "order": 0}]},
}


def test_a_chart_is_drawn_once_then_taken_from_the_store(tmp_path):
    kept = store.Store(tmp_path / "store")
    first = docs.Drawings(kept)
    entry = first.chart(JOB)
    assert isinstance(entry, Path) and charts.is_whole_svg(entry.read_text(encoding="utf-8"))
    again = docs.Drawings(kept)
    assert again.chart(JOB) == entry and (first.drawn, again.drawn) == (1, 0)
    other = docs.Drawings(kept).chart({**JOB, "lang": "vi", "variant": "vi"})
    assert other != entry  # the language is part of the key


def test_a_file_placed_from_the_store_is_replaced_never_written_through(tmp_path, monkeypatch):
    """Drawings reach the docs dir (and the site) as hard links to their store entries;
    whatever is put at that path later replaces the link and leaves the entry whole."""
    drawn, other = tmp_path / "store" / "drawn.png", tmp_path / "store" / "other.png"
    assert store.write_entry(drawn, b"drawn") and store.write_entry(other, b"other")
    placed = tmp_path / "docs" / "figure.png"
    placed.parent.mkdir()
    store.place(drawn, placed)
    assert placed.samefile(drawn)
    store.place(other, placed)
    store.put(b"drawn again", placed)
    assert (drawn.read_bytes(), other.read_bytes(), placed.read_bytes()) == (b"drawn", b"other", b"drawn again")

    def no_links(src, dest):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)  # another file system: a copy
    store.place(drawn, placed)
    assert placed.read_bytes() == b"drawn" and not placed.samefile(drawn)


def test_an_entry_stored_twice_keeps_its_first_file(tmp_path, monkeypatch):
    """Two processes (two builds' languages) may store one entry under one key. The second
    must not rename a new file over the first: the first process may be linking that file
    into its site, and Linux fails such a link once the file has lost its last name."""
    kept = store.Store(tmp_path / "store")
    entry = kept.get("figures", "k", lambda: b"zip", ".zip")
    first = entry.stat().st_ino
    assert store.write_entry(entry, b"zip")  # the other process, a moment later
    assert entry.stat().st_ino == first and entry.read_bytes() == b"zip"
    assert sorted(p.name for p in entry.parent.iterdir()) == ["k.zip"]  # no temporary file left

    def no_links(src, dest):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)  # a file system without hard links: replaced
    other = entry.with_name("other.zip")
    assert store.write_entry(other, b"other") and other.read_bytes() == b"other"
    assert sorted(p.name for p in entry.parent.iterdir()) == ["k.zip", "other.zip"]


def test_a_store_write_that_fails_leaves_no_entry_and_the_build_goes_on(tmp_path, monkeypatch):
    kept = store.Store(tmp_path / "store")
    real_write = Path.write_bytes  # entries are written as bytes (store.write_entry)

    def half_then_full_disk(self, data, *args, **kwargs):
        real_write(self, data[: len(data) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", half_then_full_disk)
    svg = docs.Drawings(kept).chart(JOB)  # the store only saves time: the drawing comes back as bytes
    assert isinstance(svg, bytes) and charts.is_whole_svg(svg.decode("utf-8"))
    assert [p for p in (tmp_path / "store").rglob("*") if p.is_file()] == []


def test_the_lock_is_released_when_the_build_fails(synthetic_with_site):
    root = synthetic_with_site
    (root / "data/reference/indicators.csv").write_text("broken\n", encoding="utf-8")
    with pytest.raises(site.BuildError):
        site.build(root, processes=1)
    with publish.lock(root):
        pass
