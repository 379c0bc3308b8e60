"""The site's Jinja runtime (jinjaquick) calls every kind of callable and reads every kind
of field exactly as Jinja's own does: its short paths must not change a single page."""

from __future__ import annotations

import collections

import jinja2
import pytest

from scoreboard.pages import jinjaquick, render
from scoreboard.pages.formatting import Locale


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
{{ row.status }} [{{ row.missing }}] {{ row.items()|list|length }} {{ row.get("status") }} {{ row["items"] }}
{{ ordered.status }} {{ counts.status }} [{{ counts.missing }}] {{ (row.missing is undefined) }}
"""


def _globals() -> dict:
    row = {"status": "met", "items": "field named like a dict method"}
    return {
        "plain": plain,
        "g": Greeter(),
        "from_context": from_context,
        "autoescaping": autoescaping,
        "stops": stops,
        "site": "S",
        "row": row,
        "ordered": collections.OrderedDict(row),  # a dict subclass: Jinja's own path
        "counts": collections.Counter(status=3),  # a subclass that answers missing keys itself
    }


def _render(environment_class) -> str:
    env = environment_class(autoescape=True)
    env.globals.update(_globals())
    return env.from_string(TEMPLATE).render(greeting="Chào")


def test_every_kind_of_callable_and_field_gives_what_jinja_gives():
    quick = _render(jinjaquick.QuickEnvironment)
    assert quick == _render(jinja2.Environment)
    # the markers were honoured, not skipped: the context, environment and eval context came in
    assert "Chào Lan" in quick and "S:Mai" in quick and "Chào True" in quick
    assert "10 2" in quick and "20 3" in quick  # a loop's own variables reach a pass_context function
    assert "&lt;i&gt;&lt;i&gt;" in quick and "True\n" in quick  # StopIteration gives undefined
    # a dict's own method wins over a key of the same name, as in Jinja; other names are keys
    assert "met [] 2 met field named like a dict method" in quick
    assert "met 3 [0] True" in quick


def test_a_missing_field_is_still_an_error_on_the_site():
    """The site's environment is strict: a misspelt field must fail, not print nothing."""
    with pytest.raises(jinja2.UndefinedError):
        render.environment().from_string("{{ row.mising }}").render(row={"missing": 1})


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_site_pages_are_the_same_with_jinjas_own_runtime(tmp_path, synthetic, lang, monkeypatch):
    derived = render.derive_all(synthetic)
    env = render.environment()
    assert type(env) is jinjaquick.QuickEnvironment and env.context_class is jinjaquick.QuickCallContext
    render.PageWriter(env, tmp_path / "quick", Locale(lang), synthetic, derived).all()
    # the same environment with Jinja's own call and field reading
    monkeypatch.setattr(jinjaquick.QuickEnvironment, "getattr", jinja2.Environment.getattr)
    monkeypatch.setattr(env, "context_class", jinja2.runtime.Context)
    render.PageWriter(env, tmp_path / "jinja", Locale(lang), synthetic, derived).all()

    def pages(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.md"))}

    assert pages(tmp_path / "quick") == pages(tmp_path / "jinja") and len(pages(tmp_path / "jinja")) > 20


def test_remembered_answers_each_distinct_call_once_per_page():
    env = render.environment()
    template = env.from_string(
        "{% macro cell(s, basis) %}<b>{{ s }}/{{ basis }}/{{ count() }}</b>{% endmacro %}"
        "{% set cell_once = remembered(cell) %}"
        "{% for s, basis in rows %}{{ cell_once(s, basis) }} {% endfor %}"
    )
    calls = []

    def count():
        calls.append(1)
        return len(calls)

    rows = [("met", "named"), ("not_met", "named"), ("met", "named"), ("met", "all"), ("not_met", "named")]
    out = template.render(rows=rows, count=count)
    # each distinct (status, basis) is drawn once, in order of first use; repeats get the same cell
    assert (
        out == "<b>met/named/1</b> <b>not_met/named/2</b> <b>met/named/1</b> <b>met/all/3</b> <b>not_met/named/2</b> "
    )
    calls.clear()
    assert template.render(rows=rows[:1], count=count) == "<b>met/named/1</b> "  # a new page starts afresh
