"""Putting a finished build in place so that site/ is never missing or half-written.

site/ is a symbolic link to one complete build kept in site.builds/. A new build is
renamed into site.builds/ whole, then a new link replaces the old one with os.replace,
which is atomic: a crash at any instant leaves site/ pointing at the old build or at
the new one. The build it replaced, and leftovers of killed builds, are removed by the
next build, under a lock that also keeps two builds of one project from writing the same
generated sources. That build first renames them aside (set_aside: renames only, at
once) and deletes them while it works (remove_in_background): deleting thousands of files
is a second or two that nobody has to wait for.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import filelock

from scoreboard.data.escaping import visible

LOCK_NAME = ".build.lock"
LEFTOVERS = ("tmp", "old", "link", "trash")  # site.tmp-*, site.old-*, site.link-*, site.trash-*


class BuildRunning(Exception):
    """Another build of the same project holds the lock."""

    def __init__(self, lock: Path, holder: str):
        super().__init__(lock, holder)
        self.lock, self.holder = lock, holder


def builds_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f"{site_dir.name}.builds")


def _leftover(site_dir: Path, kind: str) -> Path:
    return site_dir.with_name(f"{site_dir.name}.{kind}-{os.getpid()}")


def tmp_dir(site_dir: Path) -> Path:
    """Where this process builds before the swap (removed by the next build if killed)."""
    return _leftover(site_dir, "tmp")


def check_target(site_dir: Path) -> None:
    """Fail before any work when a file stands where the site folder belongs."""
    if site_dir.exists() and not site_dir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "a file stands where the site folder belongs", str(site_dir))
    if site_dir.parent.exists() and not site_dir.parent.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "a file stands where a folder belongs", str(site_dir.parent))


def swap(new: Path, site_dir: Path) -> None:
    """Make the complete build in `new` the site, atomically. The build it replaces stays in
    site.builds/ (a server may still be sending its files) until the next prune."""
    builds = builds_dir(site_dir)
    builds.mkdir(exist_ok=True)
    version = builds / f"{time.time_ns()}-{os.getpid()}"
    new.rename(version)
    link = _leftover(site_dir, "link")
    _remove(link)
    try:
        os.symlink(os.path.relpath(version, site_dir.parent), link, target_is_directory=True)
    except (OSError, NotImplementedError):
        _swap_by_rename(version, site_dir)  # a system that cannot make links (Windows without the right)
        return
    if site_dir.is_dir() and not site_dir.is_symlink():
        # A site/ folder from before site/ became a link, or made by hand: moved aside once.
        # Only this first swap has an instant without site/; the next build restores it (prune).
        site_dir.rename(_leftover(site_dir, "old"))
    os.replace(link, site_dir)


def _swap_by_rename(version: Path, site_dir: Path) -> None:
    old = _leftover(site_dir, "old")
    if site_dir.is_symlink():
        site_dir.unlink()
    elif site_dir.exists():
        site_dir.rename(old)
    version.rename(site_dir)
    _remove(old)


def prune(site_dir: Path) -> None:
    """Remove what killed builds left (site.tmp-*, site.old-*, site.link-*, site.trash-*)
    and the builds site/ no longer shows."""
    remove(set_aside(site_dir))


def set_aside(site_dir: Path) -> list[Path]:
    """Rename everything prune removes to site.trash-<pid>-<n> and return those paths:
    renames only, so this is quick, and nothing a build writes next can be among them.

    If a build was killed while site/ was missing (see swap), the site it moved aside is
    put back first, so pruning never removes the only site there is."""
    parent = site_dir.parent
    if not parent.is_dir():
        return []
    if not os.path.lexists(site_dir):
        aside = sorted(parent.glob(f"{site_dir.name}.old-*"), key=lambda p: p.stat().st_mtime)
        if aside:
            aside[-1].rename(site_dir)
    unused = [path for kind in LEFTOVERS for path in sorted(parent.glob(f"{site_dir.name}.{kind}-*"))]
    builds = builds_dir(site_dir)
    if builds.is_dir():
        current = site_dir.resolve() if site_dir.is_symlink() else None
        unused += [path for path in sorted(builds.iterdir()) if path.resolve() != current]
    trash = []
    for n, path in enumerate(unused):
        target = _leftover(site_dir, f"trash-{time.time_ns()}-{n}")
        try:
            path.rename(target)
        except OSError:  # gone meanwhile, or cannot be moved: removed where it is
            target = path
        trash.append(target)
    return trash


def remove(paths: list[Path]) -> None:
    """Delete what set_aside returned."""
    for path in paths:
        _remove(path)


# _remove(), for a process of its own that imports nothing of this package (-I).
REMOVER = (
    "import os, shutil, sys\n"
    "for p in sys.argv[1:]:\n"
    "    if os.path.islink(p) or os.path.isfile(p): os.unlink(p)\n"
    "    else: shutil.rmtree(p, ignore_errors=True)\n"
)


def remove_in_background(paths: list[Path]) -> subprocess.Popen | None:
    """Delete what set_aside returned in a process of its own, while the build works: a
    thread would wait for the interpreter lock after every one of thousands of deletions
    while validation holds it. wait() on the result; None when there is nothing to delete
    (or no process could be started: then it is deleted at once)."""
    if not paths:
        return None
    try:
        return subprocess.Popen([sys.executable, "-I", "-c", REMOVER, *map(str, paths)], stdin=subprocess.DEVNULL)
    except OSError:
        remove(paths)
        return None


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def lock(root: Path):
    """Hold the project's build lock (filelock: released when the process ends, even
    killed); raise BuildRunning at once if another build holds it."""
    path = root / LOCK_NAME
    held = filelock.FileLock(path, timeout=0, thread_local=False)
    try:
        held.acquire()
    except filelock.Timeout:
        raise BuildRunning(path, "") from None
    try:
        yield
    finally:
        held.release()


HINTS = {
    errno.ENOSPC: "the disk is full: free some space, then build again",
    errno.EDQUOT: "the disk quota is used up: free some space, then build again",
    errno.EROFS: "this folder is read-only: build in a writable copy of the project",
    errno.EACCES: "no permission to write here: fix the folder's permissions or build in a writable copy",
    errno.EPERM: "no permission to write here: fix the folder's permissions or build in a writable copy",
    errno.ENOTDIR: "a file stands where a folder belongs: move or delete that file, then build again",
    errno.EISDIR: "a folder stands where a file belongs: move or delete that folder, then build again",
    errno.EEXIST: "something already stands at this path: move or delete it, then build again",
    errno.ENOENT: "a file or folder is missing: check that the project is complete",
    errno.EADDRINUSE: "the port is taken by another program: choose another one with --port",
}


def describe_os_error(exc: OSError) -> str:
    """One line for a failed file or network operation: where, what, and what to do."""
    where = exc.filename if exc.filename is not None else ""
    what = exc.strerror or str(exc) or type(exc).__name__
    hint = HINTS.get(exc.errno or 0, "check the path and build again")
    prefix = f"{visible(os.fspath(where))}: " if where != "" else ""
    return f"{prefix}{visible(what)} -> {hint}"
