"""Render the site's Markdown pages, charts and downloads into site_src/build/<lang>/.

Pages come from Jinja2 templates in scoreboard/templates. Everything taken from the
data is escaped: HTML-escaped by default, and Markdown-escaped where it lands in
Markdown text, so a CSV cell can never inject markup or a script.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scoreboard import store as cachedir
from scoreboard.data import layout
from scoreboard.data import periods as periods_mod
from scoreboard.data.model import GROUP_BREAKDOWN, Dataset, is_missing
from scoreboard.derive import core as derive
from scoreboard.derive import verdicts
from scoreboard.figures import charts
from scoreboard.figures import frame as figures
from scoreboard.figures.maps import geometry as map_geometry
from scoreboard.pages import downloads, jinjaquick, releases, rendercache, share, templatecache
from scoreboard.pages import maps as map_pages
from scoreboard.pages.formatting import Locale

TEMPLATES = Path(__file__).parent / "templates"
GROUP_SLUG = {"central": "ministries", "local": "provinces"}  # league-table URLs use these words
AGENCY_OPEN_PERIODS = 2  # an agency page shows its latest periods; older ones are folded
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=])")


def md(text) -> Markup:
    """Text from the data, safe inside Markdown: <, > and & escaped, then Markdown syntax escaped."""
    text = "" if text is None else str(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def front_title(text) -> Markup:
    """A page title for YAML front matter. The theme prints titles into <title> unescaped,
    so <, > and & are turned into entities here (and JSON quoting keeps YAML happy)."""
    return Markup(json.dumps(html.escape(str(text), quote=False), ensure_ascii=False))


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


def page_dir(page: str) -> str:
    """Directory URL of a page under MkDocs' directory URLs: indicators/x.md -> indicators/x."""
    stem = page[:-3]
    if stem == "index":
        return ""
    return stem[: -len("/index")] if stem.endswith("/index") else stem


@cache
def relative(from_page: str, target: str) -> str:
    """A link from one generated page to another page (.md) or to a file, as a relative URL
    (remembered: a build asks the same few thousand links tens of thousands of times)."""
    base = page_dir(from_page) or "."
    if target.endswith(".md"):
        dest = page_dir(target) or "."
        rel = _relpath(dest, base)
        return "./" if rel == "." else rel + "/"
    return _relpath(target, base)


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the site's own paths ('a/b' or '.', within the docs dir), by
    comparing their parts: relpath makes both absolute first, from the working folder, which
    cost a language's first render about a tenth of its time. Any other path takes relpath."""
    if not (_SITE_PATH.fullmatch(path) and _SITE_PATH.fullmatch(start)):
        return posixpath.relpath(path, start)
    to = [] if path == "." else path.split("/")
    fro = [] if start == "." else start.split("/")
    common = 0
    for a, b in zip(to, fro):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(fro) - common) + to[common:]) or "."


# '.', or names joined by single slashes, none of them '.' or '..'
_SITE_PATH = re.compile(r"\.|(?!\.\.?(?:/|$))[^/]+(?:/(?!\.\.?(?:/|$))[^/]+)*")


@dataclass
class Context:
    """What templates need besides the data: the language, the page, and link helpers."""

    loc: Locale
    page: str

    def link(self, target: str) -> str:
        return relative(self.page, target)


def indicator_page(indicator_id: str) -> str:
    return f"indicators/{indicator_id}.md"


def period_page(period_id: str) -> str:
    return f"periods/{period_id}.md"


def agency_page(agency_id: str) -> str:
    return f"agencies/{agency_id}.md"


def league_page(period_id: str, group: str) -> str:
    return f"agencies/league-{period_id}-{GROUP_SLUG[group]}.md"


def fold(text: str) -> str:
    """Lowercase without tone marks, so 'Hải Phòng' is found by 'hai phong'."""
    import unicodedata

    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()


def compiled_templates(root: Path) -> Path:
    """Where a project keeps its compiled page templates between builds."""
    return root / ".cache" / "templates"


@cache
def environment(compiled: Path | None = None) -> Environment:
    """The Jinja environment with every template compiled (done once, before forking).

    `compiled`: a folder that keeps the compiled templates between builds (templatecache)."""
    env = jinjaquick.QuickEnvironment(
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
    env.filters["quote_groups"] = quote_groups
    env.globals.update(
        indicator_page=indicator_page,
        period_page=period_page,
        agency_page=agency_page,
        league_page=league_page,
        embed_page=share.embed_page,
        page_url=share.page_url,
        narrow_path=charts.narrow_path,
        narrow_media=charts.NARROW_MEDIA,
        missing=is_missing,
        group_slug=GROUP_SLUG,
        remembered=jinjaquick.remembered,
    )
    if compiled is not None:
        templatecache.attach(env, compiled, Path(__file__).read_text(encoding="utf-8"))
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)
    return env


# --- the whole site -------------------------------------------------------------------------------


@dataclass
class Derived:
    """Everything computed from the dataset once and shared by both languages."""

    as_of: str
    assessments: dict
    target_years: list
    target_results: list
    observations: dict  # indicator id -> shown rows in period order
    all_observations: dict  # indicator id -> every row, shown first within a period
    targets: dict  # indicator id -> shown targets by deadline
    all_targets: dict
    period_rows: dict
    league_tables: list
    statuses: pd.DataFrame
    disagreements: list
    grades: pd.DataFrame
    agency_history: dict = None  # agency id -> {'successors': [...], 'predecessors': [...]}
    name_qualifiers: dict = None  # agency id -> ('until' | 'from', date) where names repeat
    agency_facts: dict = None  # agency id -> period -> known statuses (not 'not_reported')
    download_files: dict = None  # path under data/ -> text, identical in both languages


def derive_all(dataset: Dataset) -> Derived:
    as_of = derive.latest_period(dataset)
    statuses, summaries = derive.agency_statuses(dataset)
    results = verdicts.target_results(dataset, as_of)
    derived = Derived(
        as_of=as_of,
        assessments={a.indicator_id: a for a in derive.scoreboard(dataset, as_of)},
        target_years=verdicts.target_year_summary(results),
        target_results=results,
        period_rows=derive.period_changes(dataset),
        observations=derive.by_indicator(derive.shown_observations(dataset)),
        all_observations=derive.by_indicator(_all_rows(dataset.observations, "period")),
        targets=derive.by_indicator(derive.shown_targets(dataset)),
        all_targets=derive.by_indicator(_all_rows(dataset.targets, "target_period")),
        league_tables=derive.league_tables(dataset, statuses, summaries),
        statuses=statuses,
        disagreements=derive.source_disagreements(dataset),
        grades=derive.grade_distribution(dataset),
        agency_history=derive.agency_history(dataset),
        name_qualifiers=derive.name_qualifiers(dataset),
    )
    facts: dict[str, dict[str, list[dict]]] = {}
    for row in statuses[statuses["basis"] != "not_reported"].to_dict("records"):
        facts.setdefault(row["agency_id"], {}).setdefault(row["period"], []).append(row)
    derived.agency_facts = facts
    verdicts.attach(derived.assessments, results)
    derived.download_files = downloads.files(dataset, derived)
    return derived


def _all_rows(frame: pd.DataFrame, period_column: str) -> pd.DataFrame:
    """Every row, in time order; nationwide first, then the shown row, within a period."""
    frame = frame.assign(_breakdown=frame["breakdown"].map(derive.BREAKDOWN_ORDER.index))
    by = ["indicator_id", period_column, "_breakdown", "shown", "source_id"]
    return periods_mod.sort_frame(frame, by, ascending=[True, True, True, False, True]).drop(columns="_breakdown")


def has_chart(derived: Derived, indicator_id: str) -> bool:
    """A chart needs something over time: values in two periods, or a value and a target."""
    obs = derived.observations.get(indicator_id, [])
    targets = derived.targets.get(indicator_id, [])
    return bool(obs) and len({o["period"] for o in obs} | {t["target_period"] for t in targets}) >= 2


def render_language(
    dataset: Dataset,
    derived: Derived,
    lang: str,
    docs: Path,
    root: Path = layout.ROOT,
    renderer: charts.SvgRenderer | None = None,
    image_renderer: figures.DownloadRenderer | None = None,
    markdown_cache: rendercache.RenderCache | None = None,
) -> None:
    """Write one language's docs dir: pages, charts, hand-written pages, assets, downloads.

    The folder is kept from the previous build and brought up to date: a file that would
    be written with the same content is left as it is (cachedir.put), and files no longer
    written are removed, so it ends exactly as if written from empty. At scale, creating
    thousands of files cost more than reading them. With a markdown_cache, pages whose
    inputs did not change are taken from it instead of being rendered again (see
    rendercache.py)."""
    renderer = renderer or charts.SvgRenderer()
    docs.mkdir(parents=True, exist_ok=True)
    boundaries = map_geometry.Boundaries.load(root, dataset)
    pages = PageWriter(
        environment(compiled_templates(root)), docs, Locale(lang), dataset, derived, boundaries, markdown_cache
    )
    pages.all()
    if markdown_cache is not None:
        markdown_cache.prune()
    written = set(pages.written)
    written |= _copy_tree(root / "site_src" / "pages" / lang, docs)
    written |= _copy_tree(root / "site_src" / "assets", docs / "assets")
    written |= downloads.write_all(derived.download_files, docs / "data", root)
    renderer.write_all([(docs / path, job) for path, job in pages.charts])
    written |= {docs / path for path, _ in pages.charts}
    for figure in pages.maps:
        cachedir.put(figure.svg.encode("utf-8"), docs / figure.path)
        written.add(docs / figure.path)
    written |= write_shared(pages, docs, root, image_renderer or figures.DownloadRenderer())
    remove_unwritten(docs, written)


def remove_unwritten(folder: Path, written: set[Path]) -> None:
    """Remove every file under folder that is not in `written`, and the folders left empty."""
    keep = {os.fspath(path) for path in written}
    for current, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            path = os.path.join(current, name)
            if path not in keep:
                os.unlink(path)
        for name in dirs:
            path = os.path.join(current, name)
            if os.path.islink(path):
                os.unlink(path)
            elif not os.listdir(path):
                os.rmdir(path)


def write_shared(pages: PageWriter, docs: Path, root: Path, image_renderer: figures.DownloadRenderer) -> set[Path]:
    """What lets people reuse the site: figure downloads and embed pages, the Atom feed,
    and the current release's zip. Returns the paths written."""
    written = set()
    template = pages.env.get_template("embed.html.j2")
    for fig in pages.figures:
        written |= set(image_renderer.write(fig, docs))
        embed = docs / share.embed_page(fig.slug)
        text = template.render(
            loc=pages.loc,
            fig=fig,
            image=relative(share.embed_page(fig.slug)[: -len(".html")] + ".md", fig.path),
            page_url=share.page_url(pages.loc.lang, fig.page),
            licence_url=share.LICENCE_URL,
        )
        cachedir.put(text.encode("utf-8"), embed)
        written.add(embed)
    cachedir.put(releases.feed(pages.loc, pages.ds).encode("utf-8"), docs / "feed.xml")
    written.add(docs / "feed.xml")
    if pages.release:
        path = docs / "data" / releases.zip_name(pages.release)
        cachedir.put(releases.zip_file(pages.release, root, root / ".cache" / "releases"), path)
        written.add(path)
    return written


def _copy_tree(src: Path, dest: Path) -> set[Path]:
    """Copy a folder's files (never through a file already there); returns the paths."""
    written = set()
    if src.exists():
        for path in sorted(src.rglob("*")):
            if path.is_file():
                target = dest / path.relative_to(src)
                cachedir.put(path.read_bytes(), target)
                written.add(target)
    return written


class PageWriter:
    """Writes every page of one language."""

    def __init__(
        self,
        env: Environment,
        docs: Path,
        loc: Locale,
        dataset: Dataset,
        derived: Derived,
        boundaries=None,
        markdown_cache: rendercache.RenderCache | None = None,
    ):
        self.env, self.docs, self.loc, self.ds, self.d = env, docs, loc, dataset, derived
        self.markdown_cache = markdown_cache
        self.charts: list[tuple[str, dict]] = []
        self.boundaries = boundaries  # province shapes, or None: then no maps
        self.maps: list[map_pages.MapFigure] = []
        self.figures: list[figures.Figure] = []  # charts (and maps) offered for download and embedding
        self.written: list[Path] = []  # the pages written, under docs
        self.release = releases.current(dataset)

    def figure(self, slug: str, path: str, job: dict, page: str, title: str, source_ids, alt: str) -> figures.Figure:
        """Register a chart for download and embedding (generic: maps can use it too)."""
        loc = self.loc
        sources = [loc.field(self.ds.source(s), "title") for s in source_ids]
        url = share.page_url(loc.lang, page)
        lines = figures.footer_lines(
            f"{loc.t('share.sources_label')}: " + "; ".join(sources) if sources else "", loc.t("share.licence"), url
        )
        fig = figures.Figure(slug, loc.lang, path, page, title, sources, url, job=job, alt=alt, lines=lines)
        self.figures.append(fig)
        return fig

    def _grade_figures(self, grade_charts: dict[str, str]) -> dict[str, tuple[figures.Figure, str]]:
        """Register each period's A-E grade chart for download and embedding (issue 12):
        period -> (figure, iframe snippet)."""
        out = {}
        for period_id, path in grade_charts.items():
            rows = self.d.grades[self.d.grades["period"] == period_id].to_dict("records")
            title = f"{self.loc.t('pages.grades_title')}, {self.loc.period(period_id)}"
            slug = f"grades-{period_id}"
            job = charts.grade_spec(rows, self.loc)
            fig = self.figure(
                slug, path, job, "agencies/grades.md", title, sorted({r["source_id"] for r in rows}), title
            )
            out[period_id] = (fig, share.iframe_snippet(self.loc, slug, title))
        return out

    def _map_figures(self, maps: list, page: str, source_ids: list[str], titles: list[str]) -> None:
        """Register province maps for download and embedding (issue 12): the same Figure
        machinery as charts, on the pre-drawn SVG, with the boundaries' CC BY-SA credit
        beside the data's CC BY licence. `titles` name each map out of its page, as a
        download or an embed shows it."""
        loc = self.loc
        sources = [loc.field(self.ds.source(s), "title") for s in source_ids]
        url = share.page_url(loc.lang, page)
        for f, title in zip(maps, titles, strict=True):
            slug = "map-" + posixpath.basename(f.path)[: -len(".svg")]
            head = f"{loc.t('share.sources_label')}: " + "; ".join(sources) if sources else ""
            lines = [*figures.footer_lines(head, loc.t("share.licence"), url)]
            lines.insert(-1, loc.t("maps.attribution"))
            fig = figures.Figure(slug, loc.lang, f.path, page, title, sources, url, svg=f.svg, alt=f.alt, lines=lines)
            self.figures.append(fig)
            f.figure, f.snippet = fig, share.iframe_snippet(loc, slug, title)

    def cite(self, page: str, title: str) -> share.Citation:
        year = self.release["date"][:4] if self.release else ""
        return share.citation(self.loc, page, title, self.release, year)

    def write(self, page: str, template: str, **values) -> None:
        ctx = Context(self.loc, page)

        def draw(ds, d) -> str:
            return self.env.get_template(template).render(loc=self.loc, ctx=ctx, ds=ds, d=d, **values)

        path = self.docs / page
        if self.markdown_cache is None:
            cachedir.put(draw(self.ds, self.d).encode("utf-8"), path)
        else:
            self.markdown_cache.write(path, page, template, values, self.ds, self.d, draw)
        self.written.append(path)

    def all(self) -> None:
        self.home()
        self.indicators()
        self.periods()
        self.agencies()
        self.write(
            "data/index.md",
            "data.md.j2",
            schemas=downloads.schemas(),
            packages=downloads.package_list(self.ds),
            combined=downloads.COMBINED,
            agency_files=downloads.AGENCY_FILES,
            boundaries=self.boundaries is not None,
            releases=releases.release_list(self.ds),
            release=self.release,
            release_zip=releases.zip_name(self.release) if self.release else None,
        )

    # --- pages ----------------------------------------------------------------------------

    def _pillars(self) -> list[tuple[str, list]]:
        pillar_of = dict(zip(self.ds.indicators.index, self.ds.indicators["pillar"].tolist()))
        pillars = []
        for pillar in ("infrastructure", "government", "economy", "society", "data", "security", "governance"):
            pillars.append((pillar, [self.d.assessments[i] for i, p in pillar_of.items() if p == pillar]))
        return pillars

    def home(self) -> None:
        self.write(
            "index.md",
            "home.md.j2",
            pillars=self._pillars(),
            counts=derive.status_counts(list(self.d.assessments.values())),
            intro=self._partial("home-intro.md"),
        )

    def _partial(self, name: str) -> str:
        path = layout.SITE_SRC / "partials" / self.loc.lang / name
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
                spec = charts.indicator_spec(shown, shown_targets, unit, self.loc)
                self.charts.append((chart, spec))
                self.charts.append((charts.narrow_path(chart), charts.narrow(spec)))
                fig = self.figure(
                    indicator_id,
                    chart,
                    spec,
                    indicator_page(indicator_id),
                    name,
                    sorted({o["source_id"] for o in shown} | {t["source_id"] for t in shown_targets}),
                    self._chart_alt(name, self.d.assessments[indicator_id], unit),
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
                assessment=self.d.assessments[indicator_id],
                target_verdicts=[r for r in self.d.target_results if r["indicator_id"] == indicator_id],
                observations=every,
                targets=all_targets,
                chart=chart,
                disagreements=disagreements,
                sources=[self.ds.source(s) for s in source_ids],
                breakdowns=[b for b in derive.BREAKDOWN_ORDER if b in {o["breakdown"] for o in every}],
                leagues=leagues,
                series_breaks=self._series_breaks(indicator_id),
                figure=fig,
                embed_snippet=share.iframe_snippet(self.loc, indicator_id, name) if fig else "",
                cite=self.cite(indicator_page(indicator_id), name),
                og_image=share.page_url(self.loc.lang, fig.png_path) if fig else "",
            )

    def _chart_alt(self, name: str, a, unit) -> str:
        loc, parts = self.loc, []
        if a.latest:
            value, period = loc.value(a.latest, unit), loc.period(a.latest["period"])
            parts.append(loc.t("pages.chart_summary_latest", value=value, period=period))
        if a.target:
            deadline = loc.period(a.target["target_period"], "deadline")
            parts.append(loc.t("pages.chart_summary_target", target=loc.target(a.target, unit), deadline=deadline))
        return loc.t("share.embed_alt", name=name, summary=" ".join(parts))

    @cached_property
    def _breaks_by_indicator(self) -> dict[str, list[dict]]:
        """Series breaks sorted and grouped once, not filtered per page."""
        return derive.by_indicator(
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
            tasks = [r for r in rows if r["observation"]["indicator_id"] in derive.TASK_INDICATORS]
            rows = [r for r in rows if r["observation"]["indicator_id"] not in derive.TASK_INDICATORS]
            leagues = [t for t in self.d.league_tables if t.period == period_id]
            self.write(
                period_page(period_id), "period.md.j2", period_id=period_id, rows=rows, tasks=tasks, leagues=leagues
            )

    def agencies(self) -> None:
        tables = self.d.league_tables
        grade_periods = periods_mod.sorted_ids(self.d.grades["period"]) if len(self.d.grades) else []
        current = derive.current_agencies(self.ds)
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
            self.charts.extend([(path, job), (charts.narrow_path(path), charts.narrow(job))])
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
