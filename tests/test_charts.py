"""Chart rules that do not need a built site: period labels stay readable at any number of
periods (issue 13). Charts are drawn from invented rows, never from data/."""

from __future__ import annotations

import re

import pytest

from scoreboard import charts
from scoreboard.formatting import Locale

HALF_YEARS = [f"{year}-H{half}" for year in range(2016, 2026) for half in (1, 2)]
UNIT = {"id": "percent", "name_vi": "phần trăm", "name_en": "percent"}
CHAR_WIDTH = 0.6  # of the font size: an average letter of a sans-serif font, a little generous


def _job(periods: list[str], lang: str) -> dict:
    observations = [
        {"period": p, "breakdown": b, "value": start + n, "denominator": float("nan"), "value_kind": "reported"}
        for n, p in enumerate(periods)
        for b, start in (("nationwide", 50.0), ("provinces", 20.0))
    ]
    return charts.indicator_spec(observations, [], UNIT, Locale(lang))


def period_labels(svg: str) -> list[tuple[float, list[str], bool]]:
    """The x-axis label slots of a drawn chart, one per period: (x position, lines, shown),
    left to right. An unnamed period has an empty (self-closing) text element."""
    groups = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, re.S)
    x_axis = next(g for g in groups if 'text-anchor="middle"' in g)  # the y axis' labels end at its ticks
    labels = []
    for attrs, body in re.findall(r"<text([^>]*?)(?:/>|>(.*?)</text>)", x_axis, re.S):
        x = float(re.search(r"translate\(([-\d.]+),", attrs).group(1))
        lines = [line for line in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body) or [body] if line.strip()]
        shown = float(re.search(r'opacity="([\d.]+)"', attrs).group(1)) > 0 and bool(lines)
        labels.append((x, lines, shown))
    return sorted(labels)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_twenty_periods_leave_evenly_spaced_labels_that_do_not_overlap(lang):
    job = _job(HALF_YEARS, lang)
    labels = period_labels(charts._draw(job))
    assert len(labels) == len(HALF_YEARS)  # a tick (and a label slot) for every period
    shown = [(x, lines) for x, lines, visible in labels if visible]
    assert 3 <= len(shown) < len(HALF_YEARS)
    assert shown[-1][0] == labels[-1][0]  # the latest period is always named
    for (x1, lines1), (x2, lines2) in zip(shown, shown[1:]):
        half_widths = sum(max(len(line) for line in lines) * CHAR_WIDTH * 12 / 2 for lines in (lines1, lines2))
        assert x2 - x1 >= half_widths, (lines1, lines2, x2 - x1)
    gaps = {round(x2 - x1) for (x1, _), (x2, _) in zip(shown, shown[1:])}
    assert len(gaps) == 1, gaps  # evenly spaced
    # values are written where the axis names the period, so they do not run into each other
    named = {"\n".join(lines) for _, lines in shown}
    written = [row for row in job["values"]["observations"] if row["label"]]
    assert {row["x"] for row in written} == named
    assert len(written) == 2 * len(named)  # both lines, at each named period


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_few_periods_are_all_labelled(lang):
    job = _job(HALF_YEARS[-5:], lang)
    labels = period_labels(charts._draw(job))
    assert len(labels) == 5 and all(visible for _, _, visible in labels)
    assert all(row["label"] for row in job["values"]["observations"])
