"""Altair charts rendered to static SVG: they show without JavaScript and fetch nothing.

Altair describes each kind of chart once per language ("templates" with named,
empty data sources); the template is compiled to Vega once, and each chart only
injects its rows. This keeps a full build fast: Altair's object model is costly to
build per chart, while drawing a compiled Vega spec takes a few hundredths of a
second. Numbers printed on the chart are formatted by the page's Locale (the `loc`
the pages stage passes in), axis ticks by a d3 locale that matches it. Drawing is a
pure function of a chart job: the site stage keeps drawn SVGs in the store.
"""

from __future__ import annotations

import json
import math
from functools import cache

from scoreboard.data import periods as periods_mod
from scoreboard.data.model import is_missing
from scoreboard.figures import textpaths

# altair and vl_convert are imported where used: a build whose charts are all in the store
# never loads them.

FORMAT_LOCALES = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0₫"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
# Okabe-Ito-like colours that stay apart with colour-blindness; lines also differ by dash.
# Grades: Okabe-Ito blue and orange differ in lightness too, so they stay apart with
# protanopia; each bar also carries its group's name in words.
GRADE_COLOURS = {"ministries": "#0072b2", "provinces": "#e69f00"}
SERIES_STYLE = {
    "nationwide": ("#0b5394", [1, 0]),
    "ministries": ("#b45f06", [7, 3]),
    "provinces": ("#38761d", [2, 2]),
    "ministries_and_provinces": ("#674ea7", [6, 2, 2, 2]),
}
SERIES_SHAPE = {"nationwide": "circle", "ministries": "square", "provinces": "triangle-up"}
SERIES_SHAPE["ministries_and_provinces"] = "diamond"
TARGET_COLOUR = "#a61c00"
BREAK_COLOUR = "#555555"
TEXT_COLOUR = "#222222"
WIDTH, HEIGHT = 600, 280
# The narrow variant, served to phones with <picture>: drawn at about the width it is shown
# (360 px screen), so that its text keeps its size (at least 12 CSS px) instead of shrinking
# with a wide chart to 6 px.
NARROW_WIDTH, NARROW_HEIGHT = 230, 240
NARROW_FONT = 13
WIDE_FONT = 11  # px: the values and targets written on the wide chart
NARROW_MEDIA = "(max-width: 599.98px)"
RIGHT_ROOM = 16  # px (see CONFIG's padding)
CONFIG = {
    "aria": False,  # Vega's automatic descriptions are English only; each <img> has a translated alt
    "font": FONT,
    # Vega sizes the SVG by its own measure of the text, narrower than DejaVu Sans, which a
    # browser may use for the font stack: the room on the right keeps a label centred on the
    # last period whole ("Mục tiêu: 20 %" lost its "%" in Chromium at 360 px).
    "padding": {"left": 5, "top": 5, "right": 5 + RIGHT_ROOM, "bottom": 5},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelColor": "#333333",
        "titleColor": "#333333",
        "gridColor": "#e6e6e6",
    },
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    "view": {"stroke": None},
}
Y_TITLE = "__Y_TITLE__"  # placeholder replaced by the unit's name in each chart
X_MAX = 987654321  # placeholder replaced by each grade chart's room for its labels
# The time axis: periods stand at their end dates (in years, 2022.5 for 30 June 2022), so a
# half year takes half the room of a year. Each chart injects its domain, the ticks it names
# and the names themselves (multi-line: translations put a newline in them).
T_FROM, T_TO, T_TICKS = 987654331, 987654332, 987654333
T_LABELS = "__T_LABELS__"
VALUE_DY, TARGET_DY = -12, -15  # px: a value's label above its point, a target's above its diamond
LINE_GAP = 4  # px between two labels set one above the other
LABEL_GAP = 8  # px between two period names
AXIS_FONT = 12


def config(narrow: bool) -> dict:
    """Chart styles; the narrow variant has larger text, as it is shown at its own size."""
    if not narrow:
        return CONFIG
    size = {"labelFontSize": NARROW_FONT, "titleFontSize": NARROW_FONT}
    return {**CONFIG, "axis": {**CONFIG["axis"], **size}, "legend": {**CONFIG["legend"], **size}}


def narrow_path(path: str) -> str:
    """Where the narrow variant of the chart at `path` is written: a folder of its own, so
    that it is never taken for a chart with downloads and an embed page."""
    folder, _, name = path.rpartition("/")
    return f"{folder}/phone/{name}" if folder else f"phone/{name}"


# --- templates (Altair) -----------------------------------------------------------------------


def indicator_template(is_share: bool, narrow: bool = False) -> dict:
    """Values over time, one line per breakdown and series (a break in a series starts a new
    line, marked by a dashed rule; a flow's years and half years are lines apart), targets as
    diamonds at their deadlines, labelled with their verdict."""
    import altair as alt

    text_size = NARROW_FONT if narrow else WIDE_FONT
    observations, targets, breaks = alt.Data(name="observations"), alt.Data(name="targets"), alt.Data(name="breaks")
    x = alt.X(
        "t:Q",
        title=None,
        scale=alt.Scale(domain=[T_FROM, T_TO], nice=False, zero=False),
        axis=alt.Axis(
            values=[T_TICKS], labelExpr=T_LABELS, labelAngle=0, labelLimit=110, grid=False, labelOverlap=False
        ),
    )
    scale = alt.Scale(domain=[0, 100]) if is_share else alt.Scale(zero=True, nice=True)
    y = alt.Y("value:Q", title=Y_TITLE, scale=scale, axis=alt.Axis(format=",.4~f", tickCount=4 if narrow else 5))
    colour = alt.Color("colour:N", scale=None, legend=None)
    dash = alt.StrokeDash("dash:N", scale=None, legend=None)
    line, target, rule = alt.Chart(observations), alt.Chart(targets), alt.Chart(breaks)
    chart = alt.layer(
        rule.mark_rule(color=BREAK_COLOUR, strokeWidth=1.5, strokeDash=[4, 3]).encode(x=x),
        rule.mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=text_size, color=BREAK_COLOUR).encode(
            x=x, y=alt.value(0), text="label:N"
        ),
        line.mark_line(strokeWidth=2.5).encode(x=x, y=y, color=colour, strokeDash=dash, detail="line:N"),
        line.mark_point(filled=True, size=70, opacity=1).encode(
            x=x, y=y, color=colour, shape=alt.Shape("shape:N", scale=None)
        ),
        line.mark_text(dy=VALUE_DY, fontSize=text_size, color=TEXT_COLOUR).encode(x=x, y=y, text="label:N"),
        line.mark_text(dy=16, fontSize=text_size, fontWeight="bold").encode(
            x=x, y=y, text="series_label:N", color=colour
        ),
        target.mark_rule(color=TARGET_COLOUR, strokeWidth=3).encode(x=x, y="value:Q", y2="high:Q"),
        target.mark_point(
            shape="diamond", size=170, filled=False, strokeWidth=2.5, color=TARGET_COLOUR, opacity=1
        ).encode(x=x, y="high:Q"),
        target.mark_text(dy=TARGET_DY, fontSize=text_size, fontWeight="bold", color=TARGET_COLOUR).encode(
            x=x, y="high:Q", text="label:N"
        ),
        # a line higher, where it would cover a value's label (see lift_target_labels)
        target.mark_text(
            dy=TARGET_DY - text_size - LINE_GAP, fontSize=text_size, fontWeight="bold", color=TARGET_COLOUR
        ).encode(x=x, y="high:Q", text="label_high:N"),
    ).properties(width=NARROW_WIDTH if narrow else WIDTH, height=NARROW_HEIGHT if narrow else HEIGHT)
    return chart.to_dict(validate=False)


def grade_template(titles: tuple[str, str], narrow: bool = False) -> dict:
    """Number of agencies at each grade A-E: one bar per agency group, each labelled with its
    count and group in words (the colours only repeat what the words say). titles: the axes'
    (grade, count) in the page's language."""
    import altair as alt

    size = NARROW_FONT if narrow else 12
    grades = alt.Data(name="grades")
    y = alt.Y(
        "grade:N",
        title=titles[0],
        sort=list("ABCDE"),
        axis=alt.Axis(labelAngle=0, labelFontWeight="bold"),
        scale=alt.Scale(domain=list("ABCDE"), paddingInner=0.25),
    )
    x = alt.X(
        "count:Q",
        title=titles[1],
        scale=alt.Scale(domain=[0, X_MAX]),
        axis=alt.Axis(format="d", tickMinStep=1, tickCount=4 if narrow else 8),
    )
    colour = alt.Color("colour:N", scale=None, legend=None)
    offset = alt.YOffset("group:N", sort=alt.EncodingSortField(field="order", op="min"))
    base = alt.Chart(grades)
    chart = alt.layer(
        base.mark_bar(stroke="#333333", strokeWidth=0.5).encode(x=x, y=y, color=colour, yOffset=offset),
        base.mark_text(align="left", dx=4, fontSize=size, color=TEXT_COLOUR).encode(
            x=x, y=y, yOffset=offset, text="label:N"
        ),
    ).properties(width=NARROW_WIDTH if narrow else WIDTH, height=NARROW_HEIGHT + 60 if narrow else HEIGHT)
    return chart.to_dict(validate=False)


def template(job: dict) -> tuple:
    """Which compiled template draws a chart job: (kind, variant, narrow, axis titles)."""
    return (job["kind"], job["variant"], job.get("narrow", False), tuple(job.get("titles", ())))


@cache
def compile_template(kind: str, variant: str, narrow: bool = False, titles: tuple = ()) -> str:
    """A template compiled to Vega, as JSON text (copied for each chart), once a process: its
    charts differ by their data only."""
    import vl_convert

    if kind == "indicator":
        spec = indicator_template(variant == "share", narrow)
    else:
        spec = grade_template(titles, narrow)
    spec["config"] = config(narrow)
    return json.dumps(vl_convert.vegalite_to_vega(spec))


def spec(job: dict) -> dict:
    """The full Vega spec of a chart job (see indicator_spec and grade_spec), from its
    compiled template."""
    return _inject(
        compile_template(*template(job)),
        job["values"],
        job.get("y_title", ""),
        job.get("x_max"),
        job.get("axis"),
    )


def draw(job: dict) -> str:
    """A chart job drawn to SVG (vl-convert's Vega engine, offline: no URL may be loaded)."""
    import vl_convert

    return vl_convert.vega_to_svg(spec(job), format_locale=FORMAT_LOCALES[job["lang"]], allowed_base_urls=[])


def _inject(text: str, values: dict[str, list], y_title: str = "", x_max=None, axis: dict | None = None) -> dict:
    if y_title:
        text = text.replace(json.dumps(Y_TITLE), json.dumps(y_title))
    if x_max is not None:
        text = text.replace(str(X_MAX), json.dumps(x_max))
    if axis is not None:
        text = text.replace(str(T_FROM), json.dumps(axis["from"])).replace(str(T_TO), json.dumps(axis["to"]))
        text = text.replace(f"[{T_TICKS}]", json.dumps([t for t, _ in axis["ticks"]]))
        text = text.replace(T_LABELS, json.dumps(_label_expression(axis["ticks"]))[1:-1])
    spec = json.loads(text)
    for data in spec["data"]:
        if data["name"] in values:
            data["values"] = values[data["name"]]
    return spec


def _label_expression(ticks: list[tuple[float, str]]) -> str:
    """A Vega expression naming each tick: the name of the nearest tick, split into lines."""
    if not ticks:
        return "''"
    expression = f"split({json.dumps(ticks[-1][1])}, '\\n')"
    for (t, label), (after, _) in zip(reversed(ticks[:-1]), reversed(ticks[1:])):
        expression = f"datum.value < {(t + after) / 2!r} ? split({json.dumps(label)}, '\\n') : {expression}"
    return expression


# --- chart specs for the site --------------------------------------------------------------------


def _num(x) -> float:
    return float(x)


def time_of(period_id: str) -> float:
    """Where a period stands on the time axis: its end date, in years (30 June 2022 is about
    2022.5, 31 December 2022 is 2023.0)."""
    end = periods_mod.parse(period_id).end
    days = 366 if end.year % 4 == 0 and (end.year % 100 != 0 or end.year % 400 == 0) else 365
    return round(end.year + end.timetuple().tm_yday / days, 4)


def axis(periods: list[str], loc, width: int, font: int) -> dict:
    """The time axis of a chart showing these periods: its domain (with room for the first
    and last labels) and the ticks it names, as many as fit, always the latest, counted back
    from it so that the names shown stay apart."""
    times = [time_of(p) for p in periods]
    first, last = min(times), max(times)
    span = max(last - first, 0.5)
    pad = max(0.3, span * 0.08)
    lo, hi = first - pad, last + pad

    def px(t: float) -> float:
        return (t - lo) / (hi - lo) * width

    named: list[tuple[float, str]] = []
    for period, t in sorted(zip(periods, times), key=lambda pt: -pt[1]):
        label = loc.period(period, "period_short")
        half = max(text_width(line, font) for line in label.split("\n")) / 2
        if all(abs(px(t) - px(other)) >= half + other_half + LABEL_GAP for other, _, other_half in named):
            named.append((t, label, half))
    return {"from": round(lo, 4), "to": round(hi, 4), "ticks": sorted((t, label) for t, label, _ in named)}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """How wide a chart's label is, measured in DejaVu Sans: wider than most fonts a browser
    draws the SVG with, so labels kept apart here stay apart there."""
    return textpaths.text_width(text, size, textpaths.font_directory(), bold)


LENGTH_WORD = {12: "year", 6: "half", 3: "quarter"}


def indicator_spec(observations: list[dict], verdicts: list, unit: dict, measure: str, breaks: list[dict], loc) -> dict:
    """A chart job for one indicator (its data and labels, cheap to build): observations are its
    shown rows (with `segment`), verdicts its targets' (derive.verdicts.Verdict), breaks its
    rows of series_breaks.csv. spec(job) gives the Vega spec to draw."""
    targets = [v.target for v in verdicts]
    periods = periods_mod.sorted_ids([o["period"] for o in observations] + [t["target_period"] for t in targets])
    breakdowns = [b for b in SERIES_STYLE if any(o["breakdown"] == b for o in observations)]
    lengths = sorted({periods_mod.parse(o["period"]).months for o in observations}) if measure == "flow" else [0]

    def line_of(o: dict) -> tuple:
        return (o["breakdown"], o["segment"], periods_mod.parse(o["period"]).months if measure == "flow" else 0)

    last = {}
    for o in observations:
        if line_of(o) not in last or time_of(o["period"]) >= time_of(last[line_of(o)]["period"]):
            last[line_of(o)] = o
    ends = {id(o) for o in last.values()}
    rows = []
    for o in sorted(observations, key=lambda o: (time_of(o["period"]), o["breakdown"])):
        colour, dash = SERIES_STYLE[o["breakdown"]]
        name = []
        if len(breakdowns) > 1:
            name.append(loc.t(f"breakdown.{o['breakdown']}"))
        if len(lengths) > 1:
            name.append(loc.t(f"length.{LENGTH_WORD[line_of(o)[2]]}"))
        value = loc.value(o, unit)
        if not is_missing(o.get("denominator")):
            value = value.replace(f"/{loc.number(o.get('denominator'))}", "")
        rows.append(
            {
                "t": time_of(o["period"]),
                "value": _num(o["value"]),
                "line": "|".join(map(str, line_of(o))),
                "colour": colour,
                "dash": dash,
                "shape": SERIES_SHAPE[o["breakdown"]],
                "full_label": value,  # "label" is this where it fits (see _fit_labels)
                "label": value,
                "series_label": " · ".join(name) if id(o) in ends and name else "",
            }
        )
    target_rows = [
        {
            "t": time_of(v.target_period),
            "value": _num(v.target["low"] if is_missing(v.target["value"]) else v.target["value"]),
            "high": _num(v.target["high"] if is_missing(v.target["value"]) else v.target["value"]),
            "label": f"{loc.t('words.target')}: {loc.target(v.target, unit)} · {loc.t('verdict.' + v.verdict)}",
            "verdict": v.verdict,
        }
        for v in verdicts
    ]
    break_rows = [
        {
            "t": (
                time_of(b["period"])
                + max(
                    [time_of(p) for p in periods if time_of(p) < time_of(b["period"])],
                    default=time_of(b["period"]) - 0.5,
                )
            )
            / 2,
            "label": loc.t("words.new_series"),
        }
        for b in breaks
        if b["period"] in periods
    ]
    title = unit[f"name_{loc.lang}"]
    variant = "share" if unit["id"] == "percent" else "amount"
    job = {
        "kind": "indicator",
        "variant": variant,
        "lang": loc.lang,
        "values": {"observations": rows, "targets": target_rows, "breaks": break_rows},
        "y_title": title[:1].upper() + title[1:],
        "axis": axis(periods, loc, WIDTH, AXIS_FONT),
        "periods": periods,
    }
    return _fit_labels(job, WIDTH, HEIGHT, WIDE_FONT, loc)


def _fit_labels(job: dict, width: int, height: int, font: int, loc) -> dict:
    """Value labels only where they stay apart (the latest of each line always), target
    labels a line higher where they would cover a value's label."""
    values = job["values"]
    lo, hi = job["axis"]["from"], job["axis"]["to"]
    top = (
        100.0
        if job["variant"] == "share"
        else _nice_max([r["value"] for r in values["observations"]] + [r["high"] for r in values["targets"]])
    )

    def box(t: float, text: str, value: float, dy: int) -> tuple[float, float, float]:
        """(x centre, y centre, half width) of a label, in px."""
        return (t - lo) / (hi - lo) * width, height * (1 - value / top) + dy, text_width(text, font, bold=True) / 2

    ends = {}
    for r in values["observations"]:
        if r["line"] not in ends or r["t"] >= ends[r["line"]]["t"]:
            ends[r["line"]] = r
    kept: list[tuple[float, float, float]] = []
    order = sorted(values["observations"], key=lambda r: (r is not ends[r["line"]], -r["t"]))
    keep = set()
    for r in order:
        x, y, half = box(r["t"], r["full_label"], r["value"], VALUE_DY)
        if r is ends[r["line"]] or all(
            abs(x - kx) >= half + k_half + 4 or abs(y - ky) >= font + LINE_GAP for kx, ky, k_half in kept
        ):
            kept.append((x, y, half))
            keep.add(id(r))
    labelled = [{**r, "label": r["full_label"] if id(r) in keep else ""} for r in values["observations"]]
    lifted = []
    for row in values["targets"]:
        text = row.get("label") or row.get("label_high", "")
        x, y, half = box(row["t"], text, row["high"], TARGET_DY)
        covers = any(abs(x - vx) < half + v_half and abs(y - vy) < font + LINE_GAP for vx, vy, v_half in kept)
        lifted.append({**row, "label": "" if covers else text, "label_high": text if covers else ""})
    return {**job, "values": {**values, "observations": labelled, "targets": lifted}}


def _nice_max(values: list[float]) -> float:
    """The top of a zero-based axis, rounded up as Vega rounds it (to 1, 2, 5 or 10 times a
    power of ten)."""
    most = max([v for v in values if v == v] + [0.0])
    if most <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(most))
    return next(k * power for k in (1, 2, 5, 10) if k * power >= most)


def grade_spec(distribution: list[dict], loc) -> dict:
    """A chart job for the grades of one period; each bar's label names its group."""
    groups = ("ministries", "provinces")
    rows = [
        {
            "grade": r["grade"],
            "count": int(r["count"]),
            "group": loc.t(f"breakdown.{r['agency_group']}"),
            "order": groups.index(r["agency_group"]),
            "colour": GRADE_COLOURS[r["agency_group"]],
            "label": f"{loc.number(int(r['count']))} · {loc.t('breakdown.' + r['agency_group'])}",
        }
        for r in distribution
    ]
    most = max([r["count"] for r in rows], default=1) or 1
    # room on the right of the longest bar for its label (about half its length)
    return {
        "kind": "grade",
        "variant": loc.lang,
        "lang": loc.lang,
        "titles": [loc.t("words.grade"), loc.t("words.count")],
        "values": {"grades": rows},
        "x_max": most * 1.6,
    }


def narrow(job: dict, loc) -> dict:
    """The phone variant of a chart job: the same data, drawn small with large text, its
    labels fitted again at that size."""
    if job["kind"] == "grade":
        return {**job, "narrow": True, "x_max": job["x_max"] * 1.25}
    small = {**job, "narrow": True, "axis": axis(job["periods"], loc, NARROW_WIDTH, NARROW_FONT)}
    targets = [
        {**r, "label": r.get("label") or r.get("label_high", ""), "label_high": ""} for r in job["values"]["targets"]
    ]
    for r in targets:  # on a phone, the verdict's icon stands for its name (the page says it in words)
        r["label"] = r["label"].split(" · ")[0] + " " + VERDICT_MARK[r["verdict"]]
    values = {**job["values"], "targets": targets}
    return _fit_labels({**small, "values": values}, NARROW_WIDTH, NARROW_HEIGHT, NARROW_FONT, loc)


VERDICT_MARK = {
    "met": "✔",
    "missed": "✖",
    "no_figure": "?",
    "met_early": "✔",
    "on_track": "↗",
    "off_track": "↘",
    "too_little_data": "…",
}


def is_whole_svg(text: str) -> bool:
    """An SVG document from start to end tag (a truncated or foreign file is not)."""
    return text.lstrip().startswith("<svg") and text.rstrip().endswith("</svg>")
