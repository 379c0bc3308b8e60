"""The static-site engine: the one module that calls MkDocs.

Each language is one engine build of a folder of generated Markdown, driven only through
the engine's configuration (mkdocs.yml, mkdocs.en.yml, and the few settings passed here)
and its public build command. Material for MkDocs reaches its end of life on 5 May 2027
and MkDocs 1.6 is no longer maintained: ProperDocs, the maintained fork of MkDocs 1.x,
reads the same configuration and runs the same theme, and SCOREBOARD_ENGINE=properdocs
builds with it (CI builds the test site with both: tests/test_engine.py). Moving engines
is this module and one line of requirements. docs/architecture.md says what a move to
Zensical would take.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
from importlib.metadata import version
from pathlib import Path

from scoreboard import store

ENGINES = ("mkdocs", "properdocs")
ENGINE_SETTING = "SCOREBOARD_ENGINE"
# What lays a page out besides its own Markdown: the theme and the Markdown converter
THEME_PACKAGES = ("mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


class EngineError(Exception):
    """The engine stopped; args[0] says why, in its own words."""


def name() -> str:
    """The engine this build uses: SCOREBOARD_ENGINE, else MkDocs."""
    chosen = os.environ.get(ENGINE_SETTING, "").strip() or "mkdocs"
    if chosen not in ENGINES:
        raise EngineError(f"{ENGINE_SETTING}={chosen!r} is not an engine this project knows: use one of {ENGINES}")
    return chosen


def build(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str, strict: bool) -> None:
    """Build one language: the Markdown in docs_dir, as config_file says, into site_dir."""
    engine = name()
    try:
        config_module = importlib.import_module(f"{engine}.config")
        commands = importlib.import_module(f"{engine}.commands.build")
        exceptions = importlib.import_module(f"{engine}.exceptions")
    except ImportError as exc:
        raise EngineError(f"{engine} is not installed ({exc}): run `pip install -r requirements.txt`") from None
    logging.getLogger(engine).setLevel(logging.WARNING)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2.0
    try:
        config = config_module.load_config(
            config_file=str(config_file),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            site_url=site_url,
            strict=strict,
        )
        commands.build(config)
    except (exceptions.Abort, exceptions.ConfigurationError) as exc:
        raise EngineError(str(exc)) from exc


def _config(config_file: Path, **overrides):
    engine = name()
    try:
        config_module = importlib.import_module(f"{engine}.config")
        exceptions = importlib.import_module(f"{engine}.exceptions")
    except ImportError as exc:
        raise EngineError(f"{engine} is not installed ({exc}): run `pip install -r requirements.txt`") from None
    try:
        return config_module.load_config(config_file=str(config_file), **overrides)
    except (exceptions.Abort, exceptions.ConfigurationError) as exc:
        raise EngineError(str(exc)) from exc


def nav_pages(config_file: Path, docs_dir: Path) -> set[str]:
    """The pages the configuration's navigation lists (their HTML shows the navigation)."""
    pages: set[str] = set()

    def walk(items) -> None:
        for item in items or []:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and value.endswith(".md"):
                pages.add(value)

    logging.getLogger(name()).setLevel(logging.WARNING)
    docs_dir.mkdir(parents=True, exist_ok=True)  # the engine checks that it exists
    walk(_config(config_file, docs_dir=str(docs_dir))["nav"])
    return pages


def setup_key(config_file: Path, site_url: str) -> str:
    """A digest of everything besides a page's Markdown that its HTML is made from: the
    engine and theme versions, the configuration files (and the settings they read from the
    environment), the theme's overrides, the site's address."""
    folder = config_file.parent
    configs = sorted(folder.glob("mkdocs*.yml"))
    settings = sorted({m for f in configs for m in re.findall(r"!ENV \[?\s*(\w+)", f.read_text(encoding="utf-8"))})
    overrides = folder / "site_src" / "overrides"
    files = sorted(p for p in overrides.rglob("*") if p.is_file()) if overrides.is_dir() else []
    return store.key(
        name(),
        [f"{package}={version(package)}" for package in (name(), *THEME_PACKAGES)],
        [(s, os.environ.get(s, "")) for s in settings],
        site_url,
        *[part for f in configs for part in (f.name, f.read_bytes())],
        *[part for f in files for part in (f.relative_to(overrides).as_posix(), f.read_bytes())],
    )
