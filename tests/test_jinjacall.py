"""The site's Jinja context calls every kind of callable exactly as Jinja's own does: the
short path for plain functions, methods and macros must not change a single page."""

from __future__ import annotations

import jinja2
import pytest

from scoreboard import jinjacall, render
from scoreboard.formatting import Locale


class Greeter:
    """A callable object whose __call__ wants the context (Jinja's "callable classes")."""

    @jinja2.pass_context
    def __call__(self, context, name):
        return f"{context['greeting']} {name}"

    @jinja2.pass_environment
    def env_name(self, environment, name):  # a bound method carrying a marker
        return f"{environment.globals['site']}:{name}"


@jinja2.pass_context
def from_context(context, key):
    return context[key]


@jinja2.pass_eval_context
def autoescaping(eval_ctx):
    return str(eval_ctx.autoescape)


def plain(a, b=1):
    return a + b


def stops():
    raise StopIteration


TEMPLATE = """\
{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}
{{ plain(1) }} {{ plain(1, b=2) }} {{ twice("<i>") }} {{ g("Lan") }} {{ g.env_name("Mai") }}
{{ from_context("greeting") }} {{ autoescaping() }} {{ "a,b".split(",")|join("+") }} {{ (stops() is undefined) }}
{% for n in [1, 2] %}{% set inner = n * 10 %}{{ from_context("inner") }} {{ plain(n) }} {{ twice(loop.index) }};{% endfor %}
{{ dict(a=1)["a"] }} {{ range(3)|list }} {{ namespace(v=4).v }}
"""


def _render(context_class) -> str:
    env = jinja2.Environment(autoescape=True)
    env.context_class = context_class
    env.globals.update(
        plain=plain, g=Greeter(), from_context=from_context, autoescaping=autoescaping, stops=stops, site="S"
    )
    return env.from_string(TEMPLATE).render(greeting="Chào")


def test_every_kind_of_callable_gives_what_jinja_gives():
    quick = _render(jinjacall.QuickCallContext)
    assert quick == _render(jinja2.runtime.Context)
    # the markers were honoured, not skipped: the context, environment and eval context came in
    assert "Chào Lan" in quick and "S:Mai" in quick and "Chào True" in quick
    assert "10 2" in quick and "20 3" in quick  # a loop's own variables reach a pass_context function
    assert "&lt;i&gt;&lt;i&gt;" in quick and "True\n" in quick  # StopIteration gives undefined


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_site_pages_are_the_same_with_jinjas_own_context(tmp_path, synthetic, lang):
    derived = render.derive_all(synthetic)
    env = render.environment()
    assert env.context_class is jinjacall.QuickCallContext
    try:
        for name, context_class in {"quick": jinjacall.QuickCallContext, "jinja": jinja2.runtime.Context}.items():
            env.context_class = context_class
            render.PageWriter(env, tmp_path / name, Locale(lang), synthetic, derived).all()
    finally:
        env.context_class = jinjacall.QuickCallContext

    def pages(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.md"))}

    assert pages(tmp_path / "quick") == pages(tmp_path / "jinja") and len(pages(tmp_path / "jinja")) > 20
