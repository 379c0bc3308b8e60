"""One language's docs folder, the engine's input: the rendered pages, the charts drawn, the
figure downloads, embed pages, the feed, the data downloads and release zip, the hand-written
pages and the assets.

The folder is written anew each build (keeping it and rewriting only changed files saved
under a tenth of a build). Drawings come from the store when it holds them (keyed by what
they are drawn from and the code that draws them), placed as hard links.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scoreboard import store
from scoreboard.figures import charts, frame, textpaths
from scoreboard.pages import downloads, releases
from scoreboard.pages.render import Rendered
from scoreboard.site.built_pages import BuiltPages


class Drawings:
    """Charts and figure downloads, drawn once and kept in the store."""

    def __init__(self, kept: store.Store):
        self.kept = kept
        self.chart_code = store.code_version(Path(charts.__file__), packages=("altair", "vl-convert-python"))
        self.figure_code = store.code_version(
            Path(frame.__file__),
            Path(textpaths.__file__),
            Path(charts.__file__),
            packages=("vl-convert-python", "fonttools"),
        )
        self.drawn = 0

    def chart(self, job: dict) -> Path | bytes:
        """A chart job's SVG: its store entry, or the drawn bytes when it cannot be stored."""
        name = store.key("chart", job, charts.FORMAT_LOCALES[job["lang"]], self.chart_code)
        return self.kept.get("charts", name, lambda: self._draw(job).encode("utf-8"), ".svg")

    def _draw(self, job: dict) -> str:
        self.drawn += 1
        return charts.draw(job)  # its template compiled once a process (charts.compile_template)

    def download(self, figure) -> Path | bytes:
        """A figure's framed SVG (title, legend, sources, licence, address; text as outlines),
        keyed by what it is made of."""
        made_of = [figure.svg, figure.title, figure.lines, figure.alt, figure.legend]
        return self.kept.get(
            "figures",
            store.key("download", made_of, self.figure_code),
            lambda: frame.download_svg(figure.svg, figure.title, figure.lines, figure.alt, figure.legend).encode("utf-8"),
            ".svg",
        )

    def card(self, framed: Path | bytes) -> Path | bytes:
        """A page's social card, from its first figure's framed SVG."""
        text = (framed.read_bytes() if isinstance(framed, Path) else framed).decode("utf-8")
        return self.kept.get("cards", store.key("card", text, self.figure_code), lambda: frame.card_png(text), ".png")


def write(
    rendered: Rendered,
    docs: Path,
    root: Path,
    kept: store.Store,
    data_files: dict[str, str],
    built: BuiltPages | None = None,
) -> list[str]:
    """Write one language's docs folder from what was rendered. Returns every page (Markdown
    path); with `built`, the pages whose HTML is stored are left out of the folder
    (built.finish places them in the built site)."""
    shutil.rmtree(docs, ignore_errors=True)
    drawings = Drawings(kept)
    pages: list[str] = []

    def put(content: Path | bytes | str, path: str | Path) -> None:
        content = content.encode("utf-8") if isinstance(content, str) else content
        if str(path).endswith(".md"):
            pages.append(Path(path).as_posix())
            markdown = content.read_bytes() if isinstance(content, Path) else content
            if built is not None and not built.needs_building(Path(path).as_posix(), markdown):
                return
        store.put(content, docs / path)

    for page, text in rendered.pages.items():
        put(text, page)
    for path, text in rendered.files.items():
        put(text, path)
    drawn: dict[str, Path | bytes] = {}
    for path, job in rendered.charts:
        drawn[path] = drawings.chart(job)
        put(drawn[path], path)
    for figure in rendered.maps:
        put(figure.svg, figure.path)
    for figure in rendered.figures:
        if figure.svg is None:  # a chart: its drawing, as the page shows it
            entry = drawn[figure.path]
            figure.svg = (entry.read_bytes() if isinstance(entry, Path) else entry).decode("utf-8")
        framed = drawings.download(figure)
        put(framed, figure.download_svg_path)
        if figure.card:
            put(drawings.card(framed), figure.card_path)
    for name, text in data_files.items():
        put(text, Path("data") / name)
    for name, src in downloads.published_package_files(root):
        put(src.read_bytes(), Path("data") / "packages" / name)
    release = rendered.release
    if release is not None:
        put(releases.zipped(releases.zip_entries(release, root)), Path("data") / releases.zip_name(release))
    for folder, under in ((root / "site_src" / "pages" / rendered.lang, Path()), (root / "site_src" / "assets", Path("assets"))):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                put(path.read_bytes(), under / path.relative_to(folder))
    return sorted(pages)
