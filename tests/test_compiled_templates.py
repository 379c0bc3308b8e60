"""Compiled templates kept between builds (Jinja's for pages and the theme, Vega's for
charts) give exactly what compiling afresh gives, and are recompiled when what shaped
them changes."""

from __future__ import annotations

import json
import sys

import jinja2
import pytest

from scoreboard.figures import charts
from scoreboard.pages import render, templatecache
from scoreboard.pages.formatting import Locale


def _env(folder, **settings) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": "{% if x %}\n  {{ x }}\n{% endif %}\n"}), **settings)
    return templatecache.attach(env, folder)


def _compiles(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        seen.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return seen


def test_a_kept_template_is_not_compiled_again_and_renders_the_same(tmp_path, monkeypatch):
    fresh = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": "{% if x %}\n  {{ x }}\n{% endif %}\n"}))
    expected = fresh.get_template("t.j2").render(x="<b>")
    compiles = _compiles(monkeypatch)
    assert _env(tmp_path).get_template("t.j2").render(x="<b>") == expected
    assert compiles == ["t.j2"] and len(list(tmp_path.iterdir())) == 1
    assert _env(tmp_path).get_template("t.j2").render(x="<b>") == expected
    assert compiles == ["t.j2"]  # the second environment loaded the compiled code


@pytest.mark.parametrize(
    "settings", [{"trim_blocks": True}, {"autoescape": True}, {"comment_start_string": "{##"}], ids=str
)
def test_a_changed_setting_compiles_again(tmp_path, monkeypatch, settings):
    """Whitespace rules and autoescaping are compiled into the code: stale code would
    render the old way."""
    _env(tmp_path).get_template("t.j2")
    compiles = _compiles(monkeypatch)
    changed = _env(tmp_path, **settings).get_template("t.j2").render(x="<b>")
    fresh = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": "{% if x %}\n  {{ x }}\n{% endif %}\n"}), **settings)
    assert compiles == ["t.j2"] and changed == fresh.get_template("t.j2").render(x="<b>")
    assert len(list(tmp_path.iterdir())) == 1  # replaced, not added: the folder never grows


def test_a_changed_template_or_a_damaged_entry_compiles_again(tmp_path, monkeypatch):
    _env(tmp_path).get_template("t.j2")
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(entry.read_bytes()[:20])
    assert _env(tmp_path).get_template("t.j2").render(x="y") == "\n  y\n"
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": "{{ x }}!"}))
    templatecache.attach(env, tmp_path)
    assert env.get_template("t.j2").render(x="y") == "y!"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_site_pages_are_the_same_from_kept_code(tmp_path, synthetic, lang):
    derived = render.derive_all(synthetic)
    render.environment(tmp_path / "compiled")  # compiles and keeps every template
    render.environment.cache_clear()
    try:
        envs = {"fresh": render.environment(), "kept": render.environment(tmp_path / "compiled")}
        for name, env in envs.items():
            writer = render.PageWriter(env, tmp_path / name, Locale(lang), synthetic, derived)
            writer.agencies()
            writer.indicators()
    finally:
        render.environment.cache_clear()

    def pages(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.md"))}

    assert pages(tmp_path / "kept") == pages(tmp_path / "fresh") and len(pages(tmp_path / "fresh")) > 5


# --- Vega templates -------------------------------------------------------------------------------

JOB = {
    "kind": "indicator",
    "variant": "share",
    "lang": "vi",
    "values": {"observations": [], "targets": []},
    "y_title": "%",
}


@pytest.fixture
def vega_folder(tmp_path):
    charts.keep_compiled_templates(tmp_path)
    yield tmp_path
    charts.keep_compiled_templates(None)


def test_a_kept_vega_template_needs_neither_altair_nor_the_compiler(vega_folder, monkeypatch):
    charts.keep_compiled_templates(None)
    expected = charts.spec(JOB)
    charts.keep_compiled_templates(vega_folder)
    assert charts.spec(JOB) == expected and len(list(vega_folder.iterdir())) == 1
    charts.keep_compiled_templates(vega_folder)  # a new build: nothing in memory
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # importing it now fails
    monkeypatch.setitem(sys.modules, "altair", None)
    assert charts.spec(JOB) == expected


def test_a_vega_template_of_other_code_or_damaged_is_compiled_again(vega_folder, monkeypatch):
    expected = charts.spec(JOB)
    (entry,) = vega_folder.iterdir()
    stored = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({"code": "older code", "vega": "{}"}), encoding="utf-8")
    charts.keep_compiled_templates(vega_folder)
    assert charts.spec(JOB) == expected
    assert json.loads(entry.read_text(encoding="utf-8")) == stored  # replaced by this code's
    entry.write_text("{", encoding="utf-8")
    charts.keep_compiled_templates(vega_folder)
    assert charts.spec(JOB) == expected
