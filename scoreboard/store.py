"""The one content-keyed store every cache of the build keeps its entries in (.cache/store/).

An entry is named by `key()` over everything it is made from (the input data, the code that
makes it, the library versions), like a build system's checksum over declared inputs: an
entry is never stale, only unused. Entries are written whole, under a temporary name that
is then linked into place, and never changed afterwards, so a published file may be a hard
link to one (`put`). After a successful build, entries that no step of it used are removed
(`Store.prune`). An entry that cannot be read is a miss and a write that fails is skipped:
the store only ever saves time.

Kinds of entries (a folder each): charts (drawn SVGs), figures (framed downloads), cards
(social-card PNGs), validate (per-file validation results), search (a stored search index),
pages (the HTML the engine built from a page's Markdown, site/built_pages.py): the ones
benchmarks/mechanisms.py shows to save at least a tenth of the build they target
(docs/performance.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

MARGIN = 2.0  # seconds: file systems that keep coarse times never lose a used entry


def key(*parts) -> str:
    """The one key function: a digest of the parts (bytes, text, or anything JSON can write),
    each length-prefixed so that no two lists of parts give the same bytes."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            data = part.encode("utf-8", "surrogatepass")
        elif isinstance(part, bytes):
            data = part
        else:
            data = json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def code_version(*paths: Path, packages: tuple[str, ...] = ()) -> str:
    """What a cached result's code is: the text of the files (or of every .py, .j2, .yml file
    under a folder) that make it, and the versions of the packages it uses."""
    parts: list = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.suffix in (".py", ".j2", ".yml")) if path.is_dir() else [path]
        for f in files:
            if "__pycache__" not in f.parts:
                parts += [f.as_posix(), f.read_bytes()]
    parts += [f"{name}={version(name)}" for name in packages]
    return key(*parts)


class Store:
    """The store's folder (None: a store that keeps nothing, for one-off uses)."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    @classmethod
    def of(cls, root: Path) -> Store:
        return cls(root / ".cache" / "store")

    def path(self, kind: str, name: str, suffix: str = "") -> Path | None:
        return None if self.folder is None else self.folder / kind / f"{name}{suffix}"

    def read(self, kind: str, name: str, suffix: str = "") -> bytes | None:
        """An entry's bytes (marked used), or None."""
        path = self.path(kind, name, suffix)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        mark_used(path)
        return data

    def get(self, kind: str, name: str, make: Callable[[], bytes], suffix: str = "") -> Path | bytes:
        """The entry's file when the store holds it (marked used); otherwise make()'s bytes,
        stored. Returns the entry's path, or the bytes themselves when there is no store or it
        cannot be written."""
        path = self.path(kind, name, suffix)
        if path is not None and path.is_file():
            mark_used(path)
            return path
        data = make()
        return path if path is not None and write_entry(path, data) else data

    def read_json(self, kind: str, name: str):
        """A JSON entry's value, or None when it is missing or damaged. JSON, never pickle:
        a store restored from CI's cache must not be able to run code."""
        data = self.read(kind, name, ".json")
        if data is None:
            return None
        try:
            entry = json.loads(data)
        except ValueError:
            entry = None
        # an entry names its own key: a file emptied or overwritten with other JSON is a miss,
        # removed so that the next write stores the entry whole again
        if isinstance(entry, dict) and entry.get("key") == name and "value" in entry:
            return entry["value"]
        self.path(kind, name, ".json").unlink(missing_ok=True)
        return None

    def write_json(self, kind: str, name: str, value) -> None:
        path = self.path(kind, name, ".json")
        if path is not None:
            entry = json.dumps({"key": name, "value": value}, ensure_ascii=False, separators=(",", ":"))
            write_entry(path, entry.encode("utf-8"))

    def prune(self, since: float) -> int:
        """Remove the entries that were neither written nor used since `since` (a time.time()
        taken when the build started). Returns how many were removed."""
        removed = 0
        if self.folder is None or not self.folder.is_dir():
            return removed
        for folder in self.folder.iterdir():
            for path in folder.iterdir() if folder.is_dir() else ():
                try:
                    if path.lstat().st_mtime < since - MARGIN:
                        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
                        removed += 1
                except OSError:
                    pass
        return removed


def write_entry(path: Path, data: bytes) -> bool:
    """Store a content-keyed entry unless one is already there (it holds the same bytes: the
    key is their digest). An entry is never replaced: a file that another process is linking
    into its site must not lose its name midway (Linux then fails the link with "No such
    file"). True when the entry now exists."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            mark_used(path)
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


def mark_used(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:  # a read-only store still serves its entries
        pass


# --- finished files ---------------------------------------------------------------------------


def put(content: Path | bytes, dest: Path) -> None:
    """A finished file at dest: an entry (a Path) placed by hard link, or bytes written as a
    new file, never through whatever stood there (it may be a link to an entry). Nothing is
    written when dest already holds exactly this, so a generated folder kept from the previous
    build costs a read per unchanged file. The folder is made when it is missing."""
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


def place(src: Path, dest: Path) -> None:
    """Put the finished file src at dest as a hard link (no bytes copied), or as a copy where
    the file system refuses links. Nothing is done when dest already is src."""
    if _same_file(src, _existing(dest)):
        return
    _clear(dest)
    try:
        _link(src, dest)
    except FileNotFoundError:  # src is gone: the caller decides what to do
        raise
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(src, dest)


def link_tree(src: Path, dest: Path) -> None:
    """Copy a folder as hard links (files are never changed in place once written)."""
    shutil.copytree(src, dest, copy_function=lambda a, b: place(Path(a), Path(b)))


def _link(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except FileNotFoundError:
        if not src.exists():
            raise
        dest.parent.mkdir(parents=True, exist_ok=True)  # the folder is new
        os.link(src, dest)


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
    """Remove whatever stands at dest: a file or link (unlinked, never written through) or a
    folder (a page that became a file)."""
    try:
        dest.unlink()
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        else:
            raise
