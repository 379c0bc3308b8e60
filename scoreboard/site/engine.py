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
from pathlib import Path

ENGINES = ("mkdocs", "properdocs")
ENGINE_SETTING = "SCOREBOARD_ENGINE"


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
