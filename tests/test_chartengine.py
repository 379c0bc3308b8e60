"""The chart engine `serve` keeps running (scoreboard/chartengine.py): a few charts are drawn
by it, to the same SVG a build draws itself; anything else, or an engine that does not
answer, and the build draws them itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from scoreboard.figures import chartengine, charts
from scoreboard.pages.formatting import Locale

from .conftest import ROOT

UNIT = {"id": "percent", "name_vi": "phần trăm", "name_en": "percent"}


def _job(lang: str, start: float) -> dict:
    observations = [
        {
            "period": p,
            "breakdown": "nationwide",
            "value": start + n,
            "denominator": float("nan"),
            "value_kind": "reported",
        }
        for n, p in enumerate(["2022-H1", "2022-H2", "2023-H1"])
    ]
    return charts.indicator_spec(observations, [], UNIT, Locale(lang))


JOBS = [_job("vi", 70.91), _job("en", 70.91), _job("vi", 1418.5)]


@pytest.fixture(scope="module")
def engine():
    with chartengine.running():
        _wait_until_it_answers()
        yield


def _wait_until_it_answers() -> None:
    assert chartengine.wait_until_answering(120), "the chart engine never answered"  # a guard, not a timing


def test_a_few_charts_are_drawn_by_the_engine_as_a_build_draws_them(engine):
    renderer = charts.SvgRenderer()
    drawn = renderer.draw_all(JOBS)
    assert renderer.drawn_by_engine == len(JOBS)
    assert drawn == [charts._draw(job) for job in JOBS]  # in this process, without the engine
    assert "70,91" in drawn[0] and "70.91" in drawn[1]  # each chart in its own language's numbers


def test_many_charts_are_drawn_by_the_build_itself(engine, monkeypatch):
    monkeypatch.setattr(chartengine, "MOST", len(JOBS) - 1)
    renderer = charts.SvgRenderer()
    assert renderer.draw_all(JOBS) == [charts._draw(job) for job in JOBS]
    assert renderer.drawn_by_engine == 0


def test_an_engine_that_cannot_draw_a_spec_leaves_it_to_the_build(engine):
    assert chartengine.draw([({"marks": "not a list"}, {})]) is None
    assert chartengine.draw([(charts.spec(JOBS[0]), charts.FORMAT_LOCALES["vi"])]) == [charts._draw(JOBS[0])]


def test_a_client_without_the_key_gets_no_drawing(engine, monkeypatch):
    monkeypatch.setitem(chartengine.running_engine, "key", bytes(32))
    assert chartengine.draw([]) is None
    renderer = charts.SvgRenderer()
    assert renderer.draw_all(JOBS[:1]) == [charts._draw(JOBS[0])]
    assert renderer.drawn_by_engine == 0


def test_without_an_engine_the_build_draws_its_charts(tmp_path, monkeypatch):
    monkeypatch.setattr(chartengine, "running_engine", {"address": str(tmp_path / "nothing-here"), "key": bytes(32)})
    assert chartengine.draw([]) is None
    renderer = charts.SvgRenderer()
    assert renderer.draw_all(JOBS[:1]) == [charts._draw(JOBS[0])]
    assert (renderer.drawn, renderer.drawn_by_engine) == (1, 0)


def test_the_engine_stops_with_its_block():
    with chartengine.running():
        engine = dict(chartengine.running_engine)
        _wait_until_it_answers()
    assert chartengine.running_engine == {}
    assert chartengine.draw([]) is None
    chartengine.running_engine.update(engine)
    try:
        assert chartengine.draw([]) is None  # nothing answers there any more
    finally:
        chartengine.running_engine.clear()


def test_the_engine_ends_when_serve_is_killed(tmp_path):
    """A `serve` killed outright cannot stop its engine: the engine sees it end and stops."""
    code = (
        "import time; from scoreboard.figures import chartengine\n"
        "if __name__ == '__main__':\n"
        "    with chartengine.running():\n"
        "        print(chartengine.running_engine['pid'], flush=True); time.sleep(600)\n"
    )
    script = tmp_path / "serve_like.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        engine = int(parent.stdout.readline())
        assert _alive(engine)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 60  # a guard against a hang, not a timing
    while _alive(engine) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(engine), "the chart engine outlived the process that started it"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a finished child of nobody's that init has not reaped yet is not running
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True
