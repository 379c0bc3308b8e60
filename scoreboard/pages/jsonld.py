"""schema.org `Dataset` descriptions (JSON-LD) of the pages that offer data: each indicator's
page and the data page, in the page's language, for search engines (Google's Dataset Search)
and data tools. The page's front matter carries the text as `jsonld`; the theme's head
(site_src/overrides/main.html) prints it in a <script type="application/ld+json">.

The text is JSON that is safe inside <script>: <, > and & (and the line separators some
parsers take as line ends) are written as \\u escapes, so a cell of the data can never close
the script or open a comment. Keys keep one order and every date comes from the data
(periods.csv, releases.csv), so two builds give the same bytes.
"""

from __future__ import annotations

import json

from scoreboard.data.model import Dataset
from scoreboard.pages import downloads, releases, share, urls
from scoreboard.pages.formatting import Locale

CONTEXT = "https://schema.org"
DATA_PAGE = "data/index.md"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "zip": "application/zip"}
_SCRIPT_SAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u0085": "\\u0085",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def script_text(data) -> str:
    """JSON text of `data` that can sit inside <script> as it is: those characters only occur
    inside JSON strings, where their \\u escapes read back as the same text."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)


def temporal_coverage(dataset: Dataset, period_ids) -> str | None:
    """ISO 8601 interval from the first day of the earliest period to the last day of the
    latest (periods.csv), or None without a period."""
    period_ids = set(period_ids)
    if not period_ids:
        return None
    starts = dict(zip(dataset.periods.index, dataset.periods["start"]))
    ends = dict(zip(dataset.periods.index, dataset.periods["end"]))
    return f"{min(starts[p] for p in period_ids)}/{max(ends[p] for p in period_ids)}"


def _download(loc: Locale, path: str) -> dict:
    """A file under data/ as a DataDownload, at its absolute address in this language's site."""
    return {
        "@type": "DataDownload",
        "name": path.rsplit("/", 1)[-1],
        "encodingFormat": MEDIA_TYPES[path.rsplit(".", 1)[-1]],
        "contentUrl": urls.page_url(loc.lang, f"data/{path}"),
    }


def _dataset(loc: Locale, page: str, name: str, description: str) -> dict:
    return {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": urls.page_url(loc.lang, page),
        "inLanguage": loc.lang,
        "license": share.LICENCE_URL,
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": loc.t("site_name"), "url": urls.lang_root(loc.lang)},
        "spatialCoverage": {"@type": "Place", "name": loc.t("structured.place")},
    }


def indicator(loc: Locale, dataset: Dataset, indicator_id: str, period_ids, update: dict) -> str:
    """An indicator's page: its name and definition, the periods of its figures (`period_ids`),
    its last update (downloads.last_updates) and its own CSV and JSON files."""
    row = dataset.indicator(indicator_id)
    description = loc.t("structured.indicator_description", definition=loc.field(row, "definition"))
    data = _dataset(loc, urls.indicator_page(indicator_id), loc.field(row, "name"), description)
    coverage = temporal_coverage(dataset, period_ids)
    if coverage:
        data["temporalCoverage"] = coverage
    if update["date"]:
        data["dateModified"] = update["date"]
    data["isPartOf"] = {
        "@type": "Dataset",
        "name": loc.t("structured.data_name"),
        "url": urls.page_url(loc.lang, DATA_PAGE),
    }
    data["distribution"] = [_download(loc, path) for path in downloads.indicator_files(indicator_id).values()]
    return script_text(data)


def data_page(loc: Locale, dataset: Dataset, updates: dict[str, dict]) -> str:
    """The data page: the whole scoreboard, every combined file in CSV and JSON, the data
    package describing them and the current release's zip."""
    data = _dataset(loc, DATA_PAGE, loc.t("structured.data_name"), loc.t("structured.data_description"))
    coverage = temporal_coverage(dataset, dataset.observations["period"].tolist())
    if coverage:
        data["temporalCoverage"] = coverage
    release = releases.current(dataset)
    dates = [u["date"] for u in updates.values() if u["date"]] + ([release["date"]] if release else [])
    if dates:
        data["dateModified"] = max(dates)
    if release:
        data["version"] = release["version"]
    files = [f"{name}.{ext}" for name in downloads.COMBINED_SOURCES for ext in ("csv", "json")]
    files.append("datapackage.json")
    if release:
        files.append(releases.zip_name(release))
    data["distribution"] = [_download(loc, path) for path in files]
    return script_text(data)
