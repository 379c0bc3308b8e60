"""Compiled Jinja templates kept between builds.

Compiling templates is a fixed cost of every build: about half a second for the site's
own templates and as much again, per language, for the theme's (Material) in MkDocs.
Jinja can keep a template's compiled code on disk and reuse it while the template's text
is unchanged; the pages come out the same, since it is the same code.

The compiled code also depends on how the environment was set up (delimiters,
whitespace rules, autoescaping, extensions): all of that, and a caller's own key, go into
each entry's checksum, so a changed setting recompiles instead of reusing stale code.
There is one file per template, replaced whole when it changes, so the folder never grows.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from scoreboard import store as cachedir


def fingerprint(env: jinja2.Environment, extra: str = "") -> str:
    """Everything besides a template's text that shapes its compiled code."""
    autoescape = env.autoescape
    if callable(autoescape):  # select_autoescape(): its settings live in the closure
        cells = getattr(autoescape, "__closure__", None) or ()
        autoescape = [getattr(autoescape, "__qualname__", ""), *(repr(c.cell_contents) for c in cells)]
    settings = [
        jinja2.__version__,
        sorted(env.extensions),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        repr(autoescape),
        extra,
    ]
    return hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()


class CompiledTemplates(jinja2.BytecodeCache):
    """A folder of compiled templates, one file per template, for one environment."""

    def __init__(self, folder: Path, env: jinja2.Environment, extra: str = ""):
        self.folder = folder
        self.settings = fingerprint(env, extra)

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha256((self.settings + "\0" + source).encode("utf-8")).hexdigest()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return  # not compiled yet: Jinja compiles it and calls dump_bytecode
        try:
            bucket.bytecode_from_string(data)  # resets itself on a checksum or version mismatch
        except (pickle.PickleError, EOFError, ValueError, TypeError):
            bucket.reset()  # a damaged entry is a miss

    def dump_bytecode(self, bucket: Bucket) -> None:
        cachedir.write_entry(self._path(bucket), bucket.bytecode_to_string())


def attach(env: jinja2.Environment, folder: Path, extra: str = "") -> jinja2.Environment:
    """Give env a compiled-template cache in folder (before any template is loaded)."""
    env.bytecode_cache = CompiledTemplates(folder, env, extra)
    return env
