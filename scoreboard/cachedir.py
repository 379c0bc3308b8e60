"""Cache folders that keep only what recent builds used.

The chart, download and validation caches are keyed by content, so an edited chart leaves
its old entry behind; CI keeps .cache/ between runs, so without clean-up the folders would
grow with every period. A hit marks its entry as used (its modification time); after a
successful build, entries no build step used are removed.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHED_BY_CONTENT = ("charts", "figures", "validate")  # folders under .cache/
MARGIN = 2.0  # seconds: file systems that keep coarse times never lose a used entry


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
