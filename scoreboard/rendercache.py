"""Generated Markdown kept between builds, so a page is rendered again only when what it is
rendered from changed.

A page's key is the hash of everything its template can read:

- the site-wide part (`site_key`): the page language, the code and templates of the
  `scoreboard` package, the SCOREBOARD_* settings (such as the site address), and the
  reference tables that templates look up by id (units, indicators, agencies, successions,
  criteria, sources, periods, releases, and the dates that tell same-named agencies apart);
- the page's own part: its path, its template, and the values passed to it (the rows of one
  indicator, one league table, one agency...), pickled.

Only templates whose data arrives through those values take part (CACHED_TEMPLATES);
pages built from site-wide aggregates (home, indexes, grades, data) are always rendered,
and they are few. A changed key renders the page again, so the cache can cost a render
but never serve an outdated page. `full=True` (build --full) renders every page and only
refreshes the store. Files no longer used by a build are removed at its end.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from . import derive

# Templates that read the data only through the values they are given, plus reference
# lookups by id (ds.indicator, ds.agency, ds.source, ds.criterion, ds.unit_of,
# d.name_qualifiers), all part of the site key.
CACHED_TEMPLATES = frozenset({"indicator.md.j2", "period.md.j2", "league.md.j2", "agency.md.j2"})
REFERENCE_TABLES = (
    "units",
    "indicators",
    "agencies",
    "agency_successions",
    "criteria",
    "sources",
    "periods",
    "releases",
    "release_changes",
)
PACKAGE = Path(__file__).parent


def _sha(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def code_text() -> list[bytes]:
    """Every source file of the package (code, templates, translations), by path."""
    out = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".j2", ".yml", ".json"):
            out += [path.relative_to(PACKAGE).as_posix().encode(), path.read_bytes()]
    return out


def site_key(lang: str, dataset, derived) -> str:
    """What every cached page depends on besides its own values."""
    parts = [lang.encode(), *code_text()]
    parts += [f"{k}={v}".encode() for k, v in sorted(os.environ.items()) if k.startswith("SCOREBOARD_")]
    for name in REFERENCE_TABLES:
        frame = getattr(dataset, name, None)
        parts += [name.encode(), b"-" if frame is None else frame.to_csv().encode("utf-8", "surrogatepass")]
    parts.append(repr(sorted((derived.name_qualifiers or {}).items())).encode("utf-8", "surrogatepass"))
    return _sha(*parts)


class RenderCache:
    """One language's stored Markdown, in a folder of <key>.md files."""

    def __init__(self, folder: Path, site: str, reuse: bool = True):
        self.folder, self.site, self.reuse = folder, site, reuse
        self.used: set[str] = set()
        self._shared: dict[int, tuple[object, str]] = {}  # id -> (table, digest): hashed once a build
        self.hits = 0
        self.misses = 0

    def key(self, page: str, template: str, values: dict) -> str | None:
        """The page's key, or None when it is not cached (its template reads aggregates,
        or a value cannot be pickled)."""
        if template not in CACHED_TEMPLATES:
            return None
        parts = [self.site.encode(), page.encode(), template.encode()]
        try:
            for name, value in sorted(values.items()):
                parts += [name.encode(), self._value_bytes(value)]
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        return _sha(*parts)

    def _value_bytes(self, value) -> bytes:
        """A value's pickle; a league table (shared by dozens of pages) as the digest of its
        pickle, made once per build."""
        if isinstance(value, derive.LeagueTable):
            return self._shared_digest(value).encode()
        if isinstance(value, list) and any(isinstance(v, derive.LeagueTable) for v in value):
            return repr([self._value_bytes(v) for v in value]).encode()
        return pickle.dumps(value, protocol=5)

    def _shared_digest(self, value) -> str:
        known = self._shared.get(id(value))
        if known is None or known[0] is not value:
            known = (value, _sha(pickle.dumps(value, protocol=5)))
            self._shared[id(value)] = known  # the object is kept alive, so its id is not reused
        return known[1]

    def get(self, key: str | None) -> str | None:
        if key is None or not self.reuse:
            return None
        try:
            text = (self.folder / f"{key}.md").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self.used.add(key)
        self.hits += 1
        return text

    def put(self, key: str | None, text: str) -> None:
        """Store a rendered page (atomically; a cache that cannot be written only costs time)."""
        if key is None:
            return
        self.misses += 1
        self.used.add(key)
        path = self.folder / f"{key}.md"
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)

    def prune(self) -> None:
        """Forget pages this build did not produce, so the store does not grow without end."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*.md"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
