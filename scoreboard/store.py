"""Cache folders under .cache/: entries written whole, and only what recent builds used kept.

Every cache only saves time: an entry is written through a temporary file and os.replace
(a killed build never leaves half an entry), a write that fails is skipped, and an entry
that cannot be read is a miss. The chart, download, release and validation caches are
keyed by content, so an edited chart leaves its old entry behind; CI keeps .cache/ between
runs, so without clean-up the folders would grow with every period. A hit marks its entry
as used (its modification time); after a successful build, entries no build step used are
removed. (The compiled-template caches keep one file per template and need no clean-up.)

Finished files reach the site as hard links (place), not copies: a figure is one file on
disk whether it sits in the cache, the generated sources and the published site. That is
safe because no file here is ever changed in place: each is replaced whole, by a new file.
"""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

CACHED_BY_CONTENT = ("charts", "figures", "validate", "releases")  # folders under .cache/
MARGIN = 2.0  # seconds: file systems that keep coarse times never lose a used entry


def write_entry(path: Path, data: bytes, keep_same: bool = False) -> bool:
    """Write a cache entry atomically; a cache that cannot be written only costs time.
    True when the entry now holds data. With keep_same, an entry that already holds
    exactly data is left as it is: the same file keeps its identity (inode and time), which
    is how the search mirror knows a page is unchanged."""
    if keep_same and _holds(path, data):
        return True
    tmp = _temporary(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False


def write_new_entry(path: Path, data: bytes) -> bool:
    """Write a content-keyed entry unless one is already there (it holds the same bytes: the
    key is their hash). The entry is never replaced: a file the other language's process is
    linking into its site must not lose its last name midway (Linux then fails the link
    with "No such file", seen when both languages stored the data release's zip at once)."""
    tmp = _temporary(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _temporary(path: Path) -> Path:
    """Where this process writes an entry before it takes the entry's name."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def stored(path: Path | None, make: Callable[[], bytes]) -> Path | bytes:
    """A content-keyed entry: the file at path when the cache holds it (marked used);
    otherwise make()'s bytes, stored at path. Returns the entry, or the bytes themselves
    when there is no cache (path None) or it cannot be written: a cache only saves time."""
    if path is not None and path.is_file():
        mark_used(path)
        return path
    data = make()
    return path if path is not None and write_new_entry(path, data) else data


def place(src: Path, dest: Path) -> None:
    """Put the finished file src at dest as a hard link (no bytes copied), or as a copy where
    the file system refuses links. Whatever stood at dest is removed first, never written
    through: it may itself be a link to a cache entry. Nothing is done when dest already is
    src (the same file: a generated folder kept from the previous build)."""
    if _same_file(src, _existing(dest)):
        return
    _clear(dest)
    try:
        _link(src, dest)
    except FileNotFoundError:  # src is gone: the caller decides what to do
        raise
    except OSError:  # another file system, or links not allowed (Windows FAT, protected links)
        shutil.copyfile(src, dest)


def _link(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except FileNotFoundError:
        if not src.exists():
            raise
        dest.parent.mkdir(parents=True, exist_ok=True)  # the folder is new
        os.link(src, dest)


def put(content: Path | bytes, dest: Path) -> None:
    """A finished file at dest: a cache entry (a Path) placed by hard link, or bytes written
    as a new file, never through whatever stood there (it may be a link to a cache entry).
    Nothing is written when dest already holds exactly this: a generated folder kept from
    the previous build costs a read per unchanged file, not a new file. The folder is made
    when it is missing."""
    if isinstance(content, Path):
        place(content, dest)
        return
    if _holds(dest, content):
        return
    _clear(dest)
    try:
        dest.write_bytes(content)
    except FileNotFoundError:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(content)


def _holds(path: Path, content: bytes) -> bool:
    """Whether the regular file at path holds exactly content (sizes compared first)."""
    existing = _existing(path)
    if existing is None or existing.st_size != len(content):
        return False
    try:
        return path.read_bytes() == content
    except OSError:
        return False


def _existing(path: Path) -> os.stat_result | None:
    """The stat of the regular file at path; None when there is none (or a link, a folder)."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _same_file(src: Path, existing: os.stat_result | None) -> bool:
    if existing is None:
        return False
    try:
        info = src.stat()
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == (existing.st_dev, existing.st_ino)


def _clear(dest: Path) -> None:
    """Remove whatever stands at dest: a file or link (unlinked, never written through) or
    a folder (a page that became a file)."""
    try:
        dest.unlink()
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        else:
            raise


def read_pickle(path: Path):
    """A pickled entry, or None when it is missing or damaged."""
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None


def keep_only(folder: Path, pattern: str, used: set[str]) -> None:
    """Remove the entries (files matching pattern) whose name without suffix is not in used."""
    if not folder.is_dir():
        return
    for path in folder.glob(pattern):
        if path.stem not in used:
            path.unlink(missing_ok=True)


def mark_used(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:  # a read-only cache still serves its entries
        pass


def prune_unused(root: Path, since: float) -> int:
    """Remove entries of the content-keyed caches that were neither written nor used since
    `since` (a time.time() taken when the build started). Returns how many were removed."""
    removed = 0
    for name in CACHED_BY_CONTENT:
        folder = root / ".cache" / name
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < since - MARGIN:
                    path.unlink()
                    removed += 1
            except OSError:
                pass
    return removed
