"""Chart rules that do not need a built site: periods stand at their place in time, their
names stay readable at any number of periods, labels never cover each other, a target's
label says its verdict, a flow's years and half years are separate lines. Charts are drawn
from invented rows, never from data/."""

from __future__ import annotations

import re

import pytest

from scoreboard.derive.verdicts import Verdict
from scoreboard.figures import charts, frame, textpaths
from scoreboard.pages.formatting import Locale

HALF_YEARS = [f"{year}-H{half}" for year in range(2016, 2026) for half in (1, 2)]
UNIT = {"id": "percent", "name_vi": "phần trăm", "name_en": "percent"}


def _obs(period: str, value: float, breakdown: str = "nationwide", segment: int = 0) -> dict:
    return {
        "period": period,
        "breakdown": breakdown,
        "value": value,
        "denominator": float("nan"),
        "value_kind": "reported",
        "segment": segment,
    }


def _job(periods: list[str], lang: str) -> dict:
    observations = [
        _obs(p, start + n, b) for n, p in enumerate(periods) for b, start in (("nationwide", 50.0), ("provinces", 20.0))
    ]
    return charts.indicator_spec(observations, [], UNIT, "level", [], Locale(lang))


def _axis_labels(svg: str) -> list[tuple[float, list[str]]]:
    """The x-axis labels a drawn chart shows: (x position, lines), left to right."""
    groups = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, re.S)
    x_axis = next(g for g in groups if 'text-anchor="middle"' in g)  # the y axis' labels end at its ticks
    labels = []
    for attrs, body in re.findall(r"<text([^>]*?)(?:/>|>(.*?)</text>)", x_axis, re.S):
        x = float(re.search(r"translate\(([-\d.]+),", attrs).group(1))
        lines = [line for line in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body) or [body] if line.strip()]
        if lines:
            labels.append((x, lines))
    return sorted(labels)


def _width(lines: list[str], size: float = 12) -> float:
    return max(textpaths.text_width(line, size, textpaths.font_directory()) for line in lines)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_twenty_periods_leave_evenly_spaced_names_that_do_not_overlap(lang):
    job = _job(HALF_YEARS, lang)
    shown = _axis_labels(charts.draw(job))
    assert 3 <= len(shown) < len(HALF_YEARS)
    assert "\n".join(shown[-1][1]) == Locale(lang).period(HALF_YEARS[-1], "period_short")  # the latest is named
    for (x1, lines1), (x2, lines2) in zip(shown, shown[1:]):
        assert x2 - x1 >= (_width(lines1) + _width(lines2)) / 2, (lines1, lines2, x2 - x1)
    gaps = [x2 - x1 for (x1, _), (x2, _) in zip(shown, shown[1:])]
    assert max(gaps) - min(gaps) <= 3, gaps  # evenly spaced (halves differ by a few days)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_few_periods_are_all_named_and_every_line_ends_with_its_value(lang):
    job = _job(HALF_YEARS[-5:], lang)
    assert len(_axis_labels(charts.draw(job))) == 5
    rows = job["values"]["observations"]
    for line in {r["line"] for r in rows}:
        last = max((r for r in rows if r["line"] == line), key=lambda r: r["t"])
        assert last["label"] == last["full_label"] != ""


def test_periods_stand_at_their_place_in_time():
    """A half year takes half the room of a year: H1 2022 -> 2022 -> 2023 are 1:2 apart."""
    job = charts.indicator_spec(
        [_obs("2022-H1", 1), _obs("2022", 2), _obs("2023", 3)], [], UNIT, "level", [], Locale("en")
    )
    t = [r["t"] for r in job["values"]["observations"]]
    assert (t[1] - t[0]) * 2 == pytest.approx(t[2] - t[1], abs=0.01)
    assert sorted(job["periods"]) == sorted(["2022-H1", "2022", "2023"])


def test_a_flow_draws_its_years_and_half_years_as_separate_named_lines():
    rows = [_obs("2022-H1", 100), _obs("2022", 250), _obs("2023", 300), _obs("2024-H1", 160)]
    job = charts.indicator_spec(rows, [], UNIT, "flow", [], Locale("en"))
    lines = {r["line"] for r in job["values"]["observations"]}
    assert len(lines) == 2
    names = {r["series_label"] for r in job["values"]["observations"] if r["series_label"]}
    assert names == {"Full year", "Half year"}
    level = charts.indicator_spec(rows, [], UNIT, "level", [], Locale("en"))
    assert len({r["line"] for r in level["values"]["observations"]}) == 1


def test_a_break_in_the_series_starts_a_new_line_with_a_marker():
    rows = [_obs("2022", 40), _obs("2023", 42), _obs("2024", 20, segment=1)]
    breaks = [{"period": "2024", "breakdown": "nationwide"}]
    job = charts.indicator_spec(rows, [], UNIT, "level", breaks, Locale("vi"))
    assert len({r["line"] for r in job["values"]["observations"]}) == 2
    (marker,) = job["values"]["breaks"]
    assert 2024.0 < marker["t"] < 2025.0 and marker["label"] == "Chuỗi mới"  # between 2023 and 2024's ends


def _verdict(target: float, verdict: str = "off_track") -> Verdict:
    t = {"indicator_id": "x", "breakdown": "nationwide", "target_period": "2025", "value": target}
    return Verdict(t | {"low": float("nan"), "high": float("nan"), "comparison": "at_least"}, verdict)


def _near_target(target: float, lang: str = "en", verdict: str = "off_track") -> dict:
    """A latest value of 18.3 % a period before a target (as digital-economy-gdp-share had)."""
    rows = [_obs("2021", 9.8), _obs("2022-H1", 10.6), _obs("2024-H1", 18.3)]
    return charts.indicator_spec(rows, [_verdict(target, verdict)], UNIT, "level", [], Locale(lang))


def _label_boxes(svg: str, font: float) -> list[tuple[float, float, float, str]]:
    """(x centre, y, half width, text) of the value and target labels drawn on a chart."""
    boxes = []
    for group in re.findall(r'<g class="mark-text role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S):
        for x, y, text in re.findall(r"<text[^>]*translate\(([-\d.]+),([-\d.]+)\)[^>]*>([^<]+)</text>", group):
            width = textpaths.text_width(text, font, textpaths.font_directory(), bold=True)
            boxes.append((float(x), float(y), width / 2, text))
    return boxes


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_target_label_says_its_verdict_and_never_covers_a_value_label(lang):
    loc = Locale(lang)
    wide = _near_target(20.0, lang)
    assert wide["values"]["targets"][0]["label"].endswith(f"· {loc.t('verdict.off_track')}")
    job = charts.narrow(wide, loc)
    boxes = _label_boxes(charts.draw(job), charts.NARROW_FONT)
    target = next(b for b in boxes if b[3].startswith(loc.t("words.target")))
    value = next(b for b in boxes if b[3].startswith("18"))
    apart_across = abs(target[0] - value[0]) >= target[2] + value[2]
    assert apart_across or abs(target[1] - value[1]) >= charts.NARROW_FONT, (target, value)
    assert target[3].endswith(charts.VERDICT_MARK["off_track"])  # on a phone the verdict's icon
    far = charts.narrow(_near_target(90.0, lang), loc)["values"]["targets"][0]
    assert far["label"] and not far["label_high"]  # nothing under it: by its diamond


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("narrow", [True, False])
def test_a_label_on_the_last_period_fits_in_the_chart_in_the_widest_font(lang, narrow):
    """Browsers may draw the charts' font stack in DejaVu Sans (all a bare Linux has), wider
    than Vega's measure of the text: a target's label by the last period must end inside."""
    loc = Locale(lang)
    job = _near_target(20.0, lang, "too_little_data")
    job = charts.narrow(job, loc) if narrow else job
    svg = charts.draw(job)
    width = frame.svg_width(svg)
    left = float(re.search(r'transform="translate\(([\d.]+),[\d.]+\)"', svg).group(1))  # the plot's origin
    font = charts.NARROW_FONT if narrow else charts.WIDE_FONT
    label = next(b for b in _label_boxes(svg, font) if b[3].startswith(loc.t("words.target")))
    assert left + label[0] + label[2] <= width, (label, width)
