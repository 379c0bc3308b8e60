"""Render the site's Markdown pages, charts and downloads into site_src/build/<lang>/.

Pages come from Jinja2 templates in scoreboard/templates. Everything taken from the
data is escaped: HTML-escaped by default, and Markdown-escaped where it lands in
Markdown text, so a CSV cell can never inject markup or a script.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scoreboard.data import layout
from scoreboard.data import periods as periods_mod
from scoreboard.data.model import GROUP_BREAKDOWN, Dataset, is_missing
from scoreboard.data.text import fold
from scoreboard.derive import Derived, agencies, series, verdicts
from scoreboard.figures import charts
from scoreboard.figures import frame as figures
from scoreboard.figures.maps import geometry as map_geometry
from scoreboard.pages import downloads, jsonld, releases, share, urls
from scoreboard.pages import maps as map_pages
from scoreboard.pages.formatting import Locale
from scoreboard.pages.urls import GROUP_SLUG, agency_page, indicator_page, league_page, period_page, relative

TEMPLATES = Path(__file__).parent / "templates"
CHART_SIZE = (680, 360)  # an indicator or grade chart as pages show it (the <img> size)
PILLARS = ("infrastructure", "government", "economy", "society", "data", "security", "governance")
AGENCY_OPEN_PERIODS = 2  # an agency page shows its latest periods; older ones are folded
# The characters Python-Markdown honours a backslash before (Markdown.ESCAPED_CHARS with the
# extensions of mkdocs.yml, attr_list and toc): escaping any other one would show the backslash
# ("\=" in a heading). tests/test_render.py checks the list against Python-Markdown's.
MD_ESCAPED = "\\`*_{}[]()>#+-.!"
_MD_SPECIAL = re.compile("([" + re.escape(MD_ESCAPED) + "])")
_LINE_BREAKS = re.compile(r"[\r\n]+")


def md(text) -> Markup:
    """Text from the data, safe inside Markdown and on one line: <, > and & as entities, line
    breaks as spaces (a line break would end a heading, or start a list or a heading), then
    every character that Python-Markdown reads as syntax backslash-escaped."""
    text = "" if text is None else str(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _LINE_BREAKS.sub(" ", text).strip()  # leading spaces would make an indented code block
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def front_title(text) -> Markup:
    """A page title for YAML front matter. The theme prints titles into <title> unescaped,
    so <, > and & are turned into entities here (and JSON quoting keeps YAML happy)."""
    return Markup(json.dumps(html.escape(str(text), quote=False), ensure_ascii=False))


def front_json(text) -> Markup:
    """Text for YAML front matter as a JSON string (which YAML reads back as the same text)."""
    return Markup(json.dumps(str(text), ensure_ascii=False))


def sentence(text) -> str:
    """First letter in capitals, the rest untouched (Jinja's capitalize lowercases the rest)."""
    text = str(text)
    return text[:1].upper() + text[1:]


def quote_groups(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """Rows that cite the same sentence, together, so each quotation is shown once."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["quote"], []).append(row)
    return list(groups.items())


@dataclass
class Context:
    """What templates need besides the data: the language, the page, and link helpers."""

    loc: Locale
    page: str

    def link(self, target: str) -> str:
        return relative(self.page, target)


def remembered(function):
    """`function` answering each distinct (positional) call once: a template makes one per
    page, for a macro or lookup it calls with the same few arguments on every row."""
    answers = {}

    def call(*args):
        try:
            return answers[args]
        except KeyError:
            answers[args] = answer = function(*args)
            return answer

    return call


@cache
def environment() -> Environment:
    """The Jinja environment with every template compiled (done once, before forking)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("j2",), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown uses {#anchor} for heading ids, so Jinja comments are {## ... ##}.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["md"] = md
    env.filters["fold"] = fold
    env.filters["sentence"] = sentence
    env.filters["front_title"] = front_title
    env.filters["front_json"] = front_json
    env.filters["quote_groups"] = quote_groups
    env.globals.update(
        indicator_page=indicator_page,
        period_page=period_page,
        agency_page=agency_page,
        league_page=league_page,
        embed_page=urls.embed_page,
        page_url=urls.page_url,
        narrow_path=charts.narrow_path,
        narrow_media=charts.NARROW_MEDIA,
        missing=is_missing,
        group_slug=GROUP_SLUG,
        remembered=remembered,
    )
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)
    return env


# --- the whole site -------------------------------------------------------------------------------


def has_chart(derived: Derived, indicator_id: str) -> bool:
    """A chart needs something over time: values in two periods, or a value and a target."""
    obs = derived.observations.get(indicator_id, [])
    targets = derived.targets.get(indicator_id, [])
    return bool(obs) and len({o["period"] for o in obs} | {t["target_period"] for t in targets}) >= 2


@dataclass
class Rendered:
    """One language's generated sources, in memory: what the site stage writes and builds."""

    lang: str
    pages: dict[str, str]  # .md page -> Markdown text
    charts: list[tuple[str, dict]]  # in-page SVG path -> chart job (figures.charts), drawn by the site stage
    maps: list[map_pages.MapFigure]  # drawn with the page
    figures: list[share.Figure]  # charts and maps offered for download and embedding
    release: dict | None  # the current data release (its zip is published with the data)
    files: dict[str, str] = field(default_factory=dict)  # other generated files: embed pages, the feed


def render_language(dataset: Dataset, derived: Derived, lang: str, root: Path = layout.ROOT) -> Rendered:
    """Every generated page of one language, its charts (as jobs), maps, figures, embed pages
    and feed. Nothing is written here: the site stage writes, draws and builds."""
    boundaries = map_geometry.Boundaries.load(root, dataset)
    writer = PageWriter(environment(), Locale(lang), dataset, derived, boundaries, root)
    writer.all()
    rendered = Rendered(lang, writer.pages, writer.charts, writer.maps, writer.figures, writer.release)
    embed = writer.env.get_template("embed.html.j2")
    drawings = {m.path: m for m in writer.maps}
    for fig in writer.figures:
        page = urls.embed_page(fig.slug)
        here = page[: -len(".html")] + ".md"
        drawing = drawings.get(fig.path)
        width, height = (drawing.width, drawing.height) if drawing else CHART_SIZE
        rendered.files[page] = embed.render(
            loc=writer.loc,
            fig=fig,
            image=urls.relative(here, fig.path),
            narrow=urls.relative(here, fig.narrow_path) if fig.narrow_path else "",
            width=width,
            height=height,
            legend=drawing.legend if drawing else [],
            not_met=drawing.not_met if drawing else [],
            page_url=urls.page_url(lang, fig.page),
            licence_url=share.LICENCE_URL,
        )
    rendered.files["feed.xml"] = releases.feed(writer.loc, dataset)
    return rendered


class PageWriter:
    """Renders every page of one language, one method per kind of page."""

    def __init__(self, env: Environment, loc: Locale, dataset: Dataset, derived: Derived, boundaries, root: Path):
        self.env, self.loc, self.ds, self.d = env, loc, dataset, derived
        self.root = root
        self.pages: dict[str, str] = {}  # .md page -> text
        self.charts: list[tuple[str, dict]] = []
        self.boundaries = boundaries  # province shapes, or None: then no maps
        self.maps: list[map_pages.MapFigure] = []
        self.figures: list[share.Figure] = []  # charts (and maps) offered for download and embedding
        self.cards: dict[str, share.Figure] = {}  # page -> the figure that makes its social card
        self.release = releases.current(dataset)

    def figure(
        self,
        slug: str,
        path: str,
        page: str,
        title: str,
        source_ids,
        alt: str,
        job: dict | None = None,
        drawing=None,
        credit: str = "",
    ) -> share.Figure:
        """Register a chart (its job) or a map (its drawing, a MapFigure) for download and
        embedding. The page's first figure makes its social card."""
        loc = self.loc
        sources = [loc.field(self.ds.source(s), "title") for s in source_ids]
        url = urls.page_url(loc.lang, page)
        head = f"{loc.t('share.sources_label')}: " + "; ".join(sources) if sources else ""
        lines = figures.footer_lines(head, loc.t("share.licence"), url)
        if credit:
            lines.insert(-1, credit)
        fig = share.Figure(slug, loc.lang, path, page, title, sources, url, job=job, alt=alt, lines=lines)
        if drawing is not None:
            fig.svg, fig.legend = drawing.svg, map_pages.frame_legend(drawing.legend)
            drawing.figure = fig
            drawing.snippet = share.iframe_snippet(loc, slug, title, drawing.width, drawing.height)
        else:
            fig.narrow_path = charts.narrow_path(path)
        fig.card = page not in self.cards
        self.cards.setdefault(page, fig)
        self.figures.append(fig)
        return fig

    def _grade_figures(self, grade_charts: dict[str, str]) -> dict[str, tuple[share.Figure, str]]:
        """Register each period's A-E grade chart for download and embedding:
        period -> (figure, iframe snippet). The latest period's makes the page's card."""
        out = {}
        for period_id, path in reversed(list(grade_charts.items())):
            rows = self.d.grades[self.d.grades["period"] == period_id].to_dict("records")
            title = f"{self.loc.t('pages.grades_title')}, {self.loc.period(period_id)}"
            slug = f"grades-{period_id}"
            job = charts.grade_spec(rows, self.loc)
            fig = self.figure(
                slug, path, "agencies/grades.md", title, sorted({r["source_id"] for r in rows}), title, job
            )
            out[period_id] = (fig, share.iframe_snippet(self.loc, slug, title, *CHART_SIZE))
        return dict(reversed(list(out.items())))

    def _map_figures(self, maps: list, page: str, source_ids: list[str], titles: list[str]) -> None:
        """Register province maps for download and embedding, with the boundaries' CC BY-SA
        credit beside the data's CC BY licence. `titles` name each map out of its page, as a
        download or an embed shows it."""
        for f, title in zip(maps, titles, strict=True):
            slug = "map-" + posixpath.basename(f.path)[: -len(".svg")]
            self.figure(slug, f.path, page, title, source_ids, f.alt, drawing=f, credit=self.loc.t("maps.attribution"))

    def cite(self, page: str, title: str) -> share.Citation:
        year = self.release["date"][:4] if self.release else ""
        return share.citation(self.loc, page, title, self.release, year)

    def write(self, page: str, template: str, **values) -> None:
        ctx = Context(self.loc, page)
        card = self.cards.get(page)
        values.setdefault("og_image", urls.page_url(self.loc.lang, card.card_path) if card else "")
        self.pages[page] = self.env.get_template(template).render(loc=self.loc, ctx=ctx, ds=self.ds, d=self.d, **values)

    def all(self) -> None:
        self.home()
        self.indicators()
        self.periods()
        self.agencies()
        self.write(
            "data/index.md",
            "data.md.j2",
            schemas=downloads.schemas(),
            verdict_codes=verdicts.VERDICTS,
            packages=downloads.package_list(self.ds),
            combined=downloads.COMBINED,
            agency_files=downloads.AGENCY_FILES,
            combined_schemas=downloads.combined_schemas(self.root / "data" / "schemas"),
            jsonld=jsonld.data_page(self.loc, self.ds, self._updates),
            boundaries=self.boundaries is not None,
            releases=releases.release_list(self.ds),
            release=self.release,
            release_zip=releases.zip_name(self.release) if self.release else None,
        )

    @cached_property
    def _updates(self) -> dict[str, dict]:
        """When each indicator's data last changed (as data/index.json says)."""
        return downloads.last_updates(self.ds)

    # --- pages ----------------------------------------------------------------------------

    def _pillars(self, with_target: bool | None = None) -> list[tuple[str, list]]:
        """Each pillar's indicators' headlines (only those with, or without, a target)."""
        pillar_of = dict(zip(self.ds.indicators.index, self.ds.indicators["pillar"].tolist()))
        pillars = []
        for pillar in PILLARS:
            headlines = [self.d.headlines[i] for i, p in pillar_of.items() if p == pillar]
            if with_target is not None:
                headlines = [h for h in headlines if (h.verdict is not None) == with_target]
            pillars.append((pillar, headlines))
        return pillars

    def home(self) -> None:
        due, open_ = self.d.due(), self.d.open()
        self.write(
            "index.md",
            "home.md.j2",
            due=due,
            open=open_,
            due_counts=verdicts.counts(due),
            open_counts=verdicts.counts(open_),
            years=verdicts.by_year(self.d.verdicts),
            pillars=self._pillars(with_target=True),
            without_target=[h for _, headlines in self._pillars(with_target=False) for h in headlines],
            intro=self._partial("home-intro.md"),
        )

    def _name_notes(self, agency_ids: list[str]) -> list[tuple[str, str, int]]:
        """(kind, date, count) of the listed units whose name another unit also bears before
        or after: a table of one date names them plainly and says so once, below it."""
        counts: dict[tuple[str, str], int] = {}
        for agency_id in agency_ids:
            qualifier = self.d.name_qualifiers.get(agency_id)
            if qualifier:
                counts[qualifier] = counts.get(qualifier, 0) + 1
        return [(kind, date, count) for (kind, date), count in sorted(counts.items())]

    def _partial(self, name: str) -> str:
        path = self.root / "site_src" / "partials" / self.loc.lang / name
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def indicators(self) -> None:
        self.write("indicators/index.md", "indicators.md.j2", pillars=self._pillars())
        criterion_of = dict(zip(self.ds.criteria["id"], self.ds.criteria["indicator_id"]))
        for indicator_id in self.ds.indicators.index:
            every = self.d.all_observations.get(indicator_id, [])
            all_targets = self.d.all_targets.get(indicator_id, [])
            unit = self.ds.unit_of(indicator_id)
            chart = fig = None
            name = self.loc.field(self.ds.indicator(indicator_id), "name")
            if has_chart(self.d, indicator_id):
                chart = f"indicators/{indicator_id}.svg"
                shown, shown_targets = self.d.observations[indicator_id], self.d.targets.get(indicator_id, [])
                spec = charts.indicator_spec(
                    shown,
                    self.d.verdicts_by_indicator.get(indicator_id, []),
                    unit,
                    self.ds.indicator(indicator_id)["measure"],
                    self._series_breaks(indicator_id),
                    self.loc,
                )
                self.charts.append((chart, spec))
                self.charts.append((charts.narrow_path(chart), charts.narrow(spec, self.loc)))
                fig = self.figure(
                    indicator_id,
                    chart,
                    indicator_page(indicator_id),
                    name,
                    sorted({o["source_id"] for o in shown} | {t["source_id"] for t in shown_targets}),
                    self.loc.t(
                        "share.embed_alt", name=name, summary=self.chart_summary(self.d.headlines[indicator_id], unit)
                    ),
                    job=spec,
                )
            disagreements = [x for x in self.d.disagreements if x["key"]["indicator_id"] == indicator_id]
            criteria = {c for c, i in criterion_of.items() if i == indicator_id}
            leagues = [
                t
                for t in self.d.league_tables
                if criteria & (set(t.criteria) | {x["criterion_id"] for x in t.count_only})
            ]
            source_ids = sorted({o["source_id"] for o in every} | {t["source_id"] for t in all_targets})
            self.write(
                indicator_page(indicator_id),
                "indicator.md.j2",
                indicator=self.ds.indicator(indicator_id),
                unit=unit,
                headline=self.d.headlines[indicator_id],
                target_verdicts=self.d.verdicts_by_indicator.get(indicator_id, []),
                chart_alt=self.loc.t(
                    "pages.chart_alt", name=name, summary=self.chart_summary(self.d.headlines[indicator_id], unit)
                ),
                observations=every,
                targets=all_targets,
                chart=chart,
                disagreements=disagreements,
                sources=[self.ds.source(s) for s in source_ids],
                breakdowns=[b for b in series.BREAKDOWN_ORDER if b in {o["breakdown"] for o in every}],
                leagues=leagues,
                series_breaks=self._series_breaks(indicator_id),
                figure=fig,
                embed_snippet=share.iframe_snippet(self.loc, indicator_id, name, *CHART_SIZE) if fig else "",
                cite=self.cite(indicator_page(indicator_id), name),
                jsonld=jsonld.indicator(
                    self.loc, self.ds, indicator_id, {o["period"] for o in every}, self._updates[indicator_id]
                ),
            )

    def chart_summary(self, h, unit) -> str:
        """What an indicator's chart shows, in words, for its text alternative: the latest
        figure and the headline verdict's sentence, the words its page leads with."""
        loc, parts = self.loc, []
        measure = self.ds.indicator(h.indicator_id)["measure"]
        if h.latest:
            parts.append(loc.t("pages.chart_summary_latest", figure=loc.figure(h.latest, unit, measure)))
        if h.verdict:
            parts.append(f"{loc.t('verdict.' + h.verdict.verdict)}: {loc.verdict(h.verdict, unit, measure)}.")
        return " ".join(parts)

    @cached_property
    def _breaks_by_indicator(self) -> dict[str, list[dict]]:
        """Series breaks sorted and grouped once, not filtered per page."""
        return series.by_indicator(
            periods_mod.sort_frame(self.ds.series_breaks, ["indicator_id", "breakdown", "period"])
        )

    def _series_breaks(self, indicator_id: str) -> list[dict]:
        return self._breaks_by_indicator.get(indicator_id, [])

    def periods(self) -> None:
        period_ids = list(reversed(self.ds.period_ids))
        counts: dict[str, int] = {}
        for rows in self.d.observations.values():
            for o in rows:
                counts[o["period"]] = counts.get(o["period"], 0) + 1
        self.write("periods/index.md", "periods.md.j2", period_ids=period_ids, counts=counts)
        for period_id in period_ids:
            rows = self.d.period_rows[period_id]
            tasks = [r for r in rows if r["observation"]["indicator_id"] in series.TASK_INDICATORS]
            rows = [r for r in rows if r["observation"]["indicator_id"] not in series.TASK_INDICATORS]
            leagues = [t for t in self.d.league_tables if t.period == period_id]
            self.write(
                period_page(period_id), "period.md.j2", period_id=period_id, rows=rows, tasks=tasks, leagues=leagues
            )

    def agencies(self) -> None:
        tables = self.d.league_tables
        grade_periods = periods_mod.sorted_ids(self.d.grades["period"]) if len(self.d.grades) else []
        current = agencies.current_agencies(self.ds)
        former = self.ds.agencies[~self.ds.agencies.index.isin(current.index)]

        def by_name(frame):  # alphabetical in the page's language, tone marks aside
            rows = frame.to_dict("records")
            return sorted(rows, key=lambda a: (fold(self.loc.field(a, "name")), a["valid_from"], a["id"]))

        self.write(
            "agencies/index.md",
            "agencies.md.j2",
            tables=tables,
            grade_periods=grade_periods,
            current=by_name(current),
            former=by_name(former),
        )
        statuses_by_period = dict(tuple(self.d.statuses.groupby("period", sort=False)))
        for table in tables:
            own = statuses_by_period.get(table.period, self.d.statuses.iloc[:0])
            bases = dict(zip(zip(own["agency_id"].tolist(), own["criterion_id"].tolist()), own["basis"].tolist()))
            maps = map_pages.league_maps(self.boundaries, table, self.ds, self.loc)
            self.maps += maps
            group_rows = own[own["group"] == table.group]
            title = self.loc.t(
                "pages.league_title",
                group=self.loc.t(f"agency_group.{table.group}"),
                period=self.loc.period(table.period),
            )
            self._map_figures(
                maps,
                league_page(table.period, table.group),
                sorted(set(group_rows["source_id"]) - {""}),
                [self.loc.t("maps.figure_title", subject=m.title, table=title) for m in maps],
            )
            self.write(
                league_page(table.period, table.group),
                "league.md.j2",
                table=table,
                name_notes=self._name_notes(table.rows["agency_id"].tolist()),
                breakdown=GROUP_BREAKDOWN[table.group],
                bases=bases,
                maps=maps,
                map_date=map_pages.league_date(table.period),
                cite=self.cite(league_page(table.period, table.group), title),
            )
        grade_charts = {}
        for period_id in grade_periods:
            rows = self.d.grades[self.d.grades["period"] == period_id]
            path = f"agencies/grades-{period_id}.svg"
            job = charts.grade_spec(rows.to_dict("records"), self.loc)
            self.charts.extend([(path, job), (charts.narrow_path(path), charts.narrow(job, self.loc))])
            grade_charts[period_id] = path
        grade_figures = self._grade_figures(grade_charts)
        self.write(
            "agencies/grades.md",
            "grades.md.j2",
            grade_periods=grade_periods,
            grade_charts=grade_charts,
            grade_figures=grade_figures,
            has_agency_grades=len(self.ds.agency_grades) > 0,
        )
        members = {(t.period, t.group): set(t.rows["agency_id"].tolist()) for t in tables}
        all_grades: dict[str, dict[str, list[dict]]] = {}
        for row in self.ds.agency_grades.to_dict("records"):
            all_grades.setdefault(row["agency_id"], {}).setdefault(row["period"], []).append(row)
        for agency_id in self.ds.agencies.index:
            facts = self.d.agency_facts.get(agency_id, {})
            grades = all_grades.get(agency_id, {})
            group = self.ds.agencies.at[agency_id, "group"]
            leagues = [t for t in tables if t.group == group and agency_id in members[(t.period, t.group)]]
            history = self.d.agency_history.get(agency_id, {"successors": [], "predecessors": []})
            formed: dict[tuple, list[dict]] = {}
            for row in history["predecessors"]:
                formed.setdefault((row["date"], row["change"], row["source_id"]), []).append(row)
            cited = sorted({r["source_id"] for r in history["successors"] + history["predecessors"]})
            agency = self.ds.agency(agency_id)
            name = self.loc.agency_name(agency, self.d.name_qualifiers.get(agency_id))
            locator = map_pages.locator(self.boundaries, agency, self.loc, name)
            if locator:
                self.maps.append(locator)
                self._map_figures([locator], agency_page(agency_id), [], [self.loc.t("maps.locator_title", name=name)])
            self.write(
                agency_page(agency_id),
                "agency.md.j2",
                agency=agency,
                locator=locator,
                facts=facts,
                grades=grades,
                leagues=leagues,
                periods=list(reversed(periods_mod.sorted_ids(set(facts) | set(grades)))),
                open_periods=AGENCY_OPEN_PERIODS,
                history=history,
                formed=list(formed.items()),
                legal_sources=[self.ds.source(s) for s in cited],
            )
