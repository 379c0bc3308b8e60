"""Chart rules that do not need a built site: period labels stay readable at any number of
periods (issue 13). Charts are drawn from invented rows, never from data/."""

from __future__ import annotations

import re

import pytest

from scoreboard.figures import charts
from scoreboard.pages.formatting import Locale

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
    labels = period_labels(charts.draw(job))
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
    labels = period_labels(charts.draw(job))
    assert len(labels) == 5 and all(visible for _, _, visible in labels)
    assert all(row["label"] for row in job["values"]["observations"])


def _near_target(target: float, lang: str = "en") -> dict:
    """A latest value of 18.3 % a period before a target (as digital-economy-gdp-share had)."""
    observations = [
        {"period": p, "breakdown": "nationwide", "value": v, "denominator": float("nan"), "value_kind": "reported"}
        for p, v in (("2021", 9.8), ("2022-H1", 10.6), ("2024-H1", 18.3))
    ]
    targets = [{"target_period": "2025", "value": target, "low": float("nan"), "high": float("nan")}]
    targets[0] |= {"indicator_id": "x", "comparison": "at_least"}
    return charts.indicator_spec(observations, targets, UNIT, Locale(lang))


def _label_boxes(svg: str, font: float) -> list[tuple[float, float, float, str]]:
    """(x centre, y, half width, text) of the value and target labels drawn on a chart."""
    boxes = []
    for group in re.findall(r'<g class="mark-text role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S):
        for x, y, text in re.findall(r"<text[^>]*translate\(([-\d.]+),([-\d.]+)\)[^>]*>([^<]+)</text>", group):
            boxes.append((float(x), float(y), len(text) * font * CHAR_WIDTH / 2, text))
    return boxes


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_target_label_never_covers_a_value_label_on_a_phone(lang):
    """On the narrow chart the target's label goes a line up where it would cover the
    latest value's label, and stays by its diamond where it would not."""
    job = charts.narrow(_near_target(20.0, lang))
    boxes = _label_boxes(charts.draw(job), charts.NARROW_FONT)
    target = next(b for b in boxes if b[3].startswith(Locale(lang).t("words.target")))
    value = next(b for b in boxes if b[3].startswith("18"))
    apart_across = abs(target[0] - value[0]) >= target[2] + value[2]
    assert apart_across or abs(target[1] - value[1]) >= charts.NARROW_FONT, (target, value)
    assert job["values"]["targets"][0]["label_high"]  # lifted, not dropped
    far = charts.narrow(_near_target(90.0, lang))["values"]["targets"][0]
    assert far["label"] and not far["label_high"]  # nothing under it: by its diamond
    wide = _near_target(20.0, lang)["values"]["targets"][0]
    assert wide["label"] and not wide["label_high"]  # 600 px wide: the labels are apart


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("narrow", [True, False])
def test_a_label_on_the_last_period_fits_in_the_chart_in_the_widest_font(lang, narrow):
    """Browsers may draw the charts' font stack in DejaVu Sans (all a bare Linux has), wider
    than Vega's measure of the text: a target's label centred on the last period must still
    end inside the SVG."""
    from scoreboard.figures import frame as figures
    from scoreboard.figures import textpaths

    job = _near_target(20.0, lang)
    job = charts.narrow(job) if narrow else job
    svg = charts.draw(job)
    width = figures.svg_width(svg)
    left = float(re.search(r'transform="translate\(([\d.]+),[\d.]+\)"', svg).group(1))  # the plot's origin
    font = charts.NARROW_FONT if narrow else charts.WIDE_FONT
    text = Locale(lang).t("words.target")
    label = next(b for b in _label_boxes(svg, font) if b[3].startswith(text))
    drawn = textpaths.text_width(label[3], font, textpaths.font_directory(), bold=True)
    assert left + label[0] + drawn / 2 <= width, (label, drawn, width)
