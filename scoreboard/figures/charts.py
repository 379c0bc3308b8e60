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
}
TARGET_COLOUR = "#a61c00"
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
# Multi-line period names ("6 tháng đầu" over "2022"): translations put a newline in them.
PERIOD_LABELS = "split(datum.label, '\\n')"
# The wide chart names every X_STRIDE-th period counted back from the latest, so that with many
# periods (20 half-years) the names shown are evenly spaced, clear of each other and always
# include the latest period; every value stays in the page's table.
X_STRIDE = 987654323  # placeholder replaced by each chart's stride (see label_stride)
WIDE_PERIOD_LABELS = (
    f"(length(domain('x')) - 1 - indexof(domain('x'), datum.value)) % {X_STRIDE} == 0 ? {PERIOD_LABELS} : ''"
)
LABEL_CHAR = 7.2  # px: an average letter at the axis' 12 px, a little generous
VALUE_DY, TARGET_DY = -12, -15  # px: a value's label above its point, a target's above its diamond
LINE_GAP = 4  # px between two labels set one above the other
LETTER = 0.62  # of the font size: an average letter of the chart's labels, bold, a little generous
LABEL_GAP = 8  # px between two period names


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
    """Values over the periods, one line per breakdown, targets as diamonds at their deadlines."""
    import altair as alt

    text_size = NARROW_FONT if narrow else WIDE_FONT

    observations = alt.Data(name="observations")
    targets = alt.Data(name="targets")
    x = alt.X(
        "x:N",
        sort=alt.EncodingSortField(field="order", op="min"),
        title=None,
        axis=alt.Axis(
            labelAngle=0,
            labelLimit=100,
            labelExpr=PERIOD_LABELS if narrow else WIDE_PERIOD_LABELS,
            labelOverlap="greedy",  # on the wide chart only a safety net under label_stride
            labelSeparation=16 if narrow else LABEL_GAP,
        ),
    )
    scale = alt.Scale(domain=[0, 100]) if is_share else alt.Scale(zero=True, nice=True)
    y = alt.Y("value:Q", title=Y_TITLE, scale=scale, axis=alt.Axis(format=",.4~f", tickCount=4 if narrow else 5))
    colour = alt.Color("colour:N", scale=None, legend=None)
    dash = alt.StrokeDash("dash:N", scale=None, legend=None)
    line = alt.Chart(observations)
    target = alt.Chart(targets)
    chart = alt.layer(
        line.mark_line(strokeWidth=2.5).encode(x=x, y=y, color=colour, strokeDash=dash, detail="series:N"),
        line.mark_point(filled=True, size=70, opacity=1).encode(
            x=x, y=y, color=colour, shape=alt.Shape("shape:N", scale=None)
        ),
        line.mark_text(dy=-12, fontSize=text_size, color=TEXT_COLOUR).encode(x=x, y=y, text="label:N"),
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
    """A template compiled to Vega, as JSON text (copied for each chart). Compiling starts
    Altair and the Vega-Lite compiler: about 1.5 s a process, which callers may keep."""
    import vl_convert

    if kind == "indicator":
        spec = indicator_template(variant == "share", narrow)
    else:
        spec = grade_template(titles, narrow)
    spec["config"] = config(narrow)
    return json.dumps(vl_convert.vegalite_to_vega(spec))


def spec(job: dict, compiled: str | None = None) -> dict:
    """The full Vega spec of a chart job (see indicator_spec and grade_spec), from its
    compiled template (compiled here when not given)."""
    return _inject(
        compiled if compiled is not None else compile_template(*template(job)),
        job["values"],
        job.get("y_title", ""),
        job.get("x_max"),
        job.get("x_stride", 1),
    )


def draw(job: dict, compiled: str | None = None) -> str:
    """A chart job drawn to SVG (vl-convert's Vega engine, offline: no URL may be loaded)."""
    import vl_convert

    return vl_convert.vega_to_svg(spec(job, compiled), format_locale=FORMAT_LOCALES[job["lang"]], allowed_base_urls=[])


def _inject(text: str, values: dict[str, list], y_title: str = "", x_max=None, x_stride: int = 1) -> dict:
    if y_title:
        text = text.replace(json.dumps(Y_TITLE), json.dumps(y_title))
    if x_max is not None:
        text = text.replace(str(X_MAX), json.dumps(x_max))
    text = text.replace(str(X_STRIDE), str(int(x_stride)))
    spec = json.loads(text)
    for data in spec["data"]:
        if data["name"] in values:
            data["values"] = values[data["name"]]
    return spec


# --- chart specs for the site --------------------------------------------------------------------


def _num(x) -> float:
    return float(x)


def label_stride(labels: list[str], width: int = WIDTH) -> int:
    """How many periods apart the wide chart names periods: the fewest that keeps the longest
    name clear of the next one (a point scale gives each of n periods width / n)."""
    if not labels:
        return 1
    longest = max(len(line) for label in labels for line in label.split("\n"))
    return max(1, math.ceil((longest * LABEL_CHAR + LABEL_GAP) * len(labels) / width))


def indicator_spec(observations: list[dict], targets: list[dict], unit: dict, loc) -> dict:
    """A chart job for one indicator (its data and labels, cheap to build); observations
    and targets are shown rows. spec(job) gives the Vega spec to draw."""
    periods = periods_mod.sorted_ids([o["period"] for o in observations] + [t["target_period"] for t in targets])
    order = {p: i for i, p in enumerate(periods)}
    series = [b for b in SERIES_STYLE if any(o["breakdown"] == b for o in observations)]
    last = {b: max((o for o in observations if o["breakdown"] == b), key=lambda o: order[o["period"]]) for b in series}
    stride = label_stride([loc.period(p, "period_short") for p in periods])
    rows = []
    for o in sorted(observations, key=lambda o: (order[o["period"]], o["breakdown"])):
        colour, dash = SERIES_STYLE[o["breakdown"]]
        # values are written where the axis names the period (and at each line's end)
        named = (len(periods) - 1 - order[o["period"]]) % stride == 0 or o is last[o["breakdown"]]
        rows.append(
            {
                "x": loc.period(o["period"], "period_short"),
                "order": order[o["period"]],
                "value": _num(o["value"]),
                "series": o["breakdown"],
                "colour": colour,
                "dash": json.dumps(dash),
                "shape": {"nationwide": "circle", "ministries": "square", "provinces": "triangle-up"}[o["breakdown"]],
                "label": ""
                if not named
                else loc.value(o, unit).replace(f"/{loc.number(o.get('denominator'))}", "")
                if not is_missing(o.get("denominator"))
                else loc.value(o, unit),
                "series_label": loc.t(f"breakdown.{o['breakdown']}")
                if len(series) > 1 and o is last[o["breakdown"]]
                else "",
            }
        )
    target_rows = [
        {
            "x": loc.period(t["target_period"], "period_short"),
            "order": order[t["target_period"]],
            "value": _num(t["low"] if is_missing(t["value"]) else t["value"]),
            "high": _num(t["high"] if is_missing(t["value"]) else t["value"]),
            "label": f"{loc.t('words.target')}: {loc.target(t, unit)}",
        }
        for t in targets
    ]
    title = unit[f"name_{loc.lang}"]
    variant = "share" if unit["id"] == "percent" else "amount"
    target_rows = lift_target_labels(rows, target_rows, len(periods), variant, WIDTH, HEIGHT, WIDE_FONT)
    return {
        "kind": "indicator",
        "variant": variant,
        "lang": loc.lang,
        "values": {"observations": rows, "targets": target_rows},
        "y_title": title[:1].upper() + title[1:],
        "x_stride": stride,
    }


def lift_target_labels(
    observations: list[dict], targets: list[dict], periods: int, variant: str, width: int, height: int, font: int
) -> list[dict]:
    """Target rows whose label would cover a value's label, as drawn at this size, moved a
    line higher ("label_high"): on a phone a latest value of 18.3 % beside a target of 20 %
    wrote the two labels over each other. Positions follow the chart's scales: a point scale
    of `periods` steps across, 0-100 (shares) or 0 to a rounded maximum (amounts) up."""
    top = 100.0 if variant == "share" else _nice_max([r["value"] for r in observations] + [r["high"] for r in targets])
    step = width / max(periods, 1)

    def box(row: dict, text: str, value: float, dy: int) -> tuple[float, float, float]:
        """(x centre, y centre, half width) of a label, in px."""
        return (row["order"] + 0.5) * step, height * (1 - value / top) + dy, len(text) * font * LETTER / 2

    written = [box(r, r["label"], r["value"], VALUE_DY) for r in observations if r["label"]]
    lifted = []
    for row in targets:
        text = row.get("label") or row.get("label_high", "")
        x, y, half = box(row, text, row["high"], TARGET_DY)
        covers = any(abs(x - vx) < half + v_half and abs(y - vy) < font + LINE_GAP for vx, vy, v_half in written)
        lifted.append({**row, "label": "" if covers else text, "label_high": text if covers else ""})
    return lifted


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


def narrow(job: dict) -> dict:
    """The phone variant of a chart job: the same data, drawn small with large text. Values are
    written at each line's last point only (all of them would overlap at this width)."""
    values = dict(job["values"])
    if job["kind"] == "indicator":
        last = {}
        for row in values["observations"]:
            if row["order"] >= last.get(row["series"], {}).get("order", -1):
                last[row["series"]] = row
        keep = {id(r) for r in last.values()}
        values["observations"] = [r if id(r) in keep else {**r, "label": ""} for r in values["observations"]]
        periods = len({r["order"] for r in values["observations"] + values["targets"]})
        values["targets"] = lift_target_labels(
            values["observations"], values["targets"], periods, job["variant"], NARROW_WIDTH, NARROW_HEIGHT, NARROW_FONT
        )
    if job["kind"] == "grade":
        return {**job, "values": values, "narrow": True, "x_max": job["x_max"] * 1.25}
    return {**job, "values": values, "narrow": True}


def is_whole_svg(text: str) -> bool:
    """An SVG document from start to end tag (a truncated or foreign file is not)."""
    return text.lstrip().startswith("<svg") and text.rstrip().endswith("</svg>")
