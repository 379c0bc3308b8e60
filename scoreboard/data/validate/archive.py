"""Layer 3, provenance: each report's text is in the archive of reports (data/reports.py),
and every quotation is in its report word for word (spaces and Markdown bold aside, as
quotes.normalise compares). Where the archive is absent nothing here runs; `validate` says so."""

from __future__ import annotations

import difflib
import unicodedata

from scoreboard.data import reports
from scoreboard.data.problems import Problem
from scoreboard.data.validate.quotes import normalise
from scoreboard.data.validate.table import Table

QUOTED = ("observations", "grade_distribution", "targets")


def archive_checks(root, packages: dict[str, dict[str, Table]], archive: reports.Archive) -> list[Problem]:
    if not archive.present:
        return []
    where = reports.shown_path(root, archive.folder)
    sources = packages["reference"]["sources"]
    problems: list[Problem] = []
    texts: dict[str, str] = {}  # source id -> its report's text, normalised
    for line, row in sources.records():
        name = row.get("seed_file", "")
        if row.get("kind") != "report" or not name.strip():
            continue  # a report without seed_file has its own message (kind source)
        if "/" in name or "\\" in name or name in (".", ".."):
            problems.append(_seed(sources, line, name, "seed_file is a file name, not a path", where))
        elif name not in archive.texts:
            close = difflib.get_close_matches(name, archive.names(), n=1, cutoff=0.6)
            guess = f"did you mean {close[0]}? Otherwise " if close else ""
            problems.append(
                _seed(sources, line, name, f"no file of this name in the archive of reports ({where})", where, guess)
            )
        elif archive.texts[name] is None:
            problems.append(
                Problem(
                    sources.rel,
                    line,
                    "seed_file",
                    f"the report's text in {where} is not UTF-8 text",
                    name,
                    f"save {where}/{name} as UTF-8 text",
                    kind="seed-file",
                )
            )
        else:
            texts[row.get("id", "")] = normalise(unicodedata.normalize("NFC", archive.texts[name]))
    seed_of = {r.get("id", ""): r.get("seed_file", "") for r in sources.rows}
    for tables in packages.values():
        for resource in QUOTED:
            table = tables.get(resource)
            if table is None:
                continue
            for line, row in table.records():
                text = texts.get(row.get("source_id", ""))
                quote = normalise(row.get("quote", ""))
                if text is None or not quote or quote in text:
                    continue
                problems.append(_not_in_report(table, line, quote, text, f"{where}/{seed_of[row['source_id']]}"))
    return problems


def _seed(table: Table, line: int, name: str, message: str, where: str, guess: str = "") -> Problem:
    return Problem(
        table.rel,
        line,
        "seed_file",
        message,
        name,
        f"{guess}write the name of the report's text file in {where}, or put the report's text there first "
        "(CONTRIBUTING.md, section 2, step 2)",
        kind="seed-file",
    )


def matched_prefix(quote: str, text: str) -> int:
    """How many characters at the start of quote appear together somewhere in text (a prefix
    that is there has every shorter prefix there too, so this halves the range each step)."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low


def _not_in_report(table: Table, line: int, quote: str, text: str, path: str) -> Problem:
    agree = matched_prefix(quote, text)
    if agree == 0:
        where = "not even its first word is in the report"
    else:
        where = f"it agrees with the report up to '…{quote[max(0, agree - 30) : agree]}' and differs from there"
    return Problem(
        table.rel,
        line,
        "quote",
        f"the quotation is not word for word in its report: {where}",
        quote[:80] + ("…" if len(quote) > 80 else ""),
        f"copy the sentence from {path} exactly as the report writes it (spaces may differ), "
        "or correct source_id if it comes from another report",
        kind="quote-not-in-report",
    )
