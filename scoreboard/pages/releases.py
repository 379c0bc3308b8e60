"""Data releases people can follow: the list of releases with what each changed, the
whole dataset of the current release as one zip, and an Atom feed per language.

What changed is recorded in data/reference/release_changes.csv (a test checks it
against the data), not recomputed from git history: CI's shallow clone has none, and
the page must build the same from any checkout. Only the current release's zip is
built: earlier releases could only be rebuilt from git tags, which a clone may lack;
their data stays in the repository's history.

Every date comes from the data (release dates), never from the clock, so two builds
of one commit give the same feed and the same zip bytes.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from scoreboard.data import layout
from scoreboard.data.model import Dataset
from scoreboard.pages import share, urls
from scoreboard.pages.formatting import Locale
from scoreboard.pages.urls import period_page

ATOM = "http://www.w3.org/2005/Atom"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the bytes
ZIP_CONTENT = ("data/README.md", "data/reference", "data/periods", "data/schemas")
ZIP_LICENCE = "LICENCE-DATA.txt"


def release_list(dataset: Dataset) -> list[dict]:
    """Releases, newest first, each with its changes in file order."""
    if dataset.releases is None or not len(dataset.releases):
        return []
    changes = dataset.release_changes.to_dict("records") if dataset.release_changes is not None else []
    rows = dataset.releases.to_dict("records")
    out = []
    for order, row in enumerate(rows):
        own = [c for c in changes if c["version"] == row["version"]]
        out.append({**row, "order": order, "changes": own})
    return sorted(out, key=lambda r: (r["date"], r["order"]), reverse=True)


def current(dataset: Dataset) -> dict | None:
    releases = release_list(dataset)
    return releases[0] if releases else None


def zip_name(release: dict) -> str:
    return f"releases/scoreboard-data-{release['version']}.zip"


def licence_text(release: dict) -> str:
    """The data licence, in both languages (the zip is the same for both sites)."""
    parts = [
        Locale(lang).t("share.zip_licence", version=release["version"], url=share.LICENCE_URL) for lang in ("vi", "en")
    ]
    return "\n\n".join(parts) + "\n"


def zip_bytes(release: dict, root: Path = layout.ROOT) -> bytes:
    """The whole dataset (packages, schemas, README, data licence) as a byte-identical zip:
    entries sorted, fixed timestamps and permissions."""
    return zipped(zip_entries(release, root))


def zip_entries(release: dict, root: Path) -> dict[str, bytes]:
    files = []
    for name in ZIP_CONTENT:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    entries = {path.relative_to(root).as_posix(): path.read_bytes() for path in files}
    entries[ZIP_LICENCE] = licence_text(release).encode("utf-8")
    return entries


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def period_release_dates(dataset: Dataset) -> dict[str, str]:
    """The date of the first release that added each period."""
    dates: dict[str, str] = {}
    for release in reversed(release_list(dataset)):
        for change in release["changes"]:
            if change["change"] == "added_period":
                dates.setdefault(change["subject"], release["date"])
    return dates


def _stamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def feed(loc: Locale, dataset: Dataset) -> str:
    """An Atom feed (RFC 4287) announcing each release and each period page."""
    root = urls.lang_root(loc.lang)
    releases = release_list(dataset)
    entries = []
    data_page = urls.page_url(loc.lang, "data/index.md")
    for r in releases:
        entries.append(
            {
                "id": f"{data_page}#release-{r['version']}",
                "title": loc.t("share.feed_release_title", version=r["version"]),
                "updated": r["date"],
                "link": f"{data_page}#release-{r['version']}",
                "summary": loc.field(r, "title"),
            }
        )
    for period_id, date in period_release_dates(dataset).items():
        if period_id not in dataset.periods.index:
            continue
        url = urls.page_url(loc.lang, period_page(period_id))
        entries.append(
            {
                "id": url,
                "title": loc.t("share.feed_period_title", period=loc.period(period_id)),
                "updated": date,
                "link": url,
                "summary": loc.t("share.feed_period_summary", period=loc.period(period_id)),
            }
        )
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    ET.register_namespace("", ATOM)
    top = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": loc.lang})

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(top, "id", root)
    sub(top, "title", loc.t("site_name"))
    sub(top, "subtitle", loc.t("share.feed_subtitle"))
    sub(top, "updated", _stamp(max((e["updated"] for e in entries), default="1970-01-01")))
    sub(sub(top, "author"), "name", loc.t("site_name"))
    sub(top, "link", href=root + "feed.xml", rel="self", type="application/atom+xml")
    sub(top, "link", href=root, rel="alternate", type="text/html")
    sub(top, "rights", loc.t("share.licence"))
    for e in entries:
        entry = sub(top, "entry")
        sub(entry, "id", e["id"])
        sub(entry, "title", e["title"])
        sub(entry, "updated", _stamp(e["updated"]))
        sub(entry, "link", href=e["link"], rel="alternate", type="text/html")
        sub(entry, "summary", e["summary"])
    ET.indent(top)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="unicode") + "\n"
