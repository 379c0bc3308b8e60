"""Generated Markdown kept between builds, so a page is rendered again only when what it was
rendered from changed.

A template reads the data in two ways, and both are checked:

- the values the page is given (the rows of one indicator, one league table, one agency...)
  are part of the page's key, with the page's path, its template, its language, the code
  and templates of the `scoreboard` package and the SCOREBOARD_* settings;
- lookups by id (`ds.agency(id)`, `ds.source(id)`, `d.name_qualifiers`...) are recorded while
  the page renders, each with a digest of its answer, and stored beside the page. A stored
  page is reused only if every recorded lookup still gives the same answer.

So correcting one source's title renders again only the pages that cite it, and adding a
period only the pages whose values or lookups changed. A page whose template reaches the
data any other way is not stored (it is rendered on every build), and pages made from
site-wide aggregates (home, indexes, grades, data) are always rendered: they are few.
`full=True` (build --full) renders every page and only refreshes the store. Files no
longer used by a build are removed at its end.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from scoreboard import store as cachedir
from scoreboard.derive import core as derive

# Templates that read the data only through the values they are given and recorded lookups.
CACHED_TEMPLATES = frozenset({"indicator.md.j2", "period.md.j2", "league.md.j2", "agency.md.j2"})
DATASET_LOOKUPS = frozenset({"agency", "indicator", "source", "criterion", "unit_of"})
DERIVED_LOOKUPS = frozenset({"name_qualifiers"})
PACKAGE = Path(__file__).parent.parent  # the whole scoreboard package


def _sha(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _digest(value) -> str:
    return _sha(pickle.dumps(value, protocol=5))


def code_text() -> list[bytes]:
    """Every source file of the package (code, templates, translations), by path."""
    out = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".j2", ".yml", ".json"):
            out += [path.relative_to(PACKAGE).as_posix().encode(), path.read_bytes()]
    return out


def site_key(lang: str) -> str:
    """What every cached page depends on besides its values and lookups."""
    parts = [lang.encode(), *code_text()]
    parts += [f"{k}={v}".encode() for k, v in sorted(os.environ.items()) if k.startswith("SCOREBOARD_")]
    return _sha(*parts)


class Lookups:
    """Stands in for the dataset (or the derived results) in a template: the allowed lookups
    answer as usual and are recorded; anything else answers too, but marks the page as not
    storable."""

    def __init__(self, target, allowed: frozenset, prefix: str, log: list, untracked: list, digest):
        self._target, self._allowed, self._prefix = target, allowed, prefix
        self._log, self._untracked = log, untracked
        # digest((prefix, name, args)): the answer's digest, from RenderCache's once-a-build
        # memo (a build's pages ask the same lookups thousands of times)
        self._digest = digest

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if name not in self._allowed:
            self._untracked.append(f"{self._prefix}.{name}")
            return value
        if not callable(value):
            self._log.append((self._prefix, name, None, self._digest((self._prefix, name, None))))
            return value

        def lookup(*args):
            answer = value(*args)  # an unknown id raises here, as without the cache
            self._log.append((self._prefix, name, args, self._digest((self._prefix, name, args))))
            return answer

        self.__dict__[name] = lookup  # the next `ds.<name>` finds it without __getattr__
        return lookup


def _answer(dataset, derived, lookup) -> str | None:
    prefix, name, args = lookup[:3]  # a recorded lookup, or one being recorded
    target = dataset if prefix == "ds" else derived
    try:
        value = getattr(target, name)
        return _digest(value(*args) if args is not None else value)
    except (KeyError, AttributeError, TypeError, ValueError):
        return None  # the id is gone: the page must be rendered again


class RenderCache:
    """One language's stored Markdown pages: <key>.md (the text, linked into the docs dir
    when reused) and <key>.pickle (the lookups it made), in one folder."""

    def __init__(self, folder: Path, site: str, reuse: bool = True):
        self.folder, self.site, self.reuse = folder, site, reuse
        self.used: set[str] = set()
        self._shared: dict[int, tuple[object, str]] = {}  # id -> (table, digest): hashed once a build
        self._answers: dict[tuple, str | None] = {}  # (prefix, name, args) -> digest: once a build
        self._answers_for: tuple | None = None  # the (dataset, derived) they answer for
        self.hits = 0
        self.misses = 0

    def write(self, dest: Path, page: str, template: str, values: dict, dataset, derived, draw) -> None:
        """Write the page's Markdown at dest. A stored page whose key and every lookup still
        match is a hard link to its stored text (no bytes written); any other is rendered by
        `draw(ds, d)` (with recording stand-ins), stored, and written as a new file."""
        key = self.key(page, template, values)
        if key is not None and self._reusable(key, dataset, derived):
            try:
                cachedir.place(self._text_path(key), dest)
            except OSError:
                pass  # removed since: rendered again below
            else:
                self.hits += 1
                self.used.add(key)
                return
        text, entry = self._draw(key, dataset, derived, draw)
        cachedir.put(entry or text.encode("utf-8"), dest)  # the stored text, linked: written once

    def _reusable(self, key: str, dataset, derived) -> bool:
        stored = self._load(key) if self.reuse else None
        return (
            stored is not None
            and self._text_path(key).is_file()
            and all(self._answer(dataset, derived, x) == x[3] for x in stored["lookups"])
        )

    def _draw(self, key: str | None, dataset, derived, draw) -> tuple[str, Path | None]:
        """The page's text, and its stored entry (None when it could not be stored)."""
        if key is None:
            return draw(dataset, derived), None
        log: list = []
        untracked: list = []

        def digest(lookup: tuple) -> str | None:
            return self._answer(dataset, derived, lookup)

        text = draw(
            Lookups(dataset, DATASET_LOOKUPS, "ds", log, untracked, digest),
            Lookups(derived, DERIVED_LOOKUPS, "d", log, untracked, digest),
        )
        self.misses += 1
        if untracked:
            return text, None
        return text, self._store(key, text, sorted(set(log), key=repr))

    def _answer(self, dataset, derived, lookup) -> str | None:
        """A recorded lookup's answer now; pages share most lookups (the same agencies and
        sources), so each is asked once a build (once per dataset)."""
        known = self._answers_for
        if known is None or known[0] is not dataset or known[1] is not derived:
            self._answers, self._answers_for = {}, (dataset, derived)
        try:
            return self._answers[lookup[:3]]
        except KeyError:
            answer = self._answers[lookup[:3]] = _answer(dataset, derived, lookup)
            return answer
        except TypeError:  # arguments that cannot be a dict key: asked each time
            return _answer(dataset, derived, lookup)

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
            known = (value, _digest(value))
            self._shared[id(value)] = known  # the object is kept alive, so its id is not reused
        return known[1]

    def _text_path(self, key: str) -> Path:
        return self.folder / f"{key}.md"

    def _load(self, key: str) -> dict | None:
        stored = cachedir.read_pickle(self.folder / f"{key}.pickle")
        return stored if isinstance(stored, dict) and "lookups" in stored else None

    def _store(self, key: str, text: str, lookups: list) -> Path | None:
        """The text as a file of its own (linked into the docs dir), then its lookups: an
        entry whose text could not be written is never found. Entries that already hold the
        same bytes (a --full build of unchanged data) are left as they are, not written again."""
        path = self._text_path(key)
        if not cachedir.write_entry(path, text.encode("utf-8"), keep_same=True):
            return None
        self.used.add(key)
        lookups_data = pickle.dumps({"lookups": lookups}, protocol=5)
        cachedir.write_entry(self.folder / f"{key}.pickle", lookups_data, keep_same=True)
        return path

    def prune(self) -> None:
        """Forget pages this build did not produce, so the store does not grow without end."""
        cachedir.keep_only(self.folder, "*.pickle", self.used)
        cachedir.keep_only(self.folder, "*.md", self.used)
