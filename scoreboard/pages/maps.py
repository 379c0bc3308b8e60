"""The maps a page shows: one per criterion (and one of grades) under a league table of
provinces, and a small locator map on a province's page. Each comes with its text
alternative and a legend in words, so the map is never the only way to the facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from scoreboard.data import periods as periods_mod
from scoreboard.data.text import fold
from scoreboard.figures.maps.draw import STYLES, Basemap, svg_map
from scoreboard.figures.maps.geometry import Boundaries

STATUS_ORDER = ("met", "not_met", "unknown", "not_applicable")
GRADES = "ABCDE"
LEAGUE_WIDTH, LEAGUE_FONT = 480, 12
LEAGUE_LABEL_FONT = 15  # the archipelago names stay about 9 px tall on a 360-pixel screen
LOCATOR_WIDTH, LOCATOR_FONT = 260, 9


@dataclass
class MapFigure:
    path: str  # under the language's docs dir
    svg: str
    title: str
    alt: str
    width: int
    height: int
    legend: list[dict] = field(default_factory=list)  # style, symbol, words, count
    missing: list[str] = field(default_factory=list)  # agencies in the table that have no shape
    not_met: list[str] = field(default_factory=list)  # names of the units that did not meet the criterion
    figure: object = None  # its figures.Figure once registered for download and embedding
    snippet: str = ""  # the iframe snippet of its embed page


def archipelago_labels(loc) -> dict[str, str]:
    return {key: loc.t(f"maps.{key}") for key in ("hoang_sa", "truong_sa")}


def basemap(boundaries: Boundaries, date: str, small: bool) -> Basemap:
    """The drawn shapes for a date, shared by every map of the same geometry and size."""
    key = (boundaries.layout(date), small)
    if key not in boundaries.drawn:
        width = LOCATOR_WIDTH if small else LEAGUE_WIDTH
        boundaries.drawn[key] = Basemap(boundaries.features(date), width, 0 if small else 1)
    return boundaries.drawn[key]


def _figure(path, base: Basemap, styles, names, title, alt, loc, legend, missing, small=False) -> MapFigure:
    svg = svg_map(
        base,
        styles,
        archipelago_labels(loc),
        title,
        names,
        font_size=LOCATOR_FONT if small else LEAGUE_FONT,
        stroke=0.3 if small else 0.5,
        label_size=LOCATOR_FONT if small else LEAGUE_LABEL_FONT,
    )
    return MapFigure(path, svg, title, alt, base.width, base.height, legend, missing)


def _legend(styles: dict[str, str], keys: list[str], words: dict[str, str]) -> list[dict]:
    counts = {k: 0 for k in keys}
    for style in styles.values():
        counts[style] = counts.get(style, 0) + 1
    return [
        {"style": k, "symbol": STYLES[k][1] or "", "words": words[k], "count": counts[k]}
        for k in keys
        if counts[k] or k in ("met", "not_met", "unknown")
    ]


def league_date(period_id: str) -> str:
    """The map of a period shows the units on its last day, like its league table."""
    return periods_mod.parse(period_id).end.isoformat()


def league_maps(boundaries: Boundaries | None, table, dataset, loc) -> list[MapFigure]:
    """One map per criterion of a league table of provinces, and one of grades where there
    are any; none where the table's agencies have no shapes (a data set without boundaries)."""
    if boundaries is None:
        return []
    date = league_date(table.period)
    on_map = {f.agency_id for f in boundaries.features(date)}
    rows = table.rows.to_dict("records")
    if not any(r["agency_id"] in on_map for r in rows):
        return []
    base = basemap(boundaries, date, small=False)
    missing = [r["agency_id"] for r in rows if r["agency_id"] not in on_map]
    names = {a: loc.agency_name(dataset.agency(a)) for a in on_map if a in dataset.agencies.index}
    words = {s: loc.t(f"agency_status.{s}") for s in STATUS_ORDER}
    figures = []
    for c in table.criteria:
        styles = {r["agency_id"]: r[c] for r in rows if r["agency_id"] in on_map}
        criterion = loc.field(dataset.criterion(c), "name")
        legend = _legend(styles, list(STATUS_ORDER), words)
        not_met = sorted((names[a] for a, s in styles.items() if s == "not_met" and a in names), key=fold)
        listed = (
            f" {loc.t('maps.not_met_list', count=loc.number(len(not_met)))} {', '.join(not_met)}." if not_met else ""
        )
        alt = loc.t("maps.alt", subject=criterion, summary=summary(legend)) + listed
        titled = {a: f"{n}: {words[styles[a]]}" for a, n in names.items() if a in styles}
        path = f"agencies/maps/{table.period}-{table.group}-{c}.svg"
        drawn = _figure(path, base, styles, titled, criterion, alt, loc, legend, missing)
        drawn.not_met = not_met
        figures.append(drawn)
    if table.has_grades:
        styles = {
            r["agency_id"]: f"grade-{r['grade']}" if r["grade"] in tuple(GRADES) else "unknown"
            for r in rows
            if r["agency_id"] in on_map
        }
        keys = [f"grade-{g}" for g in GRADES] + ["unknown"]
        grade_words = {f"grade-{g}": g for g in GRADES} | {"unknown": loc.t("maps.no_grade")}
        legend = [x for x in _legend(styles, keys, grade_words) if x["count"]]
        subject = loc.t("words.grade")
        alt = loc.t("maps.alt", subject=subject, summary=summary(legend))
        titled = {a: f"{n}: {grade_words[styles[a]]}" for a, n in names.items() if a in styles}
        path = f"agencies/maps/{table.period}-{table.group}-grades.svg"
        figures.append(_figure(path, base, styles, titled, subject, alt, loc, legend, missing))
    return figures


def frame_legend(legend: list[dict]) -> list[dict]:
    """A map's legend as a framed download draws it: each entry's fill, symbol and words."""
    return [
        {
            "fill": STYLES[x["style"]][0],
            "symbol": x["symbol"],
            "symbol_colour": STYLES[x["style"]][2],
            "words": x["words"],
        }
        for x in legend
    ]


def summary(legend: list[dict]) -> str:
    """'Met: 50, Not met: 12, Unknown: 1' (numbers are counts of units, formatted plainly)."""
    return ", ".join(f"{x['words']}: {x['count']}" for x in legend)


def locator_date(boundaries: Boundaries, agency: dict) -> str:
    """A unit that has ended is shown on the map of its last day; a current one on today's."""
    return agency["valid_to"] or boundaries.latest


def locator(boundaries: Boundaries | None, agency: dict, loc, name: str) -> MapFigure | None:
    """A small map with the unit highlighted, or None where it has no shape."""
    if boundaries is None:
        return None
    date = locator_date(boundaries, agency)
    if agency["id"] not in {f.agency_id for f in boundaries.features(date)}:
        return None
    base = basemap(boundaries, date, small=True)
    alt = loc.t("maps.locator_alt", name=name, date=loc.date(date))
    path = f"agencies/maps/{agency['id']}.svg"
    return _figure(path, base, {agency["id"]: "highlight"}, {agency["id"]: name}, name, alt, loc, [], [], True)
